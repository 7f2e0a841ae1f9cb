import type { InspectionEvent, Observer } from 'xstate';
import type { Clock } from '../clock.js';

/**
 * The members every handler has. They are not calls: the proxies treat them as unknown methods.
 * `then` and `toJSON` are excluded too: a proxy is never mistaken for a promise, nor serialized by a call.
 */
export const HANDLER_MEMBERS = [
  'constructor',
  'sync',
  'oneway',
  'process',
  'stopProcessing',
  'close',
  'ref',
  'logic',
  'name',
  'pending',
  'ready',
  'currentCall',
  'then',
  'toJSON',
] as const;

/** `Object.prototype`'s members: never calls. */
type ObjectMember =
  | 'toString'
  | 'toLocaleString'
  | 'valueOf'
  | 'hasOwnProperty'
  | 'isPrototypeOf'
  | 'propertyIsEnumerable';

type HandlerMember = (typeof HANDLER_MEMBERS)[number] | ObjectMember;

// biome-ignore lint/suspicious/noExplicitAny: a method type of any signature
type AnyMethod = (...args: any[]) => unknown;

/**
 * The names of the methods a handler subclass `THandler` offers through its proxies: its own string-named
 * methods, without the handler's members (`process`, `sync`, …), `then`, and `Object`'s members.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler, type MethodName } from 'greenstate';
 * class Counter extends DeferredCallHandler {
 *   n = 0;
 *   add(k: number) { this.n += k; }
 *   total() { return this.n; }
 * }
 * const name: MethodName<Counter> = 'add'; // 'add' | 'total'
 * ```
 */
export type MethodName<THandler> = {
  [K in keyof THandler]-?: K extends string
    ? K extends HandlerMember
      ? never
      : THandler[K] extends AnyMethod
        ? K
        : never
    : never;
}[keyof THandler];

/**
 * The methods of `THandler` as sync calls: each takes the method's arguments and returns a promise of its
 * awaited result.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler, type SyncMethods } from 'greenstate';
 * class Counter extends DeferredCallHandler { total() { return 3; } }
 * const calls: SyncMethods<Counter> = new Counter().sync; // calls.total(): Promise<number>
 * ```
 */
export type SyncMethods<THandler> = {
  readonly [K in keyof THandler]: K extends MethodName<THandler>
    ? THandler[K] extends (...args: infer A) => infer R
      ? (...args: A) => Promise<Awaited<R>>
      : never
    : never;
};

/**
 * `handler.sync`: the methods of `THandler` as sync calls, and, called with {@link CallOptions}, the same
 * proxy with a deadline on each of its calls.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler } from 'greenstate';
 * class Counter extends DeferredCallHandler { total() { return 3; } }
 * const counter = new Counter();
 * const total: Promise<number> = counter.sync({ timeout: 100 }).total();
 * ```
 */
export type SyncProxy<THandler> = SyncMethods<THandler> & SyncOptionsCall<THandler> & NotCalls<THandler>;

/** `handler.sync(options)`. */
type SyncOptionsCall<THandler> = (options: CallOptions) => SyncMethods<THandler> & NotCalls<THandler>;

/**
 * The members a function or an object would have that are not calls: typed `never`, so that using one
 * is a compile error (a handler method of that name stays a call).
 */
type NotCalls<THandler> = {
  readonly [K in Exclude<
    'apply' | 'call' | 'bind' | 'length' | 'name' | ObjectMember,
    MethodName<THandler>
  >]: never;
};

/**
 * `handler.oneway`: the methods of `THandler` as fire-and-forget calls returning `void` at once.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler } from 'greenstate';
 * class Log extends DeferredCallHandler { write(line: string) { console.log(line); } }
 * new Log().oneway.write('queued'); // runs when the log's loop calls process()
 * ```
 */
export type OnewayProxy<THandler> = NotCalls<THandler> & {
  readonly [K in keyof THandler]: K extends MethodName<THandler>
    ? THandler[K] extends (...args: infer A) => unknown
      ? (...args: A) => void
      : never
    : never;
};

