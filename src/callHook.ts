import { isThenable } from './isThenable.js';

/**
 * Calls a user's hook that reports an error (`onOnewayError`, a run's `onError`). If the hook itself
 * throws, or returns a promise that rejects, that failure goes to `console.error` with the error it was
 * reporting: neither is ever lost, nor an unhandled rejection.
 */
export function callHook(hook: () => unknown, who: string, what: string, reported: unknown): void {
  const fail = (failure: unknown) =>
    console.error(`${who} failed while reporting ${what}:`, failure, reported);
  try {
    const result = hook();
    if (isThenable(result)) Promise.resolve(result).catch(fail);
  } catch (failure) {
    fail(failure);
  }
}
