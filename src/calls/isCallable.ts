import { HANDLER_MEMBERS } from './types.js';

const notCalls = new Set<string>([...HANDLER_MEMBERS, ...Object.getOwnPropertyNames(Object.prototype)]);

/** Whether `name` is a method of `target` that the proxies may call. */
export function isCallable(target: object, name: string): boolean {
  return !notCalls.has(name) && typeof (target as Record<string, unknown>)[name] === 'function';
}

/** The names that `isCallable` accepts, for error messages. */
export function callableNames(target: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) if (isCallable(target, name)) names.add(name);
  }
  return [...names].sort();
}
