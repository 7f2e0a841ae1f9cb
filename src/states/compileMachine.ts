import { type AnyActorLogic, assign, setup } from 'xstate';
import { bodyLogic } from './bodyLogic.js';
import type { CheckedStates } from './checkStates.js';
import { endBody, eventArgs, inputArgs, runExit, runOnStart } from './runActions.js';
import type { RunContext, RunInput, StatesMachine, TransitionEvent } from './runTypes.js';

/**
 * Compiles a checked graph into an XState machine whose context is plain data, `{ args }` (the current
 * state's arguments): one state node per declared state, whose invoked actor (id `body:<state>`) runs
 * the body, whose entry action `onStart` runs the state's `onStart` and whose exit action `onExit` its
 * `onExit`; one transition per declared edge, on the event named after the target (`reenter` for a
 * self-transition, so that the body restarts); a state's `timeout` as its `after` transition and its
 * `onError` as the invoke's `onError` (the target gets the error as its argument); and the final state
 * every body's return leads to, whose output is the returned value. `body` is the logic of the body
 * actors: in-process by default; another host (Restate) gives its own, which follows the same protocol.
 */
export function compileMachine(
  graph: CheckedStates,
  id: string,
  initial: string,
  body: AnyActorLogic = bodyLogic(graph),
): StatesMachine {
  const stateSetup = setup({
    types: {} as { context: RunContext; input: RunInput | undefined; events: TransitionEvent },
    actors: { body },
    actions: {
      onStart: ({ context, self }, params: { state: string }) =>
        runOnStart(graph, params.state, context.args, self),
      onExit: ({ event, self }, params: { state: string }) => runExit(graph, params.state, event, self),
      endBody: ({ self }, params: { state: string }) => endBody(self, params.state),
      setArgs: assign({ args: ({ event }) => eventArgs(event) }),
      setTimeoutArgs: assign({
        args: (_, params: { state: string }) => graph.states.get(params.state)?.timeout?.args ?? [],
      }),
      setError: assign({ args: ({ event }) => [(event as { error?: unknown }).error] }),
    },
  });
  const states: Record<string, object> = {};
  for (const spec of graph.states.values()) {
    const name = spec.name;
    const params = { state: name };
    // A self-transition re-enters its state, so that its body restarts.
    const to = (target: string, actions: unknown) =>
      target === name ? { target, reenter: true, actions } : { target, actions };
    const on: Record<string, object> = {};
    for (const target of spec.transitionsTo) on[target] = to(target, 'setArgs');
    const { onError, timeout } = spec;
    states[name] = {
      ...(spec.onStart && { entry: { type: 'onStart', params } }),
      ...(spec.onExit && { exit: { type: 'onExit', params } }),
      invoke: {
        id: `body:${name}`,
        src: 'body',
        input: ({ context }: { context: RunContext }) => ({ state: name, args: context.args }),
        onDone: graph.finalState,
        ...(onError !== undefined && { onError: to(onError, 'setError') }),
      },
      on,
      // The timed-out body ends before the next state's onStart (XState stops its actor only after that).
      ...(timeout && {
        after: {
          [timeout.after]: to(timeout.to, [
            { type: 'endBody', params },
            { type: 'setTimeoutArgs', params },
          ]),
        },
      }),
    };
  }
  // The final state takes its output from the body actor's done event that entered it; the root output
  // mapper then sees that output on the final state's done event.
  states[graph.finalState] = {
    type: 'final',
    output: ({ event }: { event: { output?: unknown } }) => event.output,
  };
  const machine = stateSetup.createMachine({
    id,
    initial,
    context: ({ input }) => ({ args: inputArgs(input, id) }),
    output: ({ event }) => (event as unknown as { output: unknown }).output,
    // biome-ignore lint/suspicious/noExplicitAny: the states are built from the graph at run time
    states: states as any,
  }) as unknown as StatesMachine;
  compiled.set(machine, graph);
  return machine;
}

/** The graph each machine was compiled from. */
const compiled = new WeakMap<object, CheckedStates>();

/** The checked graph `machine` was compiled from (or a machine derived from one), if it was. */
export function graphOf(machine: unknown): CheckedStates | undefined {
  for (let m = machine; typeof m === 'object' && m !== null; m = Object.getPrototypeOf(m)) {
    const graph = compiled.get(m);
    if (graph !== undefined) return graph;
  }
  return undefined;
}

/** The machines of one graph, one per initial state (same states and edges), each compiled on first use. */
export function machinesOf(graph: CheckedStates, id: string): (initial: string) => StatesMachine {
  const machines = new Map<string, StatesMachine>();
  return (initial) => {
    let machine = machines.get(initial);
    if (machine === undefined) {
      machine = compileMachine(graph, id, initial);
      machines.set(initial, machine);
    }
    return machine;
  };
}
