/**
 * The handler actor's event protocol, open to any XState actor (see the README's "The call protocol").
 */

/**
 * Where a protocol call's reply goes: any XState actor, or anything else with a `send`.
 *
 * @example
 * ```ts
 * import type { ReplyTarget } from 'greenstate';
 * const log: ReplyTarget = { send: (reply) => console.log(reply.id, reply.ok) };
 * ```
 */
export interface ReplyTarget {
  send(reply: CallReply): void;
}

/**
 * Queues a call, exactly like a proxy call. Non-oneway calls are answered with a {@link CallReply}.
 *
 * @example
 * ```ts
 * import type { CallEvent } from 'greenstate';
 * const event: CallEvent = { type: 'call', id: 'r1', method: 'resource', args: [] };
 * manager.ref.send(event);
 * ```
 */
export interface CallEvent {
  type: 'call';
  /** Chosen by the sender; unique among the handler's unsettled protocol calls. */
  id: string;
  method: string;
  args: readonly unknown[];
  /** Fire and forget: no reply; an error goes to the handler's `onOnewayError`. */
  oneway?: boolean;
  replyTo?: ReplyTarget;
}

/**
 * The answer to a sync call: sent to the call's `replyTo` and emitted on the handler's actor
 * (`ref.on('call.reply', …)`), for proxy calls too.
 *
 * @example
 * ```ts
 * import type { CallReply } from 'greenstate';
 * manager.ref.on('call.reply', (reply: CallReply) => console.log(reply.id, reply.ok ? reply.value : reply.error));
 * ```
 */
export type CallReply =
  | { type: 'call.reply'; id: string; ok: true; value: unknown }
  | { type: 'call.reply'; id: string; ok: false; error: unknown };

/**
 * Withdraws a queued call, or abandons a running one (its signal aborts, its late result is discarded).
 * Its error reply, an `AbortError`, is sent at once. Unknown or settled ids are ignored.
 *
 * @example
 * ```ts
 * import type { CancelEvent } from 'greenstate';
 * const cancel: CancelEvent = { type: 'call.cancel', id: 'r1' };
 * manager.ref.send(cancel);
 * ```
 */
export interface CancelEvent {
  type: 'call.cancel';
  id: string;
}

/**
 * The same as `handler.stopProcessing()`: a stop marker at the tail of the queue.
 *
 * @example
 * ```ts
 * import type { StopProcessingEvent } from 'greenstate';
 * const stop: StopProcessingEvent = { type: 'process.stop' };
 * manager.ref.send(stop);
 * ```
 */
export interface StopProcessingEvent {
  type: 'process.stop';
}

/**
 * The same as `handler.close(reason)`.
 *
 * @example
 * ```ts
 * import type { CloseEvent } from 'greenstate';
 * const close: CloseEvent = { type: 'close', reason: 'shutting down' };
 * manager.ref.send(close);
 * ```
 */
export interface CloseEvent {
  type: 'close';
  reason?: unknown;
}

/** Marks the handler's own loop events: others cannot forge them. */
export const LOOP: unique symbol = Symbol('greenstate.loop');

/** Carries a proxy call, queued already, inside the `call` event that tells the actor about it. */
export const CALL: unique symbol = Symbol('greenstate.call');

/** Carries the stop marker `stopProcessing()` queued already, inside its `process.stop` event. */
export const STOP: unique symbol = Symbol('greenstate.stop');

/**
 * The handler's own processing loop reporting its status; ignored unless sent by that loop.
 * `loop.start` shows the whitelist (if any) and whether the loop runs forever.
 *
 * @example
 * ```ts
 * import type { LoopEvent } from 'greenstate';
 * manager.ref.system.inspect((event) => {
 *   if (event.type === '@xstate.event' && event.event.type === 'loop.start') {
 *     console.log('processing with', (event.event as LoopEvent & { type: 'loop.start' }).whitelist);
 *   }
 * });
 * ```
 */
export type LoopEvent =
  | { type: 'loop.start'; whitelist: readonly string[] | undefined; forever: boolean; [LOOP]: object }
  | { type: 'loop.wait'; [LOOP]: object }
  | { type: 'loop.end'; [LOOP]: object };

/**
 * What a handler tells its actor about each call, so that observers and inspectors see it: `call.start`
 * as its method starts, `call.settle` once its caller is answered (or a oneway call ended), and
 * `call.end` when the method of a call answered early (a deadline, a cancel) finally returns, and
 * `handler.attach` as an actor starts showing the handler. The machine takes no transition on them; each
 * carries a new snapshot.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler, type TraceEvent } from 'greenstate';
 * const seen: TraceEvent[] = [];
 * const handler = new DeferredCallHandler({
 *   inspect: (event) => {
 *     if (event.type === '@xstate.event' && event.event.type.startsWith('call.s')) seen.push(event.event as TraceEvent);
 *   },
 * });
 * ```
 */
export type TraceEvent =
  | { type: 'call.start'; id: string; method: string }
  | { type: 'call.settle'; id: string; method: string; oneway: boolean; ok: boolean; error?: unknown }
  | { type: 'call.end'; id: string; method: string }
  | { type: 'handler.attach' };

/**
 * Every event a handler's actor accepts.
 *
 * @example
 * ```ts
 * import type { HandlerEvent } from 'greenstate';
 * const events: HandlerEvent[] = [{ type: 'process.stop' }, { type: 'close' }];
 * ```
 */
export type HandlerEvent =
  | CallEvent
  | CancelEvent
  | StopProcessingEvent
  | CloseEvent
  | LoopEvent
  | TraceEvent;
