import { fromPromise, setup } from 'xstate';
import type { Graph } from './buildGraph.js';

/** What a run does when its machine enters a state: the machine calls these from its actions and actors. */
export interface RunHooks {
  /** The `onStart` entry action of `state`. */
  enter(state: string, args: readonly unknown[]): void;
  /** The body of `state`, run by the state's invoked promise actor. */
  runBody(state: string, args: readonly unknown[], signal: AbortSignal): Promise<unknown>;
}

/** A transition event: its type is the target state's name; it carries the target body's arguments. */
export interface TransitionEvent {
  type: string;
  args: readonly unknown[];
}

interface BodyInput {
  hooks: RunHooks;
  state: string;
  args: readonly unknown[];
}

/** The arguments a state is entered with: from the transition event, or from the input for the first state. */
function argsOf(event: { type: string; args?: readonly unknown[]; input?: { args?: readonly unknown[] } }) {
  return (event.type === 'xstate.init' ? event.input?.args : event.args) ?? [];
}

const stateSetup = setup({
  types: {} as {
    context: { run: RunHooks };
    input: { run: RunHooks; args: readonly unknown[] };
    events: TransitionEvent;
  },
  actors: {
    body: fromPromise<unknown, BodyInput>(({ input, signal }) =>
      input.hooks.runBody(input.state, input.args, signal),
    ),
  },
  actions: {
    onStart: ({ context, event }, params: { state: string }) =>
      context.run.enter(params.state, argsOf(event)),
  },
});

/**
 * Compiles a checked graph into an XState machine: one state node per declared state, whose invoked
 * actor (id `body:<state>`) runs the body and whose entry action `onStart` runs the state's `onStart`;
 * one transition per declared edge, on the event named after the target (`reenter` for a self-transition
 * so that the body restarts); and the final state every body's return leads to, whose output is the
 * returned value.
 */
export function compileMachine(graph: Graph, id: string, initial: string) {
  const states: Record<string, object> = {};
  for (const spec of graph.states.values()) {
    const name = spec.name;
    const on: Record<string, object> = {};
    for (const target of spec.transitionsTo) on[target] = { target, reenter: target === name };
    states[name] = {
      entry: spec.onStart ? [{ type: 'onStart', params: { state: name } }] : [],
      invoke: {
        id: `body:${name}`,
        src: 'body',
        input: ({ context, event }: { context: { run: RunHooks }; event: TransitionEvent }) => ({
          hooks: context.run,
          state: name,
          args: argsOf(event),
        }),
        onDone: { target: graph.finalState },
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
    context: ({ input }) => ({ run: input.run }),
    output: ({ event }) => (event as unknown as { output: unknown }).output,
    // biome-ignore lint/suspicious/noExplicitAny: the states are built from the graph at run time
    states: states as any,
  });
}

/**
 * The XState machine of a state graph (`graph.machine`).
 *
 * @example
 * ```ts
 * import { defineStates, type StatesMachine } from 'greenstate';
 * const graph = defineStates({ idle: () => 'done' });
 * const machine: StatesMachine = graph.machine;
 * console.log(machine.toJSON());
 * ```
 */
export type StatesMachine = ReturnType<typeof compileMachine>;

/** The machines of one graph, one per initial state (same states and edges), each compiled on first use. */
export function machinesOf(graph: Graph, id: string): (initial: string) => StatesMachine {
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
