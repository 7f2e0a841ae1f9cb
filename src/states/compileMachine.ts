import { assign, setup } from 'xstate';
import { bodyLogic } from './bodyLogic.js';
import type { CheckedStates } from './checkStates.js';
import { eventArgs, inputArgs, runOnStart } from './runActions.js';
import type { RunContext, RunInput, StatesMachine, TransitionEvent } from './runTypes.js';

/**
 * Compiles a checked graph into an XState machine whose context is plain data, `{ args }` (the current
 * state's arguments): one state node per declared state, whose invoked actor (id `body:<state>`) runs
 * the body and whose entry action `onStart` runs the state's `onStart`; one transition per declared edge,
 * on the event named after the target (`reenter` for a self-transition, so that the body restarts); and
 * the final state every body's return leads to, whose output is the returned value.
 */
export function compileMachine(graph: CheckedStates, id: string, initial: string): StatesMachine {
  const stateSetup = setup({
    types: {} as { context: RunContext; input: RunInput | undefined; events: TransitionEvent },
    actors: { body: bodyLogic(graph) },
    actions: {
      onStart: ({ context, self }, params: { state: string }) =>
        runOnStart(graph, params.state, context.args, self),
      setArgs: assign({ args: ({ event }) => eventArgs(event) }),
    },
  });
  const states: Record<string, object> = {};
  for (const spec of graph.states.values()) {
    const name = spec.name;
    const on: Record<string, object> = {};
    for (const target of spec.transitionsTo)
      on[target] =
        target === name ? { target, reenter: true, actions: 'setArgs' } : { target, actions: 'setArgs' };
    states[name] = {
      ...(spec.onStart && { entry: { type: 'onStart', params: { state: name } } }),
      invoke: {
        id: `body:${name}`,
        src: 'body',
        input: ({ context }: { context: RunContext }) => ({ state: name, args: context.args }),
        onDone: graph.finalState,
      },
      on,
    };
  }
  // The final state takes its output from the body actor's done event that entered it; the root output
  // mapper then sees that output on the final state's done event.
  states[graph.finalState] = {
    type: 'final',
    output: ({ event }: { event: { output?: unknown } }) => event.output,
  };
  return stateSetup.createMachine({
    id,
    initial,
    context: ({ input }) => ({ args: inputArgs(input, id) }),
    output: ({ event }) => (event as unknown as { output: unknown }).output,
    // biome-ignore lint/suspicious/noExplicitAny: the states are built from the graph at run time
    states: states as any,
  }) as unknown as StatesMachine;
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
