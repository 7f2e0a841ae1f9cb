import { onAbort } from '../onAbort.js';
import type { ReplyTarget } from '../protocol.js';

/** What a pending call needs of its remote handler. */
export interface PendingHost {
  /** Answers the call before its answer came, and withdraws it on the handler's side. */
  abandon(call: PendingCall, error: unknown): void;
}

/**
 * A sync call sent to a handler in another thread, waiting for its answer: the caller's promise (or,
 * for a `call` event, the event's `replyTo` and id), its deadline's timer, and the caller's signal.
 */
export class PendingCall {
  resolve: ((value: unknown) => void) | undefined = undefined;
  reject: ((error: unknown) => void) | undefined = undefined;
  /** Clears the deadline's timer, while it runs. */
  clearTimer: (() => void) | undefined = undefined;
  /** Stops listening to the caller's signal, while it listens. */
  #unlisten: (() => void) | undefined = undefined;
  /** A `call` event's: where its reply goes, and the id its sender chose. */
  replyTo: ReplyTarget | undefined = undefined;
  protocolId: string | undefined = undefined;

  constructor(
    readonly host: PendingHost,
    /** Its number among this remote handler's calls: the id it crosses with. */
    readonly seq: number,
    /** Its id: the remote handler's prefix and `seq`, unique on the endpoint (the handler's side makes it too). */
    readonly id: string,
    readonly method: string,
  ) {}

  /** Listens to the caller's signal until the call settles: aborted, the call rejects with its very reason. */
  listen(signal: AbortSignal): void {
    this.#unlisten = onAbort(signal, () => this.host.abandon(this, signal.reason));
  }

  /** The call settled: it holds no timer, and leaves nothing on the caller's signal (which may serve others). */
  release(): void {
    this.clearTimer?.();
    this.clearTimer = undefined;
    this.#unlisten?.();
    this.#unlisten = undefined;
  }
}
