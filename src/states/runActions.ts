import type { AnyActorRef, EventObject } from 'xstate';
import { formatValue } from '../formatValue.js';
import { isThenable } from '../isThenable.js';
import { whileInHook } from './Body.js';
import { bodyOf } from './bodyLogic.js';
import { noObjectError, targetOf } from './boundMachine.js';
import type { CheckedStates } from './checkStates.js';
import { exitReason, failStart, runOnExit } from './endState.js';
import type { TransitionEvent } from './runTypes.js';

// What a compiled machine's context factory and actions do when they run.

/** The first state's arguments, from the machine's input: `{ args: [...] }`, or nothing for none. */
export function inputArgs(input: unknown, id: string): readonly unknown[] {
  if (input === undefined) return [];
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const { args, ...others } = input as { args?: unknown };
    if (Object.keys(others).length === 0 && (args === undefined || Array.isArray(args))) return args ?? [];
  }
  throw new TypeError(
    `The machine ${id} takes the input { args: [...] } (the first state's arguments), got ${formatValue(input)}.`,
  );
}

/** The arguments a transition event carries to its target. */
export function eventArgs(event: TransitionEvent): readonly unknown[] {
  if (event.args === undefined) return [];
  if (Array.isArray(event.args)) return event.args;
  throw new TypeError(`The event ${event.type} carries args as an array, got ${formatValue(event.args)}.`);
}

/**
 * The entry action of a state with an `onStart`: runs it, synchronously, as the state starts. If it fails,
 * and the state has an `onError`, its body fails with that error instead of running (the invoke's
 * `onError` takes the run on); without one, the run fails, and the state's `onExit` is told first.
 */
export function runOnStart(
  graph: CheckedStates,
  state: string,
  args: readonly unknown[],
  run: AnyActorRef,
): void {
  const target = targetOf(run);
  if (graph.methods && target === undefined) throw noObjectError(graph);
  const onStart = graph.states.get(state)?.onStart;
  try {
    const result: unknown = whileInHook(target, 'onStart', () => onStart?.call(target, state, ...args));
    if (isThenable(result)) {
      Promise.resolve(result).catch(() => {}); // refused below: its outcome must not go unhandled
      throw new TypeError(
        `onStart of state "${state}" (${graph.where}) returned a promise: onStart runs as the state's XState entry ` +
          'action, synchronously, before the body. Do asynchronous work in the body.',
      );
    }
  } catch (error) {
    if (graph.states.get(state)?.onError !== undefined) {
      failStart(run, state, error);
      return;
    }
    // XState runs no exit action when the run fails: the state's body ends, and onExit is told, here.
    endBody(run, state);
    runOnExit(graph, state, target, { type: 'error', error });
    throw error;
  }
}

/**
 * The exit action of a state with an `onExit`: ends its body (its signal aborts before anything else
 * runs; XState stops the body's actor only after the next state's entry actions), then runs `onExit`.
 */
export function runExit(graph: CheckedStates, state: string, event: EventObject, run: AnyActorRef): void {
  endBody(run, state);
  runOnExit(graph, state, targetOf(run), exitReason(graph, state, event));
}

/** Ends the live body of `state` in the run `run`, if it has one: its signal aborts. */
export function endBody(run: AnyActorRef, state: string): void {
  bodyOf(run.getSnapshot().children[`body:${state}`])?.end();
}
