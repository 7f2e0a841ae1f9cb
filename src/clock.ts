/**
 * A clock for deadlines and sleeps, shaped like XState's: inject one to control time in tests.
 *
 * @example
 * ```ts
 * import type { Clock } from 'greenstate';
 * const clock: Clock = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };
 * ```
 */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The global timers, looked up at each use (so that fake timers installed later take effect). */
export const globalClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as Parameters<typeof clearTimeout>[0]),
};
