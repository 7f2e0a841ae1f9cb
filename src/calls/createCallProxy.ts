import { checkOptions, is } from '../checkOptions.js';
import type { HandlerCore } from './HandlerCore.js';
import { callableNames } from './isCallable.js';
import { queueOneway, queueOnewayInline, queueSync } from './queueCall.js';
import type { CallOptions } from './types.js';

type Method = (...args: unknown[]) => unknown;

/**
 * Builds `handler.sync` (and, with `timeout`, the proxy that `handler.sync({ timeout })` returns):
 * each property is a function that queues a sync call of the method of that name.
 */
export function createSyncProxy(core: HandlerCore, timeout?: number): object {
  return createCallProxy(
    core,
    (method, known) =>
      function (a?: unknown, b?: unknown, c?: unknown) {
        // biome-ignore lint/complexity/noArguments: see argsOf
        const args = argsOf(arguments, a, b, c);
        return queueSync(core, method, args, timeout, known);
      },
    true,
  );
}

/** Builds `handler.oneway`: each property is a function that queues a oneway call and returns nothing. */
export function createOnewayProxy(core: HandlerCore): object {
  return createCallProxy(
    core,
    (method, known) =>
      function (a?: unknown, b?: unknown, c?: unknown) {
        // biome-ignore lint/complexity/noArguments: see argsOf
        const given = arguments;
        // Up to two arguments wait in the queue itself, with no array made for them.
        if (given.length <= 2) queueOnewayInline(core, method, given.length, a, b, known);
        else queueOneway(core, method, argsOf(given, a, b, c), known);
      },
    false,
  );
}

/**
 * A call's arguments as a new array made by an array literal, not a rest parameter: a literal's
 * allocation site lets V8 learn that these arrays live long (they wait in the queue) and allocate them
 * with the long-lived data, where a rest array would be copied by every young-generation collection
 * that it outlives. Common arities get their literal; more arguments are copied.
 */
function argsOf(given: IArguments, a: unknown, b: unknown, c: unknown): unknown[] {
  switch (given.length) {
    case 0:
      return [];
    case 1:
      return [a];
    case 2:
      return [a, b];
    case 3:
      return [a, b, c];
    default:
      return Array.prototype.slice.call(given);
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `handler.sync({ timeout })` is often called per call: the proxies of the latest timeouts are kept. */
const timedProxies = new WeakMap<HandlerCore, Map<number, object>>();
const TIMED_PROXIES = 16;

/** `handler.sync(options)`: the sync proxy these options call with. */
function optionsProxy(core: HandlerCore, options: CallOptions | undefined): object {
  const signal = options?.signal;
  return signal === undefined
    ? timedSyncProxy(core, options?.timeout)
    : signalProxy(core, options?.timeout, signal);
}

/**
 * The proxy of one call's signal (a signal is usually made per call, so nothing is cached): each
 * property queues a sync call of that name, checked as it is queued.
 */
function signalProxy(core: HandlerCore, timeout: number | undefined, signal: AbortSignal): object {
  return new Proxy(Object.create(null) as object, {
    get: (_, key) =>
      typeof key !== 'string' || key === 'then' || key === 'toJSON'
        ? undefined
        : (...args: unknown[]) => queueSync(core, key, args, timeout, false, signal),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

function timedSyncProxy(core: HandlerCore, timeout: number | undefined): object {
  if (timeout === undefined) return createSyncProxy(core);
  let proxies = timedProxies.get(core);
  if (proxies === undefined) {
    proxies = new Map();
    timedProxies.set(core, proxies);
  }
  let proxy = proxies.get(timeout);
  if (proxy === undefined) {
    if (proxies.size >= TIMED_PROXIES) proxies.clear(); // a program with ever-new timeouts keeps a few
    proxy = createSyncProxy(core, timeout);
    proxies.set(timeout, proxy);
  }
  return proxy;
}

/**
 * The function that queues calls of `method`; `known` when the method is known callable (a name once
 * found callable stays so), so that it is not checked again at each call.
 */
type Caller = (method: string, known: boolean) => Method;

function createCallProxy(core: HandlerCore, caller: Caller, callable: boolean): object {
  // One function per method name, made on first use; unknown names are not cached (each use of one
  // gets a function that reports it), so a typo cannot grow the cache.
  const methods = new Map<string, Method>();
  const describeProxy = () => `[${callable ? 'sync' : 'oneway'} proxy of ${core.name}]`;
  // An arrow function target: it has no non-configurable `prototype` that the traps would have to report.
  const proxy = new Proxy(() => undefined, {
    get(_, key) {
      // What JavaScript itself reads from objects is never a call: `then` (awaiting a proxy, returning it
      // from an async function), `toJSON` (JSON.stringify), and conversions to a string.
      if (key === Symbol.toPrimitive || key === INSPECT || key === 'toString') return describeProxy;
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
      let method = methods.get(key);
      if (method === undefined) {
        const known = core.isMethod(key);
        method = caller(key, known);
        if (known) methods.set(key, method);
      }
      return method;
    },
    has: (_, key) => typeof key === 'string' && core.isMethod(key),
    apply(_, __, args: unknown[]) {
      if (!callable) throw new TypeError(`${core.name}.oneway takes no options: it is not a function.`);
      return optionsProxy(core, checkCallOptions(args[0], `${core.name}.sync(options)`));
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  // In front of the proxy, the methods the handler has now as plain properties (a proxy's trap costs a
  // call about a tenth of its time); the proxy behind answers the rest: methods added later, unknown
  // names, conversions. Frozen, it refuses assignments as the proxy does.
  const front: object = callable
    ? (options: unknown) => optionsProxy(core, checkCallOptions(options, `${core.name}.sync(options)`))
    : {};
  if (callable) {
    Reflect.deleteProperty(front, 'length');
    Reflect.deleteProperty(front, 'name');
  }
  Object.setPrototypeOf(front, proxy);
  for (const name of callableNames(core.target)) {
    const method = caller(name, core.isMethod(name));
    methods.set(name, method);
    // Defined, not assigned: an assignment would ask the proxy behind, which refuses them.
    Object.defineProperty(front, name, { value: method, enumerable: true });
  }
  return Object.freeze(front);
}

const CALL_OPTIONS = { timeout: is.milliseconds, signal: is.signal };

/** Validates `{ timeout, signal }` (the options of a sync call), and returns them. */
export function checkCallOptions(options: unknown, where: string): CallOptions | undefined {
  checkOptions(options, CALL_OPTIONS, where);
  return options as CallOptions | undefined;
}
