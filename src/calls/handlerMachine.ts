import {
  type ActorRefFrom,
  type AnyActorRef,
  type AnyActorScope,
  type Snapshot,
  type SnapshotFrom,
  setup,
} from 'xstate';
import { formatValue } from '../formatValue.js';
import { type HandlerContext, HandlerCore } from './HandlerCore.js';
import { type CallReply, type HandlerEvent, LOOP } from './protocol.js';

/**
 * The input of a bare `handlerMachine` actor (one without a handler object): its name.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { handlerMachine, type HandlerInput } from 'greenstate';
 * const input: HandlerInput = { name: 'placeholder' };
 * createActor(handlerMachine, { input }).start(); // answers every call with a TypeError: it has no methods
 * ```
 */
export interface HandlerInput {
  name?: string;
}

/** The core whose actor is in a transition of the machine: what its guards and actions act on. */
let active: HandlerCore | undefined;

/** The core behind each handler actor. */
const cores = new WeakMap<AnyActorRef, HandlerCore>();

const CORE = Symbol('greenstate.core');

const machine = setup({
  types: {} as {
    context: HandlerContext;
    input: HandlerInput | undefined;
    events: HandlerEvent;
    emitted: CallReply;
  },
  guards: {
    whitelisted: ({ event }) => event.type === 'call' && active?.wakes(event) === true,
    ownLoop: ({ event }) => LOOP in event && active?.owns(event[LOOP]) === true,
  },
  actions: {
    accept: ({ event }) => {
      if (event.type === 'call') active?.accept(event);
    },
    cancel: ({ event }) => {
      if (event.type === 'call.cancel') active?.cancel(event.id);
    },
    addStopMarker: ({ event }) => {
      if (event.type === 'process.stop') active?.addStopMarker(event);
    },
    shutdown: ({ event }) => active?.shutdown(event.type === 'close' ? event.reason : undefined),
  },
}).createMachine({
  id: 'DeferredCallHandler',
  context: ({ input }) => ({
    name: input?.name ?? 'DeferredCallHandler',
    pending: 0,
    currentCall: undefined,
    closed: false,
  }),
  initial: 'idle',
  on: {
    call: { actions: 'accept' },
    'call.cancel': { actions: 'cancel' },
    'process.stop': { actions: 'addStopMarker' },
    close: { target: '.closed', actions: 'shutdown' },
  },
  states: {
    idle: {
      on: { 'loop.start': { guard: 'ownLoop', target: 'processing' } },
    },
    processing: {
      initial: 'running',
      on: { 'loop.end': { guard: 'ownLoop', target: 'idle' } },
      states: {
        running: {
          on: { 'loop.wait': { guard: 'ownLoop', target: 'waiting' } },
        },
        waiting: {
          on: {
            call: { guard: 'whitelisted', target: 'running', actions: 'accept' },
            'process.stop': { target: 'running', actions: 'addStopMarker' },
          },
        },
      },
    },
    closed: {},
  },
});

type Machine = typeof machine;
type MachineSnapshot = SnapshotFrom<Machine>;

const xstate = {
  getInitialSnapshot: machine.getInitialSnapshot,
  transition: machine.transition,
  start: machine.start,
};

/** The handlers' events that change the context only: the machine takes no transition on them. */
const CONTEXT_ONLY = new Set(['call.start', 'call.settle', 'call.end', 'handler.attach']);

/**
 * The machine's logic, as every handler actor runs it. The handler's core is the truth: events it
 * answers without a transition (a call queued while no loop waits, a cancel, the core's own reports)
 * skip XState's transition pass, and every snapshot carries the core's current context. An actor takes
 * up its handler as it starts (one made and never started, as `xstate/graph` and React's first render
 * make, takes up nothing). A bare `createActor(handlerMachine)` runs a handler without methods.
 */
