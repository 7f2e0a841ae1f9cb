import { checkOptions, is } from '../checkOptions.js';
import type { Clock } from '../clock.js';
import { StateDefinitionError } from '../errors.js';
import { STATE_OPTIONS } from './checkStates.js';
import { callState, classGraph, STATE, type StateMethod } from './machineOf.js';
import type { ExitReason, StateTimeout } from './stateOptions.js';
import type { CheckTimeout } from './stateTypes.js';

const METHOD_OPTIONS = { ...STATE_OPTIONS, clock: is.clock };

/**
 * Options of `@state(...)`.
 *
 * @example
 * ```ts
 * import { state, type StateMethodOptions } from 'greenstate';
 * const growing: StateMethodOptions = {
 *   transitionsTo: ['flowering', 'dead'],
 *   timeout: { after: 10_000, to: 'dead' },
 *   onError: 'dead',
 *   onExit: (state, reason) => console.log(`${state} ended: ${reason.type}`),
 * };
 * ```
 */
export interface StateMethodOptions {
  /** The states (method names) this one may transition to: a name, or any iterable of names. */
  transitionsTo?: string | Iterable<string>;
  /** Runs as the state starts, before its body, with `this` the object, the state's name and the args. */
  // biome-ignore lint/suspicious/noExplicitAny: called with the object and the state's own arguments
  onStart?: (this: any, state: string, ...args: any[]) => void;
  /**
   * Runs as the state ends (its XState exit action), after its body's signal aborted and before the next
   * state's `onStart`, with `this` the object, told why. A failure of it is reported, never the run's.
   */
  // biome-ignore lint/suspicious/noExplicitAny: called with the object
  onExit?: (this: any, state: string, reason: ExitReason) => unknown;
  /** The state (method name) a failure of the body or of `onStart` moves the run to; it gets the error. */
  onError?: string;
  /** Moves the run to `timeout.to` (listed in `transitionsTo`) if the state is still current after `after` ms. */
  timeout?: StateTimeout;
  /**
   * The clock of the runs the object's state methods start (sleeps and timeouts); `createTestClock()` in
   * tests. Every state method of a class that names a clock must name the same one.
   */
  clock?: Clock;
}

/**
 * The old name of {@link StateMethodOptions}.
 *
 * @deprecated Use `StateMethodOptions`; `StateOptions` differed from `DefineStatesOptions`'s old name by a letter.
 * @example
 * ```ts
 * import type { StateMethodOptions } from 'greenstate';
 * const growing: StateMethodOptions = { transitionsTo: 'dead' };
 * ```
 */
export type StateOptions = StateMethodOptions;

type Method<This, Args extends unknown[], R> = (this: This, ...args: Args) => R;
type MethodDecorator = <This extends object, Args extends unknown[], R>(
  method: Method<This, Args, R>,
  context: ClassMethodDecoratorContext<This, Method<This, Args, R>>,
) => Method<This, Args, R>;

/**
 * Declares a method as a state (a standard decorator). Called from outside, a state method starts a
 * machine for its object (or, while one runs, requests a transition of it and returns its run); called
 * from inside the current state's body, it is a checked tail call. `@state` alone is `@state()`.
 *
 * @example
 * ```ts
 * import { runOf, state } from 'greenstate';
 *
 * class Seed {
 *   @state({ transitionsTo: 'growing' })
 *   async sprouting() {
 *     return this.growing(3);
 *   }
 *   @state()
 *   async growing(days: number) {
 *     return `grown in ${days} days`;
 *   }
 * }
 * const seed = new Seed();
 * seed.sprouting();
 * console.log(await runOf(seed)?.done); // 'grown in 3 days'
 * ```
 */
export function state<const TOptions extends StateMethodOptions>(
  options?: TOptions & NoInfer<CheckTimeout<TOptions>>,
): MethodDecorator;
export function state<This extends object, Args extends unknown[], R>(
  method: Method<This, Args, R>,
  context: ClassMethodDecoratorContext<This, Method<This, Args, R>>,
): Method<This, Args, R>;
export function state(optionsOrMethod?: unknown, maybeContext?: unknown): unknown {
  if (isLegacyCall(maybeContext)) throw legacyDecorators();
  if (typeof optionsOrMethod === 'function') {
    return decorate(
      {},
      optionsOrMethod as Method<object, unknown[], unknown>,
      maybeContext as ClassMethodDecoratorContext,
    );
  }
  const options = (optionsOrMethod ?? {}) as StateMethodOptions;
  checkOptions(options, METHOD_OPTIONS, '@state(options)', StateDefinitionError);
  return (method: Method<object, unknown[], unknown>, context: ClassMethodDecoratorContext) =>
    decorate(options, method, context);
}

function decorate(
  options: StateMethodOptions,
  method: Method<object, unknown[], unknown>,
  context: ClassMethodDecoratorContext,
): StateMethod {
  if (isLegacyCall(context)) throw legacyDecorators();
  if (context?.kind !== 'method' || context.static || context.private || typeof context.name !== 'string') {
    throw new TypeError(
      `@state decorates public instance methods with string names; got ${context?.kind ?? 'no decorator context'} ` +
        `${String(context?.name)}.`,
    );
  }
  const name = context.name;
  const stateMethod = function (this: unknown, ...args: unknown[]): unknown {
    if (typeof this !== 'object' || this === null || isPrototype(this)) {
      throw new TypeError(
        `The state method ${name}() must be called on an object of its class (obj.${name}(…)), but it was called ` +
          `with ${this === null || typeof this !== 'object' ? `this = ${String(this)} (a detached method)` : "the class's prototype as this"}.`,
      );
    }
    return callState(this, name, args);
  } as StateMethod;
  Object.defineProperty(stateMethod, 'name', { value: name });
  const { transitionsTo, onStart, onExit, onError, timeout, clock } = options;
  stateMethod[STATE] = { name, transitionsTo, onStart, onExit, onError, timeout, clock, body: method };
  // The class's graph is checked at its first construction.
  context.addInitializer(function (this: unknown) {
    classGraph(this as object);
  });
  return stateMethod;
}

/** TypeScript's `experimentalDecorators` call method decorators with `(prototype, name, descriptor)`. */
function isLegacyCall(context: unknown): boolean {
  return typeof context === 'string' || typeof context === 'symbol';
}

function legacyDecorators(): TypeError {
  return new TypeError(
    '@state is a standard (TC39) decorator, but it was called as a legacy one: greenstate needs TypeScript ≥ 5.0 ' +
      'without "experimentalDecorators" (remove that option from tsconfig.json), or a runtime with standard decorators.',
  );
}

/** Whether `obj` is a class's prototype (`Lamp.prototype`), which has no machine of its own. */
function isPrototype(obj: object): boolean {
  return (
    Object.hasOwn(obj, 'constructor') &&
    (obj as { constructor: { prototype?: unknown } }).constructor.prototype === obj
  );
}