/**
 * Options of `handler.sync(options)` and `callSync`.
 *
 * @example
 * ```ts
 * import type { CallOptions } from 'greenstate';
 * const options: CallOptions = { timeout: 250, signal: AbortSignal.timeout(1000) }; // milliseconds
 * ```
 */
export interface CallOptions {
  /** Milliseconds before the call rejects with `TimeoutError` (a finite number ≥ 0). */
  timeout?: number;
  /**
   * Cancels the call when it aborts: it rejects at once with `signal.reason`. A queued call is withdrawn
   * (it never runs); a running one's `currentCall.signal` aborts, and its late result is discarded.
   */
  signal?: AbortSignal;
}

/**
 * Options of `handler.process()`.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler, type ProcessOptions } from 'greenstate';
 * class Store extends DeferredCallHandler { get() {} put(v: number) {} }
 * const reads: ProcessOptions<Store> = { whitelist: ['get'] };
 * ```
 */
export interface ProcessOptions<THandler> {
  /** Keep waiting for new calls until `stopProcessing()` is reached. */
  forever?: boolean;
  /** Run only calls to these methods; the others stay queued, in order, for a later `process()`. */
  whitelist?: readonly MethodName<THandler>[];
}

/**
 * What `onOnewayError` learns about the oneway call that failed.
 *
 * @example
 * ```ts
 * import type { OnewayCallInfo } from 'greenstate';
 * const describe = (call: OnewayCallInfo) => `${call.method}(${call.args.length} args)`;
 * ```
 */
export interface OnewayCallInfo {
  method: string;
  args: readonly unknown[];
}

/**
 * Options of `new DeferredCallHandler(options)`.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler } from 'greenstate';
 * class Manager extends DeferredCallHandler {}
 * const manager = new Manager({
 *   name: 'manager',
 *   onOnewayError: (error, call) => console.warn(`${call.method} failed`, error),
 * });
 * ```
 */
export interface HandlerOptions {
  /** The handler's name in errors and in the visualizer (default: its class's name). */
  name?: string;
  /** Where errors of oneway calls go (default: `console.error`, naming the handler and the method). */
  onOnewayError?: (error: unknown, call: OnewayCallInfo) => void;
  /** An XState inspection observer for the handler's actor (as `createActor`'s `inspect`). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /**
   * Registers the handler's own actor in its XState system under this id, as `createActor(logic, {
   * systemId })` does: `handler.ref.system.get(id)` finds it.
   */
  systemId?: string;
  /**
   * Make no actor now: a machine hosts the handler by invoking or spawning `handler.logic` (give the
   * `systemId` there). Until it does, calls queue and `process()` runs them, but `handler.ref` throws.
   */
  hosted?: boolean;
  /** The clock for call deadlines and the actor's delayed events (default: the global timers). */
  clock?: Clock;
  /** How many calls may wait (default `Infinity`); more are refused with `QueueFullError`; see `ready()`. */
  maxPending?: number;
}

/**
 * What a handler's actor holds in its context: plain data, a new object whenever one of them changes.
 *
 * @example
 * ```ts
 * import type { HandlerContext } from 'greenstate';
 * const busy = (context: HandlerContext) => context.currentCall !== undefined || context.pending > 0;
 * ```
 */
export interface HandlerContext {
  readonly name: string;
  /** Calls queued, not yet started. */
  readonly pending: number;
  /** The method of the call that is running, if any. */
  readonly currentCall: string | undefined;
  readonly closed: boolean;
  /** The bound on `pending`, for a handler created with `maxPending` (absent without a bound). */
  readonly maxPending?: number;
}

/**
 * The input of a bare `handlerMachine` actor (one without a handler object): its name.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { handlerMachine, type HandlerInput } from 'greenstate';
 * const input: HandlerInput = { name: 'placeholder' };
 * createActor(handlerMachine, { input }).start(); // answers every call with a TypeError: it has no methods
 * ```
 */
export interface HandlerInput {
  name?: string;
}
