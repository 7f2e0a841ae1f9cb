import type { AnyActorRef } from 'xstate';
import type { CallEvent } from '../protocol.js';

/**
 * What a remote handler's actor (`remote.ref`) and `callSync` need of the remote handler behind it: the
 * sync call its proxies make, and the call protocol's events.
 */
export interface RemoteCaller {
  /** A sync call, exactly as `remote.sync` makes it. */
  call(method: string, args: readonly unknown[], timeout?: number, signal?: AbortSignal): Promise<unknown>;
  /** A `call` event sent to the actor: sent on, answered with a `call.reply` to its `replyTo`. */
  accept(event: CallEvent): void;
  /** A `call.cancel` event sent to the actor. */
  cancel(id: unknown): void;
  /** A `close` event sent to the actor: the same as `remote.close(reason)`. */
  close(reason: unknown): void;
}

/** The remote handler behind each remote handler's actor. */
const callers = new WeakMap<AnyActorRef, RemoteCaller>();

/**
 * Files `ref` as the actor of the remote handler `caller`, so that the actor's events and
 * `callSync(ref, …)` reach it. (A registry of its own: `callSync` reaches remote handlers without
 * importing them.)
 */
export function registerRemoteRef(ref: AnyActorRef, caller: RemoteCaller): void {
  callers.set(ref, caller);
}

/** The remote handler whose actor `ref` is, if it is one. */
export function remoteCallerOf(ref: AnyActorRef): RemoteCaller | undefined {
  return callers.get(ref);
}
