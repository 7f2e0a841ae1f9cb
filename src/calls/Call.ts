import type { ReplyTarget } from './protocol.js';

/**
 * Where a call is in its life. `abandoned`: still running, but already answered (deadline, cancel,
 * close), so its result will be discarded.
 */
export type CallStatus = 'queued' | 'running' | 'abandoned' | 'settled';

const STATUS: readonly CallStatus[] = ['queued', 'running', 'abandoned', 'settled'];
const STATUS_BITS = 3;
const ONEWAY = 4;
const WOKE = 8;
const REGISTERED = 16;

/** What the queue holds: calls, and stop markers. */
export type QueueItem = Call | StopMarker;

/** How a call's caller is answered, and what only some calls need: made on first need. */
export interface CallExtra {
  /** The status and the flags, once the call has its extra (see `Call`). */
  bits?: number;
  /** The sender's id (protocol calls), or one made when the call is first shown (`idOf`). */
  id?: string | undefined;
  resolve?: ((value: unknown) => void) | undefined;
  reject?: ((error: unknown) => void) | undefined;
  /** Clears the call's deadline timer, while it has one that has not fired. */
  clearDeadline?: (() => void) | undefined;
  replyTo?: ReplyTarget | undefined;
  controller?: AbortController | undefined;
  aborted?: boolean;
  reason?: unknown;
  view?: { readonly method: string; readonly signal: AbortSignal } | undefined;
}

/**
 * One queued call: the method, its arguments, and one word more. That word is the status and the flags
 * as bits, for a oneway call that nobody watches; a call that needs more (a sync call's answer, an id, a
 * signal) has an extra object there instead, which holds the bits too. Three words per call, because a
 * queue of a million calls is a million live objects, which the garbage collector copies.
 */
export class Call {
  #state: number | CallExtra;

  constructor(
    readonly key: string,
    readonly args: readonly unknown[],
    oneway: boolean,
    extra: CallExtra | undefined,
    /** A protocol call, whose id is kept for `call.cancel` until it settles. */
    registered = false,
  ) {
    const bits = (oneway ? ONEWAY : 0) | (registered ? REGISTERED : 0);
    if (extra === undefined) this.#state = bits;
    else {
      extra.bits = bits;
      this.#state = extra;
    }
  }

  get #bits(): number {
    const state = this.#state;
    return typeof state === 'number' ? state : (state.bits as number);
  }

  set #bits(bits: number) {
    if (typeof this.#state === 'number') this.#state = bits;
    else this.#state.bits = bits;
  }

  /** The call's extra, if it has one. */
  get extra(): CallExtra | undefined {
    const state = this.#state;
    return typeof state === 'number' ? undefined : state;
  }

  /** The call's extra, made now if it had none. */
  more(): CallExtra {
    const state = this.#state;
    if (typeof state !== 'number') return state;
    const extra: CallExtra = { bits: state };
    this.#state = extra;
    return extra;
  }

  get status(): CallStatus {
    return STATUS[this.#bits & STATUS_BITS] as CallStatus;
  }

  set status(status: CallStatus) {
    this.#bits = (this.#bits & ~STATUS_BITS) | STATUS.indexOf(status);
  }

  get oneway(): boolean {
    return (this.#bits & ONEWAY) !== 0;
  }

  get registered(): boolean {
    return (this.#bits & REGISTERED) !== 0;
  }

  /**
   * Set when queueing this call woke the waiting loop, until the handler's actor has taken the
   * `waiting → running` transition for it.
   */
  get woke(): boolean {
    return (this.#bits & WOKE) !== 0;
  }

  set woke(woke: boolean) {
    this.#bits = woke ? this.#bits | WOKE : this.#bits & ~WOKE;
  }

  get id(): string | undefined {
    return this.extra?.id;
  }

  /**
   * The call's signal, made on first use: most calls never read it, and an AbortController is by far
   * the costliest object a call would otherwise allocate.
   */
  get signal(): AbortSignal {
    const extra = this.more();
    if (extra.controller === undefined) {
      extra.controller = new AbortController();
      if (extra.aborted) extra.controller.abort(extra.reason);
    }
    return extra.controller.signal;
  }

  abort(reason: unknown): void {
    const extra = this.more();
    if (extra.aborted) return;
    extra.aborted = true;
    extra.reason = reason;
    extra.controller?.abort(reason);
  }

  /** What `handler.currentCall` shows of this call. */
  get view(): { readonly method: string; readonly signal: AbortSignal } {
    const extra = this.more();
    if (extra.view === undefined) {
      const call = this;
      extra.view = {
        method: this.key,
        get signal() {
          return call.signal;
        },
      };
    }
    return extra.view;
  }
}

/** A stop marker: ends the loop that reaches it. */
export class StopMarker {
  readonly key = undefined;
  status: CallStatus = 'queued';
  /** As for calls: queueing it woke the waiting loop, until the actor has taken that transition. */
  woke = false;
}
