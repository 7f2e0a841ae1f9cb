import type { AnyActorRef, AnyMachineSnapshot, EventObject } from 'xstate';
import { callHook } from '../callHook.js';
import { whileInHook } from './Body.js';
import type { CheckedStates } from './checkStates.js';
import type { ExitReason } from './stateOptions.js';

// How a state ends: why (its exit reason), its `onExit` (which XState runs as the state's exit action,
// except where XState runs none: a stop, a failure of the run; there greenstate calls it itself), its
// timeout's timer after a restore, and an `onStart` failure that its `onError` catches.

/**
 * Why `state` is being exited, read from the event of its XState exit action: its body's actor completing
 * (a return) or failing (caught by `onError`), its `after` timer (a timeout), or a transition event,
 * whose type is the target's name.
 */
export function exitReason(graph: CheckedStates, state: string, event: EventObject): ExitReason {
  const spec = graph.states.get(state);
  const { type } = event;
  if (type === `xstate.done.actor.body:${state}`)
    return { type: 'return', value: (event as { output?: unknown }).output };
  if (type === `xstate.error.actor.body:${state}`) {
    const error = (event as { error?: unknown }).error;
    return spec?.onError === undefined
      ? { type: 'error', error }
      : { type: 'error', error, to: spec.onError };
  }
  if (type.startsWith('xstate.after.') && spec?.timeout !== undefined)
    return { type: 'timeout', to: spec.timeout.to };
  return { type: 'transition', to: type };
}

/**
 * Calls the `onExit` of `state`, if it has one, with `this` the object (for methods). A failure of it
 * (a throw, a rejected promise, a transition it requests) is reported on `console.error`: it never
 * changes the run.
 */
export function runOnExit(
  graph: CheckedStates,
  state: string,
  target: object | undefined,
  reason: ExitReason,
): void {
  const onExit = graph.states.get(state)?.onExit;
  if (onExit === undefined) return;
  callHook(
    () => whileInHook(target, 'onExit', () => onExit.call(target, state, reason)),
    `greenstate: onExit of state "${state}" (${graph.where})`,
    `why the state ended (${reason.type})`,
    reason,
  );
}

/** States whose `onStart` failed with an `onError` to go to, by run: their body fails with that error. */
const failedStarts = new WeakMap<AnyActorRef, { state: string; error: unknown }>();

/**
 * Records that `onStart` of `state` failed with `error` in the run `run`, whose `onError` catches it:
 * instead of running, the state's body fails with that very error, and the invoke's `onError` takes the
 * run on, as it does for a failing body.
 */
export function failStart(run: AnyActorRef, state: string, error: unknown): void {
  failedStarts.set(run, { state, error });
}

/** The failure of the `onStart` of `state` in `run` (recorded by `failStart`), taken once. */
export function takeFailedStart(run: AnyActorRef, state: string): { error: unknown } | undefined {
  const failed = failedStarts.get(run);
  if (failed === undefined || failed.state !== state) return undefined;
  failedStarts.delete(run);
  return failed;
}

/**
 * Sets the timer of a restored state's timeout again: XState's `after` is a delayed event raised by the
 * state's entry action, which a restore does not run, and XState does not persist its timers. The state's
 * body starts again from its beginning, and its deadline counts from then too.
 */
export function rearmTimeout(graph: CheckedStates, state: string, run: AnyActorRef): void {
  const timeout = graph.states.get(state)?.timeout;
  const node = (run.getSnapshot() as AnyMachineSnapshot).machine?.root.states[state];
  if (timeout === undefined || node === undefined) return;
  // The event and id XState's own `after` uses: the state's exit cancels it as it would XState's timer.
  const type = `xstate.after.${timeout.after}.${node.id}`;
  run.system.scheduler.schedule(run, run, { type }, timeout.after, type);
}
