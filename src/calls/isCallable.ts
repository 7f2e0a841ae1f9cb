import { HANDLER_MEMBERS } from './types.js';

const notCalls = new Set<string>([...HANDLER_MEMBERS, ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * Whether `name` is a method of `target` that the proxies may call: a data property holding a function,
 * found on the object or its prototype chain. An accessor is never a method, and its getter is never run
 * to find out (it could throw, or do anything).
 */
export function isCallable(target: object, name: string): boolean {
  if (notCalls.has(name)) return false;
  for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor !== undefined) return typeof descriptor.value === 'function';
  }
  return false;
}

/** The names that `isCallable` accepts, for error messages. */
export function callableNames(target: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) if (isCallable(target, name)) names.add(name);
  }
  return [...names].sort();
}
