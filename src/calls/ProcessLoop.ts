/**
 * One `process()` of a handler: what it admits, whether it waits for new calls, and how it is woken.
 * The whitelist rule lives here: a loop admits every stop marker, and, with a whitelist, only calls to
 * the methods it names.
 */
export class ProcessLoop {
  /** Waiting for a call it admits (a `forever` loop with nothing to run). */
  waiting = false;
  #wake: (() => void) | undefined = undefined;

  constructor(
    /** The handler core that runs it: loop events are taken from their own handler only. */
    readonly owner: object,
    readonly whitelist: ReadonlySet<string> | undefined,
    readonly forever: boolean,
    /** Resolves the `process()` promise. */
    readonly done: () => void,
  ) {}

  /** Whether the loop runs a queued item filed under `method` (`undefined`: a stop marker). */
  admits(method: string | undefined): boolean {
    return method === undefined || this.whitelist === undefined || this.whitelist.has(method);
  }

  /** Starts waiting; the promise resolves once `wake()` is called. */
  sleep(): Promise<void> {
    this.waiting = true;
    return new Promise<void>((wake) => {
      this.#wake = wake;
    });
  }

  /** Wakes the loop if it waits for an item under `method`; returns whether it did. */
  wakeFor(method: string | undefined): boolean {
    if (!this.waiting || !this.admits(method)) return false;
    this.wake();
    return true;
  }

  wake(): void {
    this.waiting = false;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
