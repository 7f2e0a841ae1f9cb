import { createActor } from 'xstate';
import { checkOptions } from '../checkOptions.js';
import { StateDefinitionError } from '../errors.js';
import { formatValue } from '../formatValue.js';
import { never, refuseInOnStart, requestTransition, runningBody } from './Body.js';
import { bodyOf } from './bodyLogic.js';
import { bindMachine, currentRun } from './boundMachine.js';
import { type CheckedStates, checkStates, type RawState, STATE_OPTIONS } from './checkStates.js';
import { machinesOf } from './compileMachine.js';
import type { StateRun, StatesMachine } from './runTypes.js';

/**
 * Options of `@state(...)`.
 *
 * @example
 * ```ts
 * import { state, type StateMethodOptions } from 'greenstate';
 * const growing: StateMethodOptions = { transitionsTo: ['flowering', 'dead'] };
 * ```
 */
export interface StateMethodOptions {
  /** The states (method names) this one may transition to: a name, or any iterable of names. */
  transitionsTo?: string | Iterable<string>;
  /** Runs as the state starts, before its body, with `this` the object, the state's name and the args. */
  // biome-ignore lint/suspicious/noExplicitAny: called with the object and the state's own arguments
  onStart?: (this: any, state: string, ...args: any[]) => void;
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

const STATE = Symbol('greenstate.state');

interface StateMethod {
  (this: object, ...args: unknown[]): unknown;
  [STATE]: RawState;
}

interface ClassGraph {
  graph: CheckedStates;
  machineFor: (initial: string) => StatesMachine;
}

const classGraphs = new WeakMap<object, ClassGraph>();

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
export function state(options?: StateMethodOptions): MethodDecorator;
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
  checkOptions(options, STATE_OPTIONS, '@state(options)', StateDefinitionError);
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
  stateMethod[STATE] = { name, transitionsTo: options.transitionsTo, onStart: options.onStart, body: method };
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

/** The checked graph of an object's class: its decorated methods, base classes' first. */
function classGraph(obj: object): ClassGraph {
  const prototype = Object.getPrototypeOf(obj) as object;
  const known = classGraphs.get(prototype);
  if (known) return known;
  const chain: object[] = [];
  for (let p: object | null = prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p))
    chain.unshift(p);
  const raw = new Map<string, RawState>();
  for (const p of chain) {
    for (const key of Object.getOwnPropertyNames(p)) {
      const value = Object.getOwnPropertyDescriptor(p, key)?.value as Partial<StateMethod> | undefined;
      if (typeof value === 'function' && value[STATE]) raw.set(key, value[STATE]);
    }
  }
  const id = (prototype.constructor as { name?: string }).name || 'states';
  if (raw.size === 0) {
    throw new TypeError(
      `class ${id} has no @state methods, so it has no machine: decorate its states with @state.`,
    );
  }
  // Every method is an entry point (any of them may start a run), so no state is "unreachable".
  // A `then` state would make the objects thenable: `await obj` would start the machine.
  const graph = checkStates([...raw.values()], {
    where: `class ${id}`,
    reserved: ['then'],
    unreachable: 'ignore',
    methods: true,
  });
  const entry = { graph, machineFor: machinesOf(graph, id) };
  classGraphs.set(prototype, entry);
  return entry;
}

function callState(obj: object, name: string, args: unknown[]): unknown {
  const { graph, machineFor } = classGraph(obj);
  refuseInOnStart(obj, name);
  const caller = runningBody.get();
  if (caller !== undefined && caller.target === obj) {
    // From a body of this object's machine (or a task it started): a tail call, or nothing if stale.
    caller.transition(name, args);
    return never();
  }
  const current = currentRun(obj);
  const snapshot = current?.actor.getSnapshot();
  // A run that has just ended (its observers are still being told) is over: a call starts a new one.
  if (current !== undefined && snapshot?.status === 'active') {
    const from = snapshot.value as string;
    requestTransition(current.actor, graph, from, name, args, bodyOf(snapshot.children[`body:${from}`]));
    return current;
  }
  // The actor becomes the object's run as it starts, before the first onStart runs.
  createActor(bindMachine(machineFor(name), obj), { input: { args } }).start();
  return currentRun(obj) as StateRun | undefined;
}

/**
 * The running state machine of an object with `@state` methods, if any (`undefined` once it ended),
 * whoever started it: a state method called from outside, or `createActor(machineOf(obj))`.
 *
 * @example
 * ```ts
 * import { runOf } from 'greenstate';
 * const run = runOf(seed);
 * console.log(run?.state); // e.g. 'growing'
 * ```
 */
export function runOf(obj: object): StateRun<unknown, string> | undefined {
  return currentRun(obj) as StateRun<unknown, string> | undefined;
}

/**
 * The XState machine of an object with `@state` methods, starting in `initial` (default: its first
 * state): `createActor(machineOf(plant))`, a parent's `invoke` or `useMachine` run that object's methods,
 * and the actor becomes its run (`runOf(plant)`). Given the class itself, the class's machine, for
 * drawing and `xstate/graph` (it cannot run without an object).
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { machineOf } from 'greenstate';
 * const actor = createActor(machineOf(seed)).start(); // runs seed's states, from the first one
 * console.log(machineOf(Seed).toJSON()); // states sprouting, growing and the final state done
 * ```
 */
export function machineOf(
  target: (abstract new (...args: never[]) => object) | object,
  initial?: string,
): StatesMachine {
  const isClass = typeof target === 'function';
  const { graph, machineFor } = classGraph(
    isClass ? (Object.create((target as { prototype: object }).prototype) as object) : (target as object),
  );
  const first = initial ?? graph.first;
  if (!graph.states.has(first)) {
    throw new TypeError(
      `${graph.where} has no state ${formatValue(first)} (its states: ${[...graph.states.keys()].join(', ')}).`,
    );
  }
  return isClass ? machineFor(first) : bindMachine(machineFor(first), target as object);
}
