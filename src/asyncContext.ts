/**
 * A value bound to a piece of running code, readable from inside it.
 * Internal: the handler uses it to know which call is running, the state machines which body.
 */
export interface AsyncContext<T> {
  /**
   * Calls `fn` with `self` as `this` and `args` as its arguments, with `value` as the context; returns
   * what `fn` returns. (Fixed arguments, not a rest parameter: it runs once per call.)
   */
  apply<R>(value: T, fn: (...args: never[]) => R, self: unknown, args: readonly unknown[]): R;
  /** The value of the innermost `run` that the caller is inside, if any. */
  get(): T | undefined;
}

/**
 * Whether this build can tell which call or state body an asynchronous continuation belongs to.
 * The default (browser) build cannot: it sees only the synchronous part of a call or body,
 * up to its first `await`.
 *
 * @example
 * ```ts
 * import { tracksAsyncContext } from 'greenstate';
 * if (!tracksAsyncContext) console.warn('deadlocks after an await are not detected here');
 * ```
 */
export const tracksAsyncContext: boolean = false;

/**
 * Creates a context that lasts for the synchronous part of `run`'s callback (default build:
 * runtimes without `AsyncLocalStorage`).
 */
export function createAsyncContext<T>(): AsyncContext<T> {
  let current: T | undefined;
  return {
    apply(value, fn, self, args) {
      const outer = current;
      current = value;
      try {
        return Reflect.apply(fn, self, args);
      } finally {
        current = outer;
      }
    },
    get: () => current,
  };
}

/**
 * Whether `fn` is declared `async`. The default build has no context to follow calls through their
 * awaits with, so it needs no answer: `false`.
 */
export const isAsyncFunction = (_fn: unknown): boolean => false;
