import { createActor } from 'xstate';
import { checkKeys } from '../checkKeys.js';
import { formatValue } from '../formatValue.js';
import { createOnewayProxy, createSyncProxy } from './createCallProxy.js';
import { HandlerCore } from './HandlerCore.js';
import { type HandlerActorRef, handlerLogic } from './handlerMachine.js';
import { isCallable } from './isCallable.js';
import type { HandlerOptions, OnewayProxy, ProcessOptions, SyncProxy } from './types.js';

/**
 * A handler of deferred calls: others call its methods through `sync` (awaiting the result) or `oneway`
 * (fire and forget); the calls wait in its queue until its own loop calls `process()`.
 * Behind it runs an XState actor (`ref`) that speaks the call protocol to any other actor.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler } from 'greenstate';
 *
 * class Counter extends DeferredCallHandler {
 *   n = 0;
 *   add(k: number) { this.n += k; }
 *   total() { return this.n; }
 * }
 *
 * const counter = new Counter();
 * counter.oneway.add(2);
 * const total = counter.sync.total();
 * await counter.process(); // runs add(2), then total()
 * console.log(await total); // 2
 * ```
 */
export class DeferredCallHandler {
  readonly #core: HandlerCore;
  readonly #actor: HandlerActorRef;
  #sync: SyncProxy<this> | undefined;
  #oneway: OnewayProxy<this> | undefined;

  constructor(options: HandlerOptions = {}) {
    checkOptions(options);
    const className = nearestClassName(new.target);
    const core = new HandlerCore(this, options.name ?? className, className, options);
    const actor = createActor(handlerLogic, {
      input: { handler: core },
      id: core.name,
      ...(options.inspect && { inspect: options.inspect }),
      ...(options.clock && { clock: options.clock }),
    });
    // The handler must never be left with calls nobody will answer: if its actor is stopped from
    // outside, the handler closes.
    actor.subscribe({
      complete: () => core.shutdown(new Error(`${core.name}'s actor was stopped.`)),
      error: (error) => core.shutdown(error),
    });
    this.#core = core;
    this.#actor = actor.start();
  }

  /** The methods as sync calls; `sync({ timeout })` gives the same with a deadline per call. */
  get sync(): SyncProxy<this> {
    this.#sync ??= createSyncProxy(this.#core) as SyncProxy<this>;
    return this.#sync;
  }

  /** The methods as oneway calls: queued, and `undefined` returned at once. */
  get oneway(): OnewayProxy<this> {
    this.#oneway ??= createOnewayProxy(this.#core) as OnewayProxy<this>;
    return this.#oneway;
  }

  /** The XState actor behind this handler. */
  get ref(): HandlerActorRef {
    return this.#actor;
  }

  /** `options.name`, else the name of the nearest named class in the constructor chain. */
  get name(): string {
    return this.#core.name;
  }

  /** Calls queued, not yet started. */
  get pending(): number {
    return this.#core.pending;
  }

  /**
   * The call whose method is running, until it settles (even past its deadline or a cancel, with its
   * signal aborted); `undefined` after `close()`.
   */
  get currentCall(): { readonly method: string; readonly signal: AbortSignal } | undefined {
    return this.#core.current?.view;
  }

  /**
   * Runs queued calls, one at a time in queue order, until none that it admits remains (or, with
   * `forever`, until `stopProcessing()` is reached). With a whitelist, other calls stay queued.
   */
  process<T extends DeferredCallHandler>(this: T, options: ProcessOptions<T> = {}): Promise<void> {
    try {
      if (typeof options !== 'object' || options === null) {
        throw new TypeError(
          `${this.name}.process(options) takes an options object, got ${formatValue(options)}.`,
        );
      }
      checkKeys(options, ['forever', 'whitelist'], `${this.name}.process(options)`);
      return this.#core.process(this.#checkWhitelist(options.whitelist), options.forever === true);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Puts a stop marker at the tail of the queue: the loop that reaches it returns. */
  stopProcessing(): void {
    this.#core.stopProcessing();
  }

  /**
   * Rejects every queued and running sync call with `HandlerClosedError` (with `reason` as its cause),
   * ends the processing loop, and makes every later call fail at once.
   */
  close(reason?: unknown): void {
    if (this.#core.closed) return;
    this.#actor.send({ type: 'close', reason });
    // The actor defers the event when it is mid-transition (close() called from one of its actions).
    this.#core.shutdown(reason);
  }

  #checkWhitelist(whitelist: unknown): ReadonlySet<string> | undefined {
    if (whitelist === undefined) return undefined;
    if (typeof whitelist !== 'object' || whitelist === null || !(Symbol.iterator in whitelist)) {
      throw new TypeError(
        `${this.name}.process(): whitelist must be an array of method names, got ${formatValue(whitelist)}.`,
      );
    }
    const names = new Set<string>();
    for (const name of whitelist as Iterable<unknown>) {
      if (typeof name !== 'string' || !isCallable(this, name)) {
        throw new TypeError(
          `${this.name}.process(): the whitelist entry ${formatValue(name)} is not a method of ${this.#core.className} that calls can name.`,
        );
      }
      names.add(name);
    }
    return names;
  }
}

function nearestClassName(ctor: unknown): string {
  for (let c = ctor; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (c.name) return c.name;
  }
  return 'DeferredCallHandler';
}

function checkOptions(options: unknown): asserts options is HandlerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`A handler takes an options object, got ${formatValue(options)}.`);
  }
  checkKeys(options, ['name', 'onOnewayError', 'inspect', 'trace', 'clock'], 'A handler');
  const { name, onOnewayError, clock, trace } = options as HandlerOptions;
  if (trace !== undefined && typeof trace !== 'boolean') {
    throw new TypeError(`options.trace must be true or false, got ${formatValue(trace)}.`);
  }
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new TypeError(`options.name must be a non-empty string, got ${formatValue(name)}.`);
  }
  if (onOnewayError !== undefined && typeof onOnewayError !== 'function') {
    throw new TypeError(`options.onOnewayError must be a function, got ${formatValue(onOnewayError)}.`);
  }
  if (
    clock !== undefined &&
    (typeof clock?.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function')
  ) {
    throw new TypeError('options.clock must have setTimeout(fn, ms) and clearTimeout(id).');
  }
}
