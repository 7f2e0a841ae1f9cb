import type { QueueNode } from './CallQueue.js';
import type { ReplyTarget } from './protocol.js';

/**
 * Where a call is in its life. `abandoned`: still running, but already answered (deadline, cancel,
 * close), so its result will be discarded.
 */
export type CallStatus = 'queued' | 'running' | 'abandoned' | 'settled';

/** What the queue holds: calls, and stop markers. */
export type QueueItem = Call | StopMarker;

/** One queued call: what to run, and whom to answer. */
export class Call implements QueueNode<QueueItem> {
  seq = 0;
  prev: QueueItem | undefined = undefined;
  next: QueueItem | undefined = undefined;
  keyPrev: QueueItem | undefined = undefined;
  keyNext: QueueItem | undefined = undefined;
  status: CallStatus = 'queued';
  /**
   * Set when queueing this call woke the waiting loop, until the handler's actor has taken the
   * `waiting → running` transition for it.
   */
  woke = false;
  /** How to answer the caller: its promise (proxy sync calls), its deadline, its `replyTo` (protocol calls). */
  answer: Answer | undefined;
  /** The call's abort state and signal, made on first need (most calls never need them). */
  #signal: SignalState | undefined = undefined;

  constructor(
    readonly key: string,
    readonly args: readonly unknown[],
    readonly oneway: boolean,
    /** The sender's id for protocol calls; for calls from this process, made on first need (`idOf`). */
    public id: string | undefined,
    /** Whether `id` is registered for `call.cancel` (protocol calls). */
    readonly registered: boolean,
    answer: Answer | undefined,
  ) {
    this.answer = answer;
  }

  #state(): SignalState {
    this.#signal ??= { controller: undefined, aborted: false, reason: undefined, view: undefined };
    return this.#signal;
  }

  /**
   * The call's signal, made on first use: most calls never read it, and an AbortController is by far
   * the costliest object a call would otherwise allocate.
   */
  get signal(): AbortSignal {
    const state = this.#state();
    if (state.controller === undefined) {
      state.controller = new AbortController();
      if (state.aborted) state.controller.abort(state.reason);
    }
    return state.controller.signal;
  }

  abort(reason: unknown): void {
    const state = this.#state();
    if (state.aborted) return;
    state.aborted = true;
    state.reason = reason;
    state.controller?.abort(reason);
  }

  /** What `handler.currentCall` shows of this call. */
  get view(): { readonly method: string; readonly signal: AbortSignal } {
    const state = this.#state();
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

/** How a call's caller is answered. */
export interface Answer {
  resolve?: (value: unknown) => void;
  reject?: (error: unknown) => void;
  /** Clears the call's deadline timer, while it has one that has not fired. */
  clearDeadline?: (() => void) | undefined;
  replyTo?: ReplyTarget | undefined;
}

interface SignalState {
  controller: AbortController | undefined;
  aborted: boolean;
  reason: unknown;
  view: { readonly method: string; readonly signal: AbortSignal } | undefined;
}

/** A stop marker: ends the loop that reaches it. */
export class StopMarker implements QueueNode<QueueItem> {
  readonly key = undefined;
  seq = 0;
  prev: QueueItem | undefined = undefined;
  next: QueueItem | undefined = undefined;
  keyPrev: QueueItem | undefined = undefined;
  keyNext: QueueItem | undefined = undefined;
  /** As for calls: queueing it woke the waiting loop, until the actor has taken that transition. */
  woke = false;
}
