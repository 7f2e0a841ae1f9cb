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
  /** The caller's promise, for proxy sync calls. */
  resolve: ((value: unknown) => void) | undefined = undefined;
  reject: ((error: unknown) => void) | undefined = undefined;
  #controller: AbortController | undefined = undefined;
  #abortReason: unknown = undefined;
  #aborted = false;
  #view: { readonly method: string; readonly signal: AbortSignal } | undefined = undefined;

  constructor(
    readonly key: string,
    readonly args: readonly unknown[],
    readonly oneway: boolean,
    /** Set for protocol calls (the sender's id); proxy calls get one only if they are answered. */
    public id: string | undefined,
    readonly replyTo: ReplyTarget | undefined,
  ) {}

  get method(): string {
    return this.key;
  }

  /**
   * The call's signal, made on first use: most calls never read it, and an AbortController is by far
   * the costliest object a call would otherwise allocate.
   */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }

  /** What `handler.currentCall` shows of this call. */
  get view(): { readonly method: string; readonly signal: AbortSignal } {
    if (this.#view === undefined) {
      const call = this;
      this.#view = {
        method: this.key,
        get signal() {
          return call.signal;
        },
      };
    }
    return this.#view;
  }
}

/** A stop marker: ends the loop that reaches it. */
export class StopMarker implements QueueNode<QueueItem> {
  readonly key = undefined;
  seq = 0;
  prev: QueueItem | undefined = undefined;
  next: QueueItem | undefined = undefined;
  keyPrev: QueueItem | undefined = undefined;
  keyNext: QueueItem | undefined = undefined;
}
