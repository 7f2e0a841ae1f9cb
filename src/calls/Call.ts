import type { ReplyTarget } from './protocol.js';

/**
 * Where a call is in its life. `abandoned`: still running, but already answered (deadline, cancel,
 * close), so its result will be discarded.
 */
export type CallStatus = 'queued' | 'running' | 'abandoned' | 'settled';

/**
 * A call, as whatever must refer to it sees it: a sync call's caller, its deadline, the protocol's ids,
 * the running call. A queued oneway call that nobody watches has none: the queue holds its method and
 * arguments only, and makes its `Call` when it is taken out to run.
 */
export class Call {
  status: CallStatus = 'queued';
  /**
   * Set when queueing this call woke the waiting loop, until the handler's actor has taken the
   * `waiting → running` transition for it.
   */
  woke = false;
  /** The sender's id (protocol calls), or one made when the call is first shown (`idOf`). */
  id: string | undefined = undefined;
  /** The handler running this call, while it runs a method followed through its awaits (see `waitGraph`). */
  owner: unknown = undefined;
  /** The call's abort state and signal, made on first need (most calls never need them). */
  #signal: SignalState | undefined = undefined;

  constructor(
    readonly key: string,
    readonly args: readonly unknown[],
    readonly oneway: boolean,
  ) {}

  /**
   * The call's signal, made on first use: most calls never read it, and an AbortController is by far
   * the costliest object a call would otherwise allocate.
   */
  get signal(): AbortSignal {
    this.#signal ??= {};
    const state = this.#signal;
    if (state.controller === undefined) {
      state.controller = new AbortController();
      if (state.aborted) state.controller.abort(state.reason);
    }
    return state.controller.signal;
  }

  /** The sync calls that this running call waits on (see `waitGraph`), if it made any. */
  get waits(): Set<SyncCall> | undefined {
    return this.#signal?.waits;
  }

  /** The sync calls that this running call waits on, made now if none were. */
  waitList(): Set<SyncCall> {
    this.#signal ??= {};
    this.#signal.waits ??= new Set();
    return this.#signal.waits;
  }

  abort(reason: unknown): void {
    this.#signal ??= {};
    const state = this.#signal;
    if (state.aborted) return;
    state.aborted = true;
    state.reason = reason;
    state.controller?.abort(reason);
  }

  /** What `handler.currentCall` shows of this call. */
  get view(): CallView {
    this.#signal ??= {};
    const state = this.#signal;
    if (state.view === undefined) {
      const call = this;
      state.view = {
        method: this.key,
        get signal() {
          return call.signal;
        },
      };
    }
    return state.view;
  }
}

/**
 * A call whose caller waits for its answer: a sync call from this process (a proxy, `callSync`), or a
 * sync call event from another actor. Oneway calls are plain `Call`s: nobody is answered.
 */
export class SyncCall extends Call {
  resolve: ((value: unknown) => void) | undefined = undefined;
  reject: ((error: unknown) => void) | undefined = undefined;
  /** Clears the call's deadline timer and its listener on the caller's signal, while it has them. */
  release: (() => void) | undefined = undefined;
  replyTo: ReplyTarget | undefined = undefined;
  /** The handler called, and the running call that waits on this one, when made from inside one. */
  wait: { readonly target: unknown; readonly waiter: Call } | undefined = undefined;

  constructor(key: string, args: readonly unknown[]) {
    super(key, args, false);
  }
}

/** What `handler.currentCall` shows of a call. */
type CallView = { readonly method: string; readonly signal: AbortSignal };

interface SignalState {
  waits?: Set<SyncCall>;
  controller?: AbortController;
  aborted?: boolean;
  reason?: unknown;
  view?: CallView;
}

/** What the queue hands out for a bare oneway call, whose method and arguments it holds apart. */
export const BARE_CALL: unique symbol = Symbol('greenstate.bareCall');

/** What the queue hands out for a stop marker: the loop that takes it ends. */
export const STOP_MARKER: unique symbol = Symbol('greenstate.stopMarker');
