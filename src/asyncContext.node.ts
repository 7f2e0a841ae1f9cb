import { AsyncLocalStorage } from 'node:async_hooks';
import { types } from 'node:util';
import type { AsyncContext } from './asyncContext.js';

export type { AsyncContext } from './asyncContext.js';

/**
 * Whether this build can tell which call or state body an asynchronous continuation belongs to.
 * On Node it can, through `AsyncLocalStorage`.
 *
 * @example
 * ```ts
 * import { tracksAsyncContext } from 'greenstate';
 * console.log(tracksAsyncContext); // true on Node
 * ```
 */
export const tracksAsyncContext = true;

/** Creates a context that follows `run`'s callback through every `await` it makes (Node build). */
export function createAsyncContext<T>(): AsyncContext<T> {
  const storage = new AsyncLocalStorage<T>();
  return {
    apply: (value, fn, self, args) => storage.run(value, Reflect.apply, fn, self, args),
    get: () => storage.getStore(),
  };
}

/** Whether `fn` is declared `async`: read by V8, with no property of `fn` read (Node build). */
export const isAsyncFunction = (fn: unknown): boolean => types.isAsyncFunction(fn);
