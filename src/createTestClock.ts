import { checkOptions, is } from './checkOptions.js';
import type { Clock } from './clock.js';

/**
 * A simulated clock (`createTestClock()`): time moves only when `advance(ms)` says so. It is an XState
 * `Clock` (`setTimeout` / `clearTimeout`), so XState's own timers (`after`, delayed events) run on it
 * as greenstate's do (call deadlines, `ctx.sleep`, state timeouts).
 *
 * @example
 * ```ts
 * import { createTestClock, type TestClock } from 'greenstate';
 * const clock: TestClock = createTestClock();
 * clock.setTimeout(() => console.log(`rang at ${clock.now} ms`), 500);
 * await clock.advance(1000); // logs "rang at 500 ms"
 * ```
 */
export interface TestClock extends Clock {
  /** Sets a timer that fires once the clock has moved on by `ms` (a negative or NaN `ms` counts as 0). */
  setTimeout(fn: () => void, ms: number): number;
  /** Cancels a timer; ids of fired or unknown timers are ignored. */
  clearTimeout(id: unknown): void;
  /** The clock's time: milliseconds moved on since it was made. */
  readonly now: number;
  /** How many timers are set that have neither fired nor been cleared. */
  readonly pending: number;
  /**
   * Moves time on by `ms` (a finite number ≥ 0): runs every timer due by then, in deadline order (then in
   * the order they were set), letting the promises each one releases settle before the next, so that a
   * timer those set within the span runs too. Resolves once the span has passed and everything settled;
   * rejects with the first error a timer threw (the others still ran). Calls made while one runs wait
   * for it, in order.
   */
  advance(ms: number): Promise<void>;
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

// Taken as the module loads: fake timers installed later by tests must not hold the test clock back.
const macrotask: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

/** Turns of the event loop without a timer set or cleared after which everything counts as settled. */
const QUIET_TURNS = 2;
/** The most turns one settling waits: work that never stops touching timers cannot hang `advance`. */
const MAX_TURNS = 10_000;

/**
 * Creates a simulated clock for tests: pass it as `clock` to handlers (their call deadlines, and
 * `callSync`'s through them), to `defineStates` or `@state` (`ctx.sleep`, state timeouts), or to XState's
 * `createActor(logic, { clock })`; then `await clock.advance(ms)` runs what falls due, without real waiting
 * and always in the same order (like sinon's `tickAsync`).
 *
 * @example
 * ```ts
 * import { createTestClock, defineStates, type StateContext } from 'greenstate';
 *
 * const clock = createTestClock();
 * const kettle = defineStates(
 *   {
 *     heating: { transitionsTo: 'boiled', timeout: { after: 90_000, to: 'boiled' }, body: (ctx) => ctx.sleep(Infinity) },
 *     boiled: () => 'tea',
 *   },
 *   { clock },
 * );
 * const run = kettle.heating();
 * await clock.advance(90_000); // no real waiting
 * console.log(await run.done); // 'tea'
 * ```
 */
export function createTestClock(): TestClock {
  const timers = new Map<number, Timer>();
  let heap: Timer[] = [];
  let now = 0;
  let ids = 0;
  /** Counts every timer set or cleared: settling waits until it stops changing. */
  let changes = 0;
  let advancing: Promise<unknown> = Promise.resolve();

  const settle = async () => {
    for (let quiet = 0, turns = 0; quiet < QUIET_TURNS && turns < MAX_TURNS; turns++) {
      const before = changes;
      await macrotask();
      quiet = changes === before ? quiet + 1 : 0;
    }
  };

  /** The next timer due by `until`, taken off the clock (cleared ones are dropped on the way). */
  const takeDue = (until: number): Timer | undefined => {
    for (let next = heap[0]; next !== undefined; next = heap[0]) {
      if (!timers.has(next.id)) {
        pop(heap);
        continue;
      }
      if (next.at > until) return undefined;
      pop(heap);
      timers.delete(next.id);
      return next;
    }
    return undefined;
  };

  const run = async (ms: number) => {
    const until = now + ms;
    const errors: unknown[] = [];
    await settle();
    for (let timer = takeDue(until); timer !== undefined; timer = takeDue(until)) {
      now = timer.at;
      try {
        timer.fn();
      } catch (error) {
        errors.push(error);
      }
      await settle();
    }
    now = until;
    if (errors.length > 0) throw errors[0];
  };

  return {
    setTimeout(fn, ms) {
      const timer = { id: ++ids, at: now + (Number.isNaN(ms) ? 0 : Math.max(ms, 0)), fn };
      timers.set(timer.id, timer);
      push(heap, timer);
      changes++;
      return timer.id;
    },
    clearTimeout(id) {
      if (timers.delete(id as number)) changes++;
      if (timers.size === 0) heap = [];
    },
    get now() {
      return now;
    },
    get pending() {
      return timers.size;
    },
    advance(ms) {
      try {
        checkOptions({ ms }, { ms: is.milliseconds }, 'clock.advance(ms)');
      } catch (error) {
        return Promise.reject(error);
      }
      const done = advancing.then(() => run(ms));
      advancing = done.catch(() => {});
      return done;
    },
  };
}

// A binary min-heap of timers by deadline, then by the order they were set (ids grow).
const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.id < b.id);

function push(heap: Timer[], timer: Timer): void {
  let i = heap.push(timer) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as Timer, heap[parent] as Timer)) break;
    [heap[i], heap[parent]] = [heap[parent] as Timer, heap[i] as Timer];
    i = parent;
  }
}

function pop(heap: Timer[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  heap[0] = last;
  for (let i = 0; ; ) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && before(heap[left] as Timer, heap[least] as Timer)) least = left;
    if (right < heap.length && before(heap[right] as Timer, heap[least] as Timer)) least = right;
    if (least === i) return;
    [heap[i], heap[least]] = [heap[least] as Timer, heap[i] as Timer];
    i = least;
  }
}
