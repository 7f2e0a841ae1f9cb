import type { OpenEndpoint } from './openEndpoint.js';
import { arityOf, type Op } from './wire.js';

/** Told of a message that the endpoint refused (see `Outbox.refused`). */
export type Refused = (op: Op, a: unknown, b: unknown, c: unknown, error: unknown) => void;

/**
 * The messages one end sends over its endpoint, gathered into batches: every message sent in one
 * synchronous stretch of code (a loop making 100 calls, a handler's loop answering them) crosses as one
 * `postMessage`, flushed on the next microtask. Each `postMessage` costs microseconds (cloning, waking
 * the other thread, dispatching its event) whatever it carries: one per batch instead of one per call is
 * most of what makes a call through a worker cheap. A batch is flat (see `wire`).
 */
export class Outbox {
  #batch: unknown[] | undefined = undefined;
  readonly #flush = () => this.flush();

  constructor(
    readonly port: OpenEndpoint,
    /** What starts every batch: its tag, and what the other end needs to read it. */
    readonly header: readonly unknown[],
    /**
     * A message the endpoint refused: `error` is a `DataCloneError` if it could not be cloned (the
     * others of its batch went on), else what the endpoint threw (it will take no more).
     */
    readonly refused: Refused,
  ) {}

  /** Sends a message with the others of this stretch of code, in order: `op` and its fields. */
  push(op: Op, a?: unknown, b?: unknown, c?: unknown): void {
    let batch = this.#batch;
    if (batch === undefined) {
      batch = [...this.header];
      this.#batch = batch;
      queueMicrotask(this.#flush);
    }
    append(batch, op, a, b, c);
  }

  /**
   * Sends a message now, after those gathered so far: what the endpoint throws (a `DataCloneError` for
   * a value that cannot be cloned) is thrown here, at the call site.
   */
  sendNow(op: Op, a?: unknown, b?: unknown, c?: unknown): void {
    this.flush();
    const batch = [...this.header];
    append(batch, op, a, b, c);
    this.port.post(batch);
  }

  /** Sends the messages gathered so far (at once: closing, say, cannot wait for the microtask). */
  flush(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    try {
      this.port.post(batch);
    } catch (error) {
      const cloning = isDataCloneError(error);
      // One message could not be cloned: the others go on, each on its own, and that one is refused.
      this.#each(batch, (op, a, b, c) => {
        if (!cloning) return this.refused(op, a, b, c, error);
        try {
          this.sendNow(op, a, b, c);
        } catch (failure) {
          this.refused(op, a, b, c, failure);
        }
      });
    }
  }

  /** Drops the messages gathered and not sent that `keep` refuses (the calls a closing end withdraws). */
  drop(keep: (op: Op) => boolean): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    const kept = [...this.header];
    this.#each(batch, (op, a, b, c) => {
      if (keep(op)) append(kept, op, a, b, c);
    });
    this.#batch = kept;
  }

  #each(batch: readonly unknown[], visit: (op: Op, a: unknown, b: unknown, c: unknown) => void): void {
    for (let i = this.header.length; i < batch.length; ) {
      const op = batch[i] as Op;
      const arity = arityOf(op) ?? 0;
      visit(op, batch[i + 1], arity > 1 ? batch[i + 2] : undefined, arity > 2 ? batch[i + 3] : undefined);
      i += 1 + arity;
    }
  }
}

/** Appends a message to a batch: `op`, then as many fields as it takes. */
function append(batch: unknown[], op: Op, a: unknown, b: unknown, c: unknown): void {
  const arity = arityOf(op) ?? 0;
  if (arity === 0) batch.push(op);
  else if (arity === 1) batch.push(op, a);
  else if (arity === 2) batch.push(op, a, b);
  else batch.push(op, a, b, c);
}

/** Whether structured cloning refused a value (a `DOMException` named `DataCloneError`). */
export function isDataCloneError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'DataCloneError';
}
