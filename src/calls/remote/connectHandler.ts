import { checkOptions, is } from '../../checkOptions.js';
import type { Clock } from '../../clock.js';
import type { DeferredCallHandler } from '../DeferredCallHandler.js';
import type { OnewayProxy, SyncProxy } from '../types.js';
import { createRemoteOnewayProxy, createRemoteSyncProxy } from './createRemoteProxy.js';
import type { Endpoint } from './openEndpoint.js';
import { RemoteLink } from './RemoteLink.js';
import type { RemoteHandlerRef } from './remoteHandlerMachine.js';

/**
 * Options of `connectHandler(endpoint, options)`.
 *
 * @example
 * ```ts
 * import { connectHandler, type ConnectOptions } from 'greenstate';
 * const options: ConnectOptions = { name: 'manager' };
 * const manager = connectHandler(worker, options);
 * ```
 */
export interface ConnectOptions {
  /**
   * What this side calls the handler in the errors it makes itself (deadlines, a closed connection).
   * By default, the handler's own name, once its side has told it ("remote handler" until then).
   */
  name?: string;
  /** The clock for call deadlines (default: the global timers). */
  clock?: Clock;
}

/**
 * A handler served in another thread (or anywhere behind an endpoint), as `connectHandler` gives it:
 * proxies typed exactly like a local handler's, an actor that speaks the call protocol, and `close()`.
 *
 * @example
 * ```ts
 * import { connectHandler, type RemoteHandler } from 'greenstate';
 * import type { Manager } from './manager.js';
 * const manager: RemoteHandler<Manager> = connectHandler<typeof Manager>(worker);
 * manager.oneway.updateResource('pump', 3);
 * console.log(await manager.sync({ timeout: 1000 }).accessResources());
 * ```
 */
export interface RemoteHandler<THandler> {
  /** The handler's name, as its side told it (or as `options.name` gave it). */
  readonly name: string;
  /** Sync calls: each sends the call and resolves with the method's result, or rejects with its error. */
  readonly sync: SyncProxy<THandler>;
  /** Oneway calls: each sends the call and returns `undefined`; its error goes to the handler's onOnewayError. */
  readonly oneway: OnewayProxy<THandler>;
  /** An XState actor that speaks the call protocol for this handler; `callSync` takes it as well. */
  readonly ref: RemoteHandlerRef<THandler>;
  /** Sync calls sent and not answered yet. */
  readonly pending: number;
  /** Whether either end closed: then every call fails at once with `HandlerClosedError`. */
  readonly closed: boolean;
  /**
   * Closes this end: pending calls reject with `HandlerClosedError` (`cause`: `reason`) and are withdrawn
   * on the handler's side; later calls fail at once. The endpoint itself is left open.
   */
  close(reason?: unknown): void;
}

/** A handler class, as `connectHandler<typeof Manager>` names it. */
type HandlerClass = abstract new (...args: never) => DeferredCallHandler;

const OPTIONS = { name: is.name, clock: is.clock };

/**
 * Reaches a handler that `exposeHandler` serves at the other end of `endpoint` (a `worker_threads`
 * Worker or its `parentPort`, a `MessagePort`, a `BroadcastChannel`…), and returns at once. Name the
 * handler's class as the type parameter: the proxies are then typed exactly like the local ones.
 * Calls keep their order; arguments and results are structured-cloned; errors arrive with their name,
 * message, stack, cause and class.
 *
 * @example
 * ```ts
 * import { connectHandler } from 'greenstate';
 * import { Worker } from 'node:worker_threads';
 * import type { Manager } from './manager.js';
 *
 * const worker = new Worker(new URL('./manager.worker.js', import.meta.url));
 * const manager = connectHandler<typeof Manager>(worker);
 * manager.oneway.updateResource('pump', 3);
 * const report = await manager.sync({ timeout: 1000 }).accessResources();
 * manager.close();
 * ```
 */
export function connectHandler<THandlerClass extends HandlerClass = typeof DeferredCallHandler>(
  endpoint: Endpoint,
  options?: ConnectOptions,
): RemoteHandler<InstanceType<THandlerClass>> {
  checkOptions(options, OPTIONS, 'connectHandler(endpoint, options)');
  return new ConnectedHandler(new RemoteLink(endpoint, options ?? {}));
}

/** The remote handler `connectHandler` returns: a face over its link. */
class ConnectedHandler<THandler> implements RemoteHandler<THandler> {
  readonly #link: RemoteLink;
  #sync: SyncProxy<THandler> | undefined = undefined;
  #oneway: OnewayProxy<THandler> | undefined = undefined;

  constructor(link: RemoteLink) {
    this.#link = link;
  }

  get name(): string {
    return this.#link.name;
  }

  get sync(): SyncProxy<THandler> {
    this.#sync ??= createRemoteSyncProxy(this.#link) as SyncProxy<THandler>;
    return this.#sync;
  }

  get oneway(): OnewayProxy<THandler> {
    this.#oneway ??= createRemoteOnewayProxy(this.#link) as OnewayProxy<THandler>;
    return this.#oneway;
  }

  get ref(): RemoteHandlerRef<THandler> {
    return this.#link.actor as RemoteHandlerRef<THandler>;
  }

  get pending(): number {
    return this.#link.pending;
  }

  get closed(): boolean {
    return this.#link.closed !== undefined;
  }

  close(reason?: unknown): void {
    this.#link.close(reason);
  }

  toString(): string {
    return `[remote handler ${this.#link.name}]`;
  }
}
