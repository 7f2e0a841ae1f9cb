import { type ActorLogic, type ActorSystem, type AnyActorRef, type Snapshot, setup } from 'xstate';
import type { Graph } from './buildGraph.js';

/** A started body: how to tell it that its state ended. */
export interface BodyHandle {
  /** The state ended (a transition, a stop): abort the body's signal; its result no longer matters. */
  end(): void;
}

/** How a body reports its outcome to its actor: once, and only while its state lasts. */
export type Settle = (ok: boolean, value: unknown) => void;

/** What a run does when its machine enters a state: the machine calls these from its actions and actors. */
export interface RunHooks {
  /** The arguments of the first state. */
  readonly firstArgs: readonly unknown[];
  /** The `onStart` entry action of `state`. */
  enter(state: string, args: readonly unknown[]): void;
  /** Starts the body of `state`, for the state's invoked body actor; it reports through `settle`. */
  startBody(state: string, args: readonly unknown[], settle: Settle): BodyHandle;
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

/** The arguments a state is entered with: from the transition event, or the run's first ones. */
function argsOf(event: { type: string; args?: readonly unknown[] }, run: RunHooks) {
  return (event.type === 'xstate.init' ? run.firstArgs : event.args) ?? [];
}

type BodySnapshot = Snapshot<unknown> & { input: BodyInput | undefined };
type BodyEvent =
  | { type: 'body.done'; output: unknown }
  | { type: 'body.error'; error: unknown }
  | { type: 'xstate.stop' };

const handles = new WeakMap<AnyActorRef, BodyHandle>();

/**
 * The actor logic that runs a body: XState's `fromPromise`, minus the AbortController it makes for
 * every actor and aborts (building a DOMException) whenever a transition cuts a body short. A body
 * makes its signal only if it reads it.
 */
// biome-ignore lint/suspicious/noExplicitAny: XState's own default system type, named so that declarations emit
const bodyLogic: ActorLogic<BodySnapshot, BodyEvent, BodyInput, ActorSystem<any>> = {
  config: 'body',
  getInitialSnapshot: (_scope, input) => ({ status: 'active', output: undefined, error: undefined, input }),
  start(snapshot, { self }) {
    if (snapshot.status !== 'active' || snapshot.input === undefined) return;
    const { hooks, state, args } = snapshot.input;
    const settle: Settle = (ok, value) => {
      if (self.getSnapshot().status !== 'active') return; // stopped: a late result is ignored
      self.send(ok ? { type: 'body.done', output: value } : { type: 'body.error', error: value });
    };
    handles.set(self, hooks.startBody(state, args, settle));
  },
  transition(snapshot, event, { self }) {
    if (snapshot.status !== 'active') return snapshot;
    switch (event.type) {
      case 'body.done':
        handles.delete(self);
        return { status: 'done', output: event.output, error: undefined, input: undefined };
      case 'body.error':
        handles.delete(self);
        return { status: 'error', output: undefined, error: event.error, input: undefined };
      case 'xstate.stop':
        handles.get(self)?.end();
        handles.delete(self);
        return { status: 'stopped', output: undefined, error: undefined, input: undefined };
      default:
        return snapshot;
    }
  },
  getPersistedSnapshot: (snapshot) => snapshot,
};

const stateSetup = setup({
  types: {} as {
    context: { run: RunHooks };
    input: RunHooks;
    events: TransitionEvent;
  },
  actors: { body: bodyLogic },
  actions: {
    onStart: ({ context, event }, params: { state: string }) =>
      context.run.enter(params.state, argsOf(event, context.run)),
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
    const on: Record<string, string | object> = {};
    for (const target of spec.transitionsTo)
      on[target] = target === name ? { target, reenter: true } : target;
    states[name] = {
      ...(spec.onStart && { entry: { type: 'onStart', params: { state: name } } }),
      invoke: {
        id: `body:${name}`,
        src: 'body',
        input: ({ context, event }: { context: { run: RunHooks }; event: TransitionEvent }) => ({
          hooks: context.run,
          state: name,
          args: argsOf(event, context.run),
        }),
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
    context: ({ input }) => ({ run: input }),
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
