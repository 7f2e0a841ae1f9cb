import type { AnyActorRef } from 'xstate';
import { globalClock } from '../clock.js';
import { TimeoutError } from '../errors.js';
import { formatValue } from '../formatValue.js';
import { startTimer } from '../startTimer.js';
import { checkTimeout } from './createCallProxy.js';
import { coreOf, type HandlerOfRef, isHandlerRef } from './handlerMachine.js';
import type { CallReply } from './protocol.js';
import type { CallOptions, MethodName } from './types.js';

let ids = 0;

type Untyped<TRef> = unknown extends HandlerOfRef<TRef> ? true : false;

/** The method names `callSync` takes for a ref: the handler's, or any string for an untyped ref. */
export type CallSyncMethod<TRef> = Untyped<TRef> extends true ? string : MethodName<HandlerOfRef<TRef>>;

/** What follows the method name: its arguments (optional when it takes none) and the options. */
export type CallSyncRest<TRef, TMethod> =
  Untyped<TRef> extends true
    ? [args?: readonly unknown[], options?: CallOptions]
    : TMethod extends keyof HandlerOfRef<TRef>
      ? HandlerOfRef<TRef>[TMethod] extends (...args: infer A) => unknown
        ? [] extends A
          ? [args?: A, options?: CallOptions]
          : [args: A, options?: CallOptions]
        : never
      : never;

/** What `callSync` resolves with: the method's awaited result, or `unknown` for an untyped ref. */
export type CallSyncResult<TRef, TMethod> =
  Untyped<TRef> extends true
    ? unknown
    : TMethod extends keyof HandlerOfRef<TRef>
      ? HandlerOfRef<TRef>[TMethod] extends (...args: never[]) => infer R
        ? Awaited<R>
        : never
      : never;

/**
 * A sync call made with only a handler's actor ref (for example one found through an XState system):
 * sends a `call` event and resolves with the reply's value, or rejects with its error.
 * With `timeout`, it rejects with `TimeoutError` at the deadline and withdraws the call. Given
 * `handler.ref` (typed with the handler's class), method names, arguments and the result are typed.
 *
 * @example
 * ```ts
 * import { callSync } from 'greenstate';
 * const value = await callSync(manager.ref, 'resource', [], { timeout: 1000 });
 * ```
 */
export function callSync<TRef extends AnyActorRef, TMethod extends CallSyncMethod<TRef>>(
  ref: TRef,
  method: TMethod,
  ...[args = [], options = {}]: CallSyncRest<TRef, TMethod>
): Promise<CallSyncResult<TRef, TMethod>> {
  let timeout: number | undefined;
  try {
    if (!isHandlerRef(ref)) {
      throw new TypeError(
        `callSync needs the actor of a DeferredCallHandler (handler.ref), got ${formatValue(ref)}.`,
      );
    }
    const status = ref.getSnapshot().status;
    if (status !== 'active') {
      throw new TypeError(`callSync needs an active actor, but the handler actor "${ref.id}" is ${status}.`);
    }
    if (!Array.isArray(args)) {
      throw new TypeError(
        `callSync(ref, ${formatValue(method)}, args): args must be an array, got ${formatValue(args)}.`,
      );
    }
    timeout = checkTimeout(options, 'callSync');
  } catch (error) {
    return Promise.reject(error);
  }
  // A handler's own actor: the call joins the queue at once, exactly as a proxy call (and in order with
  // them), whatever the actor is doing, and a deadline on the handler's clock.
  const core = coreOf(ref);
  if (core !== undefined && core.actor === ref) {
    return core.sync(method, args, timeout) as Promise<CallSyncResult<TRef, TMethod>>;
  }
  // An actor that has not started yet: the call waits in its mailbox, as any event does.
  const clock = core?.clock ?? globalClock;
  const id = `callSync:${++ids}`;
  return new Promise<CallSyncResult<TRef, TMethod>>((resolve, reject) => {
    let clearDeadline: (() => void) | undefined;
    let settled = false;
    const replyTo = {
      send(reply: CallReply) {
        if (settled) return; // the reply to our own cancel, after the deadline
        settled = true;
        clearDeadline?.();
        if (reply.ok) resolve(reply.value as CallSyncResult<TRef, TMethod>);
        else reject(reply.error);
      },
    };
    if (timeout !== undefined) {
      clearDeadline = startTimer(clock, timeout, () => {
        settled = true;
        reject(new TimeoutError(`callSync(${ref.id}, "${String(method)}") timed out after ${timeout} ms`));
        ref.send({ type: 'call.cancel', id }); // withdraws the call
      });
    }
    ref.send({ type: 'call', id, method, args, replyTo });
  });
}
