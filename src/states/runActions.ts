import type { AnyActorRef } from 'xstate';
import { formatValue } from '../formatValue.js';
import { isThenable } from '../isThenable.js';
import { whileEntering } from './Body.js';
import { noObjectError, targetOf } from './boundMachine.js';
import type { CheckedStates } from './checkStates.js';
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

/** The entry action of a state with an `onStart`: runs it, synchronously, as the state starts. */
export function runOnStart(
  graph: CheckedStates,
  state: string,
  args: readonly unknown[],
  run: AnyActorRef,
): void {
  const target = targetOf(run);
  if (graph.methods && target === undefined) throw noObjectError(graph);
  const onStart = graph.states.get(state)?.onStart;
  const result: unknown = whileEntering(target, () => onStart?.call(target, state, ...args));
  if (isThenable(result)) {
    Promise.resolve(result).catch(() => {}); // refused below: its outcome must not go unhandled
    throw new TypeError(
      `onStart of state "${state}" (${graph.where}) returned a promise: onStart runs as the state's XState entry ` +
        'action, synchronously, before the body. Do asynchronous work in the body.',
    );
  }
}
