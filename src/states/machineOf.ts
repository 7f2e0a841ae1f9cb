import { createActor } from 'xstate';
import { formatValue } from '../formatValue.js';
import { never, refuseInHook, requestTransition, runningBody } from './Body.js';
import { bodyOf } from './bodyLogic.js';
import { bindMachine, currentRun } from './boundMachine.js';
import { type CheckedStates, checkStates, type RawState } from './checkStates.js';
import { machinesOf } from './compileMachine.js';
import type { StateRun, StatesMachine } from './runTypes.js';

/**
 * Marks a decorated method with the state it declares.
 *
 * @internal
 */
export const STATE = Symbol('greenstate.state');

/**
 * A decorated method: it calls `callState`, and carries its state's definition.
 *
 * @internal
 */
export interface StateMethod {
  (this: object, ...args: unknown[]): unknown;
  [STATE]: RawState;
}

interface ClassGraph {
  graph: CheckedStates;
  machineFor: (initial: string) => StatesMachine;
}

const classGraphs = new WeakMap<object, ClassGraph>();

/**
 * The checked graph of an object's class: its decorated methods, base classes' first.
 *
 * @internal
 */
export function classGraph(obj: object): ClassGraph {
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

/**
 * A state method's call: a tail call from its body, a transition of its object's run, or a new run.
 *
 * @internal
 */
export function callState(obj: object, name: string, args: unknown[]): unknown {
  const { graph, machineFor } = classGraph(obj);
  refuseInHook(obj, name);
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
  const clock = graph.clock;
  createActor(bindMachine(machineFor(name), obj), { input: { args }, ...(clock && { clock }) }).start();
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
