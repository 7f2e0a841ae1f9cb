import type { Clock } from './calls/types.js';

/** The global timers, looked up at each use (so that fake timers installed later take effect). */
export const globalClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as Parameters<typeof clearTimeout>[0]),
};