Object.assign(machine, {
  getInitialSnapshot(this: { [CORE]?: HandlerCore }, scope: AnyActorScope, input: HandlerInput | undefined) {
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
    cores.get(scope.self)?.attach(scope);
    xstate.start(snapshot);
  },
  transition(snapshot: MachineSnapshot, event: HandlerEvent, scope: AnyActorScope): MachineSnapshot {
    const core = cores.get(scope.self);
    // Only the actor that took the handler up acts on it (not a traversal by xstate/graph, say).
    if (core === undefined || core.actor !== scope.self)
      return xstate.transition(snapshot, event, scope as never);
    if ((event as { type: unknown }).type === 'xstate.stop') core.detach(scope.self);
    try {
      return withContext(step(core, snapshot, event, scope), core);
    } catch (error) {
      core.detach(scope.self); // XState fails the actor; the handler goes on without it
      throw error;
    }
  },
});

function step(core: HandlerCore, snapshot: MachineSnapshot, event: HandlerEvent, scope: AnyActorScope) {
  const type = (event as { type: string }).type;
  if (CONTEXT_ONLY.has(type)) return snapshot;
  switch (event.type) {
    case 'call':
      if (isWaiting(snapshot) && core.wakes(event)) return pass(core, snapshot, event, scope);
      core.accept(event);
      return snapshot;
    case 'call.cancel':
      core.cancel(event.id);
      return snapshot;
    case 'process.stop':
      if (isWaiting(snapshot)) return pass(core, snapshot, event, scope);
      core.addStopMarker(event);
      return snapshot;
  }
  return pass(core, snapshot, event, scope);
}

/** A full XState transition, with the machine's guards and actions acting on `core`. */
function pass(core: HandlerCore, snapshot: MachineSnapshot, event: HandlerEvent, scope: AnyActorScope) {
  const outer = active;
  active = core;
  try {
    return xstate.transition(snapshot, event, scope as never);
  } finally {
    active = outer;
  }
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
  const context = core.context();
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

/**
 * The XState machine of every handler: `idle`, `processing` (`running` a call or `waiting` for one) and
 * `closed`, with the plain context `{ name, pending, currentCall, closed }`. The whitelist is the guard
 * `whitelisted`: while the loop waits, a call it admits wakes it; any other call only joins the queue.
 * `createActor(handlerMachine)` runs a handler without methods; a handler's own actor runs `handler.logic`.
 *
 * @example
 * ```ts
 * import { handlerMachine } from 'greenstate';
 * console.log(Object.keys(handlerMachine.root.states)); // ['idle', 'processing', 'closed']
 * ```
 */
export const handlerMachine: Machine = machine;

/** The logic of one handler's actor: `handlerMachine`, bound to that handler's core. */
export function logicOf(core: HandlerCore): Machine {
  return Object.create(machine, { [CORE]: { value: core } }) as Machine;
}

/** Whether `ref` is the actor of a greenstate handler. */
export function isHandlerRef(ref: unknown): ref is HandlerActorRef {
  return typeof ref === 'object' && ref !== null && cores.has(ref as AnyActorRef);
}

/** The core behind a handler actor (the handler's own, or a bare one). */
export function coreOf(ref: AnyActorRef): HandlerCore | undefined {
  return cores.get(ref);
}

declare const handlerType: unique symbol;

/**
 * The actor behind a handler (`handler.ref`), typed with the handler's class so that `callSync` checks
 * method names and arguments.
 *
 * @example
 * ```ts
 * import type { HandlerActorRef } from 'greenstate';
 * const status = (ref: HandlerActorRef) => ref.getSnapshot().value; // 'idle' | { processing: … } | 'closed'
 * ```
 */
export type HandlerActorRef<THandler = unknown> = ActorRefFrom<Machine> & {
  /** Type only: the handler class whose methods calls may name. */
  readonly [handlerType]?: THandler;
};

/** The handler class a handler actor ref was typed with (`unknown` for an untyped ref). */
export type HandlerOfRef<TRef> = TRef extends { readonly [handlerType]?: infer THandler }
  ? THandler
  : unknown;

/**
 * A snapshot of a handler's actor.
 *
 * @example
 * ```ts
 * import type { HandlerSnapshot } from 'greenstate';
 * const pending = (snapshot: HandlerSnapshot) => snapshot.context.pending;
 * ```
 */
export type HandlerSnapshot = MachineSnapshot;
