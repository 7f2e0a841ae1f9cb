import type { DeferredCallHandler } from '../calls/DeferredCallHandler.js';
import { createRemoteOnewayProxy, createRemoteSyncProxy } from '../calls/remote/createRemoteProxy.js';
import type { OnewayCallInfo, OnewayProxy, SyncProxy } from '../calls/types.js';
import { checkOptions, is } from '../checkOptions.js';
import { type Clock, globalClock } from '../clock.js';
import { formatValue } from '../formatValue.js';
import { checkKey } from './ingress.js';
import { RestateLink } from './RestateLink.js';

/**
 * Options of `restateHandler`.
 *
 * @example
 * ```ts
 * import type { RestateHandlerOptions } from 'greenstate/restate';
 * const options: RestateHandlerOptions = { name: 'manager', headers: { authorization: 'Bearer …' } };
 * ```
 */
export interface RestateHandlerOptions {
  /** The virtual object's name, as `restateObject` served it (its class's name by default). */
  name: string;
  /** The clock for call deadlines (default: the global timers). */
  clock?: Clock;
  /** Headers sent with every request to the ingress (authentication, say). */
  headers?: Record<string, string>;
  /** Where errors of oneway calls go on this side (default: `console.error`); the object reports them too. */
  onOnewayError?: (error: unknown, call: OnewayCallInfo) => void;
}

/**
 * One handler object served on Restate, as a client reaches it: proxies typed exactly like a local
 * handler's.
 *
 * @example
 * ```ts
 * import { restateHandler, type RestateHandler } from 'greenstate/restate';
 * import type { Manager } from './manager.js';
 * const pump: RestateHandler<Manager> = restateHandler<typeof Manager>(ingress, 'pump', { name: 'manager' });
 * ```
 */
export interface RestateHandler<THandler> {
  /** `name/key`, as errors name it. */
  readonly name: string;
  /** Sync calls: request–response invocations; `sync({ timeout, signal })` cancels the invocation when either ends it. */
  readonly sync: SyncProxy<THandler>;
  /** Oneway calls: one-way invocations, sent in order; `undefined` returned at once. */
  readonly oneway: OnewayProxy<THandler>;
  /** Sync calls sent and not settled yet. */
  readonly pending: number;
}

type HandlerClass = abstract new (...args: never) => DeferredCallHandler;

/**
 * Reaches the handler object `key` of a `DeferredCallHandler` class that `restateObject` serves, through
 * the Restate ingress at `ingress`. Name the class as the type parameter: the proxies are then typed
 * exactly like the local ones. Arguments and results are JSON; a method's error arrives with its class,
 * name, message and fields; the calls of one client run in the order they were made.
 *
 * @example
 * ```ts
 * import { restateHandler } from 'greenstate/restate';
 * import type { Manager } from './manager.js';
 * const manager = restateHandler<typeof Manager>('http://127.0.0.1:8080', 'plant-1', { name: 'manager' });
 * manager.oneway.updateResource('water', 3);
 * console.log(await manager.sync({ timeout: 5000 }).accessResources());
 * ```
 */
export function restateHandler<THandlerClass extends HandlerClass = typeof DeferredCallHandler>(
  ingress: string | URL,
  key: string,
  options: RestateHandlerOptions,
): RestateHandler<InstanceType<THandlerClass>> {
  if (typeof ingress !== 'string' && !(ingress instanceof URL)) {
    throw new TypeError(
      `restateHandler takes the ingress URL (http://host:8080), got ${formatValue(ingress)}.`,
    );
  }
  checkKey(key, 'restateHandler');
  checkOptions(options, OPTIONS, 'restateHandler(ingress, key, options)');
  if (options?.name === undefined) {
    throw new TypeError('restateHandler(ingress, key, { name }) needs the name the object is served under.');
  }
  const link = new RestateLink(String(ingress), options.name, key, {
    clock: options.clock ?? globalClock,
    headers: options.headers ?? {},
    onOnewayError: options.onOnewayError,
  });
  return {
    name: link.name,
    sync: createRemoteSyncProxy(link) as SyncProxy<InstanceType<THandlerClass>>,
    oneway: createRemoteOnewayProxy(link) as OnewayProxy<InstanceType<THandlerClass>>,
    get pending() {
      return link.pending;
    },
  };
}

const OPTIONS = { name: is.name, clock: is.clock, headers: is.headers, onOnewayError: is.function };
