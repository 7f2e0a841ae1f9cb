import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock } from 'greenstate';
import { afterAll, beforeAll } from 'vitest';

/** Lets every pending promise reaction run (one macrotask turn; real timers only). */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A deferred promise, to control when an async method settles. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A manual clock that counts the timers it holds: `advance(ms)` fires the due ones. */
export class ManualClock implements Clock {
  now = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();
  #ids = 0;

  get active(): number {
    return this.#timers.size;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = ++this.#ids;
    this.#timers.set(id, { at: this.now + Math.max(ms, 0), fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.#timers.delete(id as number);
  }

  /** Moves time on by `ms`, firing due timers in order and letting promise reactions run after each. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers)
        if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.#timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
      await tick();
    }
    this.now = until;
    await tick();
  }
}

/**
 * Records every unhandled rejection while the calling test file runs (registered before its tests, removed
 * after): the returned array must stay empty.
 */
export function watchUnhandledRejections(): unknown[] {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  return unhandled;
}

/** The heap in use after full garbage collections (V8's `gc`, exposed for the test process). */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
