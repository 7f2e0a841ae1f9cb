import { type ActorRefFrom, assign, emit, setup } from 'xstate';
import type { HandlerActorRef, handlerMachine } from '../handlerMachine.js';
import type { CallEvent, CallReply, CancelEvent, CloseEvent } from '../protocol.js';
import { remoteCallerOf } from './remoteCallers.js';

/** Marks the events a remote handler tells its own actor: others do not send them by mistake. */
export const LINK: unique symbol = Symbol('greenstate.link');

/**
 * What a remote handler tells its actor: a reply to a `call` event sent to the actor (emitted on it, as
 * a handler's actor emits its replies), the handler's name as its side told it.
 */
export type LinkEvent =
  | { type: 'remote.reply'; reply: CallReply; [LINK]: object }
  | { type: 'remote.name'; name: string; [LINK]: object };

/**
 * What a remote handler's actor shows: the handler's name, and whether the connection is closed.
 *
 * @example
 * ```ts
 * import type { RemoteHandlerContext } from 'greenstate';
 * const usable = (context: RemoteHandlerContext) => !context.closed;
 * ```
 */
export interface RemoteHandlerContext {
  readonly name: string;
  readonly closed: boolean;
}

const machine = setup({
  types: {} as {
    context: RemoteHandlerContext;
    input: { name: string } | undefined;
    events: CallEvent | CancelEvent | CloseEvent | LinkEvent;
    emitted: CallReply;
  },
  guards: {
    fromLink: ({ event }) => LINK in event,
  },
  actions: {
    forward: ({ event, self }) => {
      if (event.type === 'call') remoteCallerOf(self)?.accept(event);
    },
    cancel: ({ event, self }) => {
      if (event.type === 'call.cancel') remoteCallerOf(self)?.cancel(event.id);
    },
    closeLink: ({ event, self }) =>
      remoteCallerOf(self)?.close(event.type === 'close' ? event.reason : undefined),
    markClosed: assign({ closed: true }),
    rename: assign({
      name: ({ context, event }) => (event.type === 'remote.name' ? event.name : context.name),
    }),
    emitReply: emit(({ event }) => (event as LinkEvent & { type: 'remote.reply' }).reply),
  },
}).createMachine({
  id: 'RemoteHandler',
  context: ({ input }) => ({ name: input?.name ?? 'remote handler', closed: false }),
  initial: 'open',
  on: {
    // A closed remote handler answers calls itself, with HandlerClosedError.
    call: { actions: 'forward' },
    'call.cancel': { actions: 'cancel' },
    'remote.reply': { guard: 'fromLink', actions: 'emitReply' },
    'remote.name': { guard: 'fromLink', actions: 'rename' },
  },
  states: {
    open: { on: { close: { target: 'closed', actions: 'closeLink' } } },
    closed: { entry: 'markClosed' },
  },
});

/**
 * The machine of a remote handler's actor (`remote.ref`): `open`, then `closed` once either end closed.
 * It speaks the call protocol: `call` events go to the handler across the endpoint, their replies come
 * back to their `replyTo` (and are emitted on the actor); `call.cancel` withdraws or aborts a call;
 * `close` closes the connection, as `remote.close()` does.
 */
export const remoteHandlerMachine: typeof machine = machine;

/** The part of a `HandlerActorRef` that tells its handler class: what `callSync` reads its types from. */
type HandlerBrand<THandler> = Omit<HandlerActorRef<THandler>, keyof ActorRefFrom<typeof handlerMachine>>;

/**
 * A remote handler's actor (`remote.ref`), typed with the handler's class so that `callSync` checks
 * method names and arguments as it does for `handler.ref`.
 *
 * @example
 * ```ts
 * import { callSync, connectHandler, type RemoteHandlerRef } from 'greenstate';
 * import type { Manager } from './manager.js';
 * const ref: RemoteHandlerRef<Manager> = connectHandler<typeof Manager>(worker).ref;
 * const report = await callSync(ref, 'accessResources', [], { timeout: 1000 });
 * ```
 */
export type RemoteHandlerRef<THandler = unknown> = ActorRefFrom<typeof machine> & HandlerBrand<THandler>;
