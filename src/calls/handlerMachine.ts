import { type ActorRefFrom, type SnapshotFrom, setup } from 'xstate';
import type { HandlerCore } from './HandlerCore.js';
import { activeCore, logicOf, withHandlerLogic } from './handlerLogic.js';
import { type CallReply, type HandlerEvent, LOOP } from './protocol.js';
import type { HandlerContext, HandlerInput } from './types.js';

const machine = setup({
  types: {} as {
    context: HandlerContext;
    input: HandlerInput | undefined;
    events: HandlerEvent;
    emitted: CallReply;
  },
  guards: {
    whitelisted: ({ event }) => event.type === 'call' && activeCore()?.protocol.wakes(event) === true,
    ownLoop: ({ event }) => LOOP in event && activeCore()?.owns(event[LOOP]) === true,
  },
  actions: {
    accept: ({ event }) => {
      if (event.type === 'call') activeCore()?.protocol.accept(event);
    },
    cancel: ({ event }) => {
      if (event.type === 'call.cancel') activeCore()?.protocol.cancel(event.id);
    },
    addStopMarker: ({ event }) => {
      if (event.type === 'process.stop') activeCore()?.addStopMarker(event);
    },
    shutdown: ({ event }) => activeCore()?.shutdown(event.type === 'close' ? event.reason : undefined),
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
export const handlerMachine: Machine = withHandlerLogic(machine);

/**
 * The logic of one handler's actor: `handlerMachine`, bound to that handler's core.
 *
 * @internal
 */
export function handlerLogicOf(core: HandlerCore): Machine {
  return logicOf(handlerMachine, core);
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
