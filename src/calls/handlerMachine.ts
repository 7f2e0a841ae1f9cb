import { type ActorRefFrom, type AnyActorRef, type AnyActorScope, type SnapshotFrom, setup } from 'xstate';
import type { HandlerCore } from './HandlerCore.js';
import { type CallReply, type HandlerEvent, LOOP } from './protocol.js';

/**
 * The XState machine of every handler: `idle`, `processing` (`running` a call or `waiting` for one) and
 * `closed`. Its context holds the handler's engine, whose JSON form shows the handler's name, queue
 * length and running call. The whitelist is the guard `whitelisted`: while the loop waits, a call it
 * admits wakes it; any other call only joins the queue.
 *
 * @example
 * ```ts
 * import { handlerMachine } from 'greenstate';
 * console.log(Object.keys(handlerMachine.root.states)); // ['idle', 'processing', 'closed']
 * ```
 */
export const handlerMachine = setup({
  types: {} as {
    context: { handler: HandlerCore };
    input: { handler: HandlerCore };
    events: HandlerEvent;
    emitted: CallReply;
  },
  guards: {
    whitelisted: ({ context, event }) => event.type === 'call' && context.handler.admits(event),
    ownLoop: ({ context, event }) => LOOP in event && context.handler.owns(event[LOOP]),
  },
  actions: {
    accept: ({ context, event }) => {
      if (event.type === 'call') context.handler.accept(event);
    },
    cancel: ({ context, event }) => {
      if (event.type === 'call.cancel') context.handler.cancel(event.id);
    },
    addStopMarker: ({ context }) => context.handler.addStopMarker(),
    shutdown: ({ context, event }) =>
      context.handler.shutdown(event.type === 'close' ? event.reason : undefined),
  },
}).createMachine({
  id: 'DeferredCallHandler',
  context: ({ input }) => ({ handler: input.handler }),
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

const handlerRefs = new WeakSet<AnyActorRef>();

/**
 * The logic handlers' actors run: `handlerMachine` itself, which also hands each new actor's scope to
 * its handler's engine, so that the engine can emit `call.reply` on the actor outside of a transition.
 */
export const handlerLogic: typeof handlerMachine = Object.create(handlerMachine, {
  getInitialSnapshot: {
    value(this: typeof handlerMachine, scope: AnyActorScope, input: { handler: HandlerCore }) {
      handlerRefs.add(scope.self);
      input.handler.attach(scope);
      return handlerMachine.getInitialSnapshot.call(this, scope, input);
    },
  },
});

/** Whether `ref` is the actor of a greenstate handler. */
export function isHandlerRef(ref: unknown): ref is HandlerActorRef {
  return typeof ref === 'object' && ref !== null && handlerRefs.has(ref as AnyActorRef);
}

/**
 * The actor behind a handler (`handler.ref`).
 *
 * @example
 * ```ts
 * import type { HandlerActorRef } from 'greenstate';
 * const status = (ref: HandlerActorRef) => ref.getSnapshot().value; // 'idle' | { processing: … } | 'closed'
 * ```
 */
export type HandlerActorRef = ActorRefFrom<typeof handlerMachine>;

/**
 * A snapshot of a handler's actor.
 *
 * @example
 * ```ts
 * import type { HandlerSnapshot } from 'greenstate';
 * const pending = (snapshot: HandlerSnapshot) => snapshot.context.handler.pending;
 * ```
 */
export type HandlerSnapshot = SnapshotFrom<typeof handlerMachine>;
