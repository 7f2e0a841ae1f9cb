import type { AnyActorRef } from 'xstate';
import { formatValue } from '../formatValue.js';
import { checkCallOptions } from './createCallProxy.js';
import type { HandlerCore } from './HandlerCore.js';
import { coreOf } from './handlerLogic.js';
import type { HandlerOfRef } from './handlerMachine.js';
import { queueSync } from './queueCall.js';
import { remoteCallerOf } from './remote/remoteCallers.js';
import type { CallOptions, MethodName } from './types.js';

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
  try {
    const core = coreOf(ref);
    // A remote handler's actor (remote.ref): its calls go where its proxies' go, checked alike.
    const remote = core === undefined ? remoteCallerOf(ref) : undefined;
    if (core === undefined && remote === undefined) {
      throw new TypeError(
        `callSync needs the actor of a DeferredCallHandler (handler.ref) or of a remote handler (remote.ref), got ${formatValue(ref)}.`,
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
    // The call joins the handler's queue at once, exactly as a proxy call (in order with them, whatever
    // its actor is doing), with its deadline on the handler's clock.
    const checked = checkCallOptions(options, 'callSync');
    if (remote !== undefined)
      return remote.call(method as string, args, checked?.timeout, checked?.signal) as Promise<
        CallSyncResult<TRef, TMethod>
      >;
    return queueSync(
      core as HandlerCore,
      method as string,
      args,
      checked?.timeout,
      false,
      checked?.signal,
    ) as Promise<CallSyncResult<TRef, TMethod>>;
  } catch (error) {
    return Promise.reject(error);
  }
}
