import type { AnyActorRef } from 'xstate';
import { TimeoutError } from '../errors.js';
import { formatValue } from '../formatValue.js';
import { globalClock } from '../globalClock.js';
import { checkTimeout } from './createCallProxy.js';
import { isHandlerRef } from './handlerMachine.js';
import type { CallReply } from './protocol.js';
import type { CallOptions } from './types.js';

let ids = 0;

/**
 * A sync call made with only a handler's actor ref (for example one found through an XState system):
 * sends a `call` event and resolves with the reply's value, or rejects with its error.
 * With `timeout`, it rejects with `TimeoutError` at the deadline and withdraws the call.
 *
 * @example
 * ```ts
 * import { callSync } from 'greenstate';
 * const value = await callSync(manager.ref, 'resource', [], { timeout: 1000 });
 * ```
 */
export function callSync(
  ref: AnyActorRef,
  method: string,
  args: readonly unknown[] = [],
  options: CallOptions = {},
): Promise<unknown> {
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
    if (!Array.isArray(args)) throw new TypeError(`callSync(ref, "${method}", args): args must be an array.`);
    timeout = checkTimeout(options, 'callSync');
  } catch (error) {
    return Promise.reject(error);
  }
  const id = `callSync:${++ids}`;
  return new Promise<unknown>((resolve, reject) => {
    let timer: unknown;
    let settled = false;
    const replyTo = {
      send(reply: CallReply) {
        if (settled) return; // the reply to our own cancel, after the deadline
        settled = true;
        if (timer !== undefined) globalClock.clearTimeout(timer);
        if (reply.ok) resolve(reply.value);
        else reject(reply.error);
      },
    };
    if (timeout !== undefined) {
      timer = globalClock.setTimeout(() => {
        settled = true;
        reject(new TimeoutError(`callSync(${ref.id}, "${method}") timed out after ${timeout} ms`));
        ref.send({ type: 'call.cancel', id }); // withdraws the call
      }, timeout);
    }
    ref.send({ type: 'call', id, method, args, replyTo });
  });
}
