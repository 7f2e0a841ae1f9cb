import { createActor } from 'xstate';
import { checkOptions, is } from '../checkOptions.js';
import { createOnewayProxy, createSyncProxy } from './createCallProxy.js';
import { HandlerCore } from './HandlerCore.js';
import { type HandlerActorRef, handlerLogicOf, type handlerMachine } from './handlerMachine.js';
import type { HandlerOptions, OnewayProxy, ProcessOptions, SyncProxy } from './types.js';
import { Whitelist } from './Whitelist.js';

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
  readonly #logic: typeof handlerMachine;
  #sync: SyncProxy<this> | undefined;
  #oneway: OnewayProxy<this> | undefined;

  constructor(options: HandlerOptions = {}) {
    const className = nearestClassName(new.target);
    checkHandlerOptions(options, `new ${className}(options)`);
    const core = new HandlerCore(this, options.name ?? className, className, options);
    this.#core = core;
    this.#logic = handlerLogicOf(core);
    if (options.hosted !== true) {
      const actor = createActor(this.#logic, {
        id: core.name,
        ...(options.systemId !== undefined && { systemId: options.systemId }),
        ...(options.inspect && { inspect: options.inspect }),
        ...(options.clock && { clock: options.clock }),
      });
      core.face.adopt(actor, options.inspect !== undefined);
      actor.start();
    }
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

  /** The XState actor that shows this handler and speaks its call protocol. */
  get ref(): HandlerActorRef<this> {
    const actor = this.#core.face.actor;
    if (actor === undefined) {
      throw new Error(
        `${this.name} is hosted and no machine hosts it yet: its actor exists once a machine invokes or spawns ` +
          `${this.name}'s handler.logic.`,
      );
    }
    return actor as HandlerActorRef<this>;
  }

  /**
   * The handler's actor logic: `handlerMachine` bound to this handler. A machine that invokes or spawns
   * it (`invoke: { src: handler.logic, systemId: 'manager' }`) hosts the handler: that actor becomes
   * `handler.ref`, and the proxies' calls are its calls. Create such a handler with `{ hosted: true }`.
   */
  get logic(): typeof handlerMachine {
    return this.#logic;
  }

  /** `options.name`, else the name of the nearest named class in the constructor chain. */
  get name(): string {
    return this.#core.name;
  }

  /** Calls queued, not yet started. */
  get pending(): number {
    return this.#core.queue.length;
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
  process<THandler extends DeferredCallHandler>(
    this: THandler,
    options: ProcessOptions<THandler> = {},
  ): Promise<void> {
    const self = this as DeferredCallHandler;
    try {
      checkOptions(options, PROCESS_OPTIONS, `${self.name}.process(options)`);
      const { forever } = options;
      const core = self.#core;
      const whitelist = Whitelist.of(
        options.whitelist,
        (name) => core.isMethod(name),
        `${self.name}.process()`,
        core.errors.className,
      );
      return core.process(whitelist, forever === true);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Resolves once fewer than `maxPending` calls wait in the queue (at once if so, and always at once
   * without a bound), so that a producer can `await handler.ready()` before sending; rejects with
   * `HandlerClosedError` once the handler is closed.
   */
  ready(): Promise<void> {
    return this.#core.ready();
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
    this.#core.close(reason);
  }
}

function nearestClassName(ctor: unknown): string {
  for (let c = ctor; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (c.name) return c.name;
  }
  return 'DeferredCallHandler';
}

const OPTIONS = {
  name: is.name,
  onOnewayError: is.function,
  inspect: is.observer,
  clock: is.clock,
  systemId: is.name,
  hosted: is.boolean,
  maxPending: is.bound,
};
const PROCESS_OPTIONS = { forever: is.boolean, whitelist: is.anything };

function checkHandlerOptions(options: unknown, where: string): asserts options is HandlerOptions {
  checkOptions(options, OPTIONS, where);
  const { systemId, hosted, inspect } = options as HandlerOptions;
  if (hosted === true && (systemId !== undefined || inspect !== undefined)) {
    throw new TypeError(
      'A hosted handler takes its systemId and inspection from the machine that hosts it: give systemId in ' +
        'the invoke or spawnChild of handler.logic, and inspect in createActor of that machine.',
    );
  }
}
