import type { AnyActorRef, AnyActorScope, AnyMachineSnapshot, AnyStateMachine, Snapshot } from 'xstate';
import { formatValue } from '../formatValue.js';
import { HandlerCore } from './HandlerCore.js';
import type { HandlerEvent } from './protocol.js';
import type { HandlerInput } from './types.js';

/** The handler machine, as far as its logic needs to know it. */
type Machine = AnyStateMachine;
type MachineSnapshot = AnyMachineSnapshot;
type Transition = (snapshot: MachineSnapshot, event: HandlerEvent, scope: AnyActorScope) => MachineSnapshot;

/** The core whose actor is in a transition of the machine: what its guards and actions act on. */
let active: HandlerCore | undefined;

/** The core the handler machine's guards and actions act on, during one of its actors' transitions. */
export const activeCore = (): HandlerCore | undefined => active;

/** The core behind each handler actor. */
const cores = new WeakMap<AnyActorRef, HandlerCore>();

const CORE = Symbol('greenstate.core');

/** The handlers' events that change the context only: the machine takes no transition on them. */
const CONTEXT_ONLY = new Set(['call.start', 'call.settle', 'call.end', 'handler.attach', 'handler.refresh']);

/** The core behind a handler actor (the handler's own, or a bare one). */
export function coreOf(ref: AnyActorRef): HandlerCore | undefined {
  return cores.get(ref);
}

/** The logic of one handler's actor: the handler machine, bound to that handler's core. */
export function logicOf<TMachine extends Machine>(machine: TMachine, core: HandlerCore): TMachine {
  return Object.create(machine, { [CORE]: { value: core } }) as TMachine;
}

/**
 * Makes the handler machine the logic every handler actor runs. The handler's core is the truth: events
 * it answers without a transition (a call queued while no loop waits, a cancel, the core's own reports)
 * skip XState's transition pass, and every snapshot carries the core's current context. An actor takes
 * up its handler as it starts (one made and never started, as `xstate/graph` and React's first render
 * make, takes up nothing). A bare `createActor(handlerMachine)` runs a handler without methods.
 */
export function withHandlerLogic<TMachine extends Machine>(machine: TMachine): TMachine {
  // XState binds these to the machine: the bare machine's own, which the logic below builds on.
  const xstate = {
    getInitialSnapshot: machine.getInitialSnapshot,
    transition: machine.transition as Transition,
    start: machine.start,
  };
  Object.assign(machine, {
    getInitialSnapshot(
      this: { [CORE]?: HandlerCore },
      scope: AnyActorScope,
      input: HandlerInput | undefined,
    ) {
      const core = this[CORE] ?? bareCore(input);
      cores.set(scope.self, core);
      return withContext(xstate.getInitialSnapshot(scope, input), core);
    },
    restoreSnapshot(
      this: { [CORE]?: HandlerCore; getInitialSnapshot: Machine['getInitialSnapshot'] },
      _persisted: Snapshot<unknown>,
      scope: AnyActorScope,
    ) {
      if (this[CORE] === undefined) {
        throw new Error(
          "A handler's snapshot cannot bring its handler back: its queue, its running call and its methods live " +
            'in the handler object, not in the snapshot. Create the handler again (new YourHandler({ hosted: true })) ' +
            'and restore with createActor(handler.logic, { snapshot }), or host handler.logic in the restored machine.',
        );
      }
      // The handler object is the truth: its actor shows it as it is now, whatever the snapshot says.
      return this.getInitialSnapshot(scope as never, undefined);
    },
    start(snapshot: MachineSnapshot, scope: AnyActorScope) {
      cores.get(scope.self)?.face.attach(scope);
      xstate.start(snapshot);
    },
    transition(snapshot: MachineSnapshot, event: HandlerEvent, scope: AnyActorScope): MachineSnapshot {
      const core = cores.get(scope.self);
      // Only the actor that took the handler up acts on it (not a traversal by xstate/graph, say).
      if (core === undefined || core.face.actor !== scope.self)
        return xstate.transition(snapshot, event, scope as never);
      if ((event as { type: unknown }).type === 'xstate.stop') core.face.detach(scope.self);
      try {
        // Changes nobody saw were not sent: the actor's state is taken from the handler first.
        const current = core.face.lagging ? caughtUp(this as Machine, core, snapshot) : snapshot;
        return withContext(step(core, current, event, scope, xstate.transition), core);
      } catch (error) {
        core.face.detach(scope.self); // XState fails the actor; the handler goes on without it
        throw error;
      }
    },
  });
  return machine;
}

function step(
  core: HandlerCore,
  snapshot: MachineSnapshot,
  event: HandlerEvent,
  scope: AnyActorScope,
  transition: Transition,
) {
  const type = (event as { type: string }).type;
  if (CONTEXT_ONLY.has(type)) return snapshot;
  switch (event.type) {
    case 'call':
      if (isWaiting(snapshot) && core.protocol.wakes(event))
        return pass(core, snapshot, event, scope, transition);
      core.protocol.accept(event);
      return snapshot;
    case 'call.cancel':
      core.protocol.cancel(event.id);
      return snapshot;
    case 'process.stop':
      if (isWaiting(snapshot)) return pass(core, snapshot, event, scope, transition);
      core.addStopMarker(event);
      return snapshot;
  }
  return pass(core, snapshot, event, scope, transition);
}

/** A full XState transition, with the machine's guards and actions acting on `core`. */
function pass(
  core: HandlerCore,
  snapshot: MachineSnapshot,
  event: HandlerEvent,
  scope: AnyActorScope,
  transition: Transition,
) {
  const outer = active;
  active = core;
  try {
    return transition(snapshot, event, scope);
  } finally {
    active = outer;
  }
}

/** The snapshot in the state the handler is in now (`idle`, `processing.running` or `.waiting`, `closed`). */
function caughtUp(machine: Machine, core: HandlerCore, snapshot: MachineSnapshot): MachineSnapshot {
  core.face.caughtUp();
  const loop = core.loop;
  const value = core.closed
    ? 'closed'
    : loop === undefined
      ? 'idle'
      : { processing: loop.waiting ? 'waiting' : 'running' };
  if (snapshot.matches(value as never)) return snapshot;
  return machine.resolveState({ value, context: snapshot.context });
}

function isWaiting(snapshot: MachineSnapshot): boolean {
  const value = snapshot.value as unknown;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { processing?: unknown }).processing === 'waiting'
  );
}

function withContext(snapshot: MachineSnapshot, core: HandlerCore): MachineSnapshot {
  const context = core.face.context();
  if (context === snapshot.context) return snapshot;
  // Field by field: V8 copies a spread of these objects on a slow path (it was most of a call's cost).
  // A test checks that this copies every field XState's snapshots have.
  const s = snapshot as MachineSnapshot & { _nodes: unknown };
  return {
    status: s.status,
    output: s.output,
    error: s.error,
    machine: s.machine,
    context,
    _nodes: s._nodes,
    value: s.value,
    tags: s.tags,
    children: s.children,
    historyValue: s.historyValue,
    matches: s.matches,
    hasTag: s.hasTag,
    can: s.can,
    getMeta: s.getMeta,
    toJSON: s.toJSON,
  } as MachineSnapshot;
}

function bareCore(input: HandlerInput | undefined): HandlerCore {
  const name = input?.name ?? 'DeferredCallHandler';
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`handlerMachine's input.name must be a non-empty string, got ${formatValue(name)}.`);
  }
  return new HandlerCore(Object.create(null) as object, name, 'DeferredCallHandler');
}
