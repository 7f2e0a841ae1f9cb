import { checkCallOptions } from '../createCallProxy.js';
import type { RemoteLink } from './RemoteLink.js';

type Method = (...args: unknown[]) => unknown;

/** What the proxies need of a connection: its name, and a way to send each kind of call. */
type Link = Pick<RemoteLink, 'name' | 'call' | 'oneway'>;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Method names cached per proxy, at most: a program calling ever-new names keeps a few. */
const CACHED_METHODS = 256;
/** Proxies of timeouts cached per remote handler (`remote.sync({ timeout })` is often made per call). */
const TIMED_PROXIES = 16;

/**
 * Builds `remote.sync`: each property is a function that sends a sync call of the method of that name.
 * This side does not know the handler's methods: the handler's side refuses unknown names, as a local
 * handler does. Called with `{ timeout, signal }`, it gives the proxy whose calls carry them.
 */
export function createRemoteSyncProxy(link: Link): object {
  const timed = new Map<number, object>();
  const withOptions = (options: unknown): object => {
    const checked = checkCallOptions(options, `${link.name}.sync(options)`);
    const { timeout, signal } = checked ?? {};
    if (signal !== undefined) return callProxy(link, timeout, signal); // one signal per call, usually
    if (timeout === undefined) return proxy;
    let found = timed.get(timeout);
    if (found === undefined) {
      if (timed.size >= TIMED_PROXIES) timed.clear();
      found = callProxy(link, timeout, undefined);
      timed.set(timeout, found);
    }
    return found;
  };
  const proxy = callProxy(link, undefined, undefined, withOptions);
  return proxy;
}

/** Builds `remote.oneway`: each property is a function that sends a oneway call and returns nothing. */
export function createRemoteOnewayProxy(link: Link): object {
  return methodProxy(
    link,
    'oneway',
    (method) =>
      (...args: unknown[]) => {
        link.oneway(method, args);
      },
    undefined,
  );
}

/** A sync proxy whose calls carry these options; callable with options itself when `withOptions` is given. */
function callProxy(
  link: Link,
  timeout: number | undefined,
  signal: AbortSignal | undefined,
  withOptions?: (options: unknown) => object,
): object {
  return methodProxy(
    link,
    'sync',
    (method) =>
      (...args: unknown[]) =>
        link.call(method, args, timeout, signal),
    withOptions,
  );
}

/**
 * A proxy whose string properties are the functions `caller` makes for each name (made once per name),
 * never mistaken for a promise or serialized (`then` and `toJSON` are no calls), described by
 * conversions (`[sync proxy of Manager]`), and refusing assignments.
 */
function methodProxy(
  link: Link,
  kind: 'sync' | 'oneway',
  caller: (method: string) => Method,
  withOptions: ((options: unknown) => object) | undefined,
): object {
  const methods = new Map<string, Method>();
  const describe = () => `[${kind} proxy of remote ${link.name}]`;
  // An arrow function target: it has no non-configurable `prototype` that the traps would have to report.
  return new Proxy(() => undefined, {
    get(_, key) {
      if (key === Symbol.toPrimitive || key === INSPECT || key === 'toString') return describe;
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
      let method = methods.get(key);
      if (method === undefined) {
        if (methods.size >= CACHED_METHODS) methods.clear();
        method = caller(key);
        methods.set(key, method);
      }
      return method;
    },
    apply(_, __, args: unknown[]) {
      if (withOptions === undefined) {
        throw new TypeError(
          kind === 'oneway'
            ? `${link.name}.oneway takes no options: it is not a function.`
            : `${link.name}.sync(options) gives a proxy that takes no more options: call a method on it.`,
        );
      }
      return withOptions(args[0]);
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}
