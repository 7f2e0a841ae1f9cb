import type { Clock } from './clock.js';

/** The longest delay a timer holds: longer ones would fire at once (Node clamps them to 1 ms). */
const MAX_DELAY = 2 ** 31 - 1;

const noop = () => {};

/**
 * Calls `fire` once `ms` milliseconds have passed on `clock`, and returns the function that cancels it.
 * A delay longer than a timer can hold is chained from several timers; `Infinity` never fires.
 */
export function startTimer(clock: Clock, ms: number, fire: () => void): () => void {
  if (ms === Infinity) return noop;
  let left = ms;
  let timer: unknown;
  const arm = () => {
    const step = Math.min(left, MAX_DELAY);
    left -= step;
    timer = clock.setTimeout(left > 0 ? arm : fire, step);
  };
  arm();
  return () => clock.clearTimeout(timer);
}
