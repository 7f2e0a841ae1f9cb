import { callHook } from '../callHook.js';
import { type ActorFace, idOf } from './ActorFace.js';
import { type Call, SyncCall } from './Call.js';
import type { CallQueue } from './CallQueue.js';
import { nameOf } from './HandlerErrors.js';
import type { CallEvent } from './protocol.js';
import type { RunningCall } from './RunningCall.js';
import { followed, stopWaiting } from './waitGraph.js';

/** What settling needs of its handler's core. */
export interface SettlingHost {
  readonly name: string;
  readonly errors: {
    onewayFailed(error: unknown, call: { method: string; args: readonly unknown[] }): unknown;
  };
  roomMade(): void;
  readonly closed: { readonly reason: unknown } | undefined;
  readonly queue: CallQueue;
  readonly running: RunningCall;
  readonly face: ActorFace;
  readonly protocol: {
    settled(call: Call): void;
    reply(id: string, replyTo: CallEvent['replyTo'], ok: boolean, value: unknown): void;
  };
}

// The end of every call of a handler: its method returned or threw, or its caller was answered early (a
// deadline, a cancel, close). Each call is answered exactly once: a sync caller's promise, its protocol
// reply, the actor's `call.settle`; a late result is discarded, and a failed oneway call goes to
// `onOnewayError`. (Functions of the core, not an object per handler: an idle handler costs less.)

/** A call's method returned or threw. */
export function finishCall(core: SettlingHost, call: Call, ok: boolean, value: unknown): void {
  core.running.settled(call);
  if (call.owner !== undefined) {
    call.owner = undefined;
    followed.running--;
  }
  if (call.status !== 'running') {
    // Answered already (deadline, cancel, close): the late result is discarded; the actor learns that
    // the method is no longer running.
    if (call.status === 'abandoned' && !core.closed) core.face.ended(call);
    call.status = 'settled';
    return;
  }
  call.status = 'settled';
  core.protocol.settled(call);
  answerCall(core, call, ok, value);
}

/** A bare oneway call's method returned or threw (see `ProcessLoop`). */
export function finishBare(core: SettlingHost, seq: number, ok: boolean, value: unknown): void {
  const { running, face } = core;
  if (running.isBare(seq) && !face.observed) {
    const key = running.key as string;
    const args = ok ? undefined : running.bareArgs();
    running.endBare();
    face.changed();
    if (!ok) reportOneway(core, value, key, args);
    return;
  }
  // Its Call was made meanwhile (`currentCall`, `close()`), or someone watches now: an ordinary end.
  const call = running.callOfBare(seq);
  if (call !== undefined) finishCall(core, call, ok, value);
}

/** Answers a call before it finished (deadline, cancel). */
export function abandonCall(core: SettlingHost, call: Call, error: unknown): void {
  if (call.status === 'queued') {
    core.queue.remove(call, 'settled');
    core.roomMade();
  } else if (call.status === 'running') {
    call.status = 'abandoned';
    call.abort(error);
  } else {
    return;
  }
  core.protocol.settled(call);
  // A withdrawn oneway call is dropped; a running one can only be told through its signal.
  if (call.oneway) core.face.settled(call, false, error);
  else answerCall(core, call, false, error);
}

/** Answers `call`'s caller (and the actor): with `value`, or with the error `value` when not `ok`. */
export function answerCall(core: SettlingHost, call: Call, ok: boolean, value: unknown): void {
  const { face, protocol } = core;
  if (!(call instanceof SyncCall)) {
    face.settled(call, ok, value);
    if (!ok) reportOneway(core, value, call.key, call.args);
    return;
  }
  if (call.release !== undefined) {
    call.release();
    call.release = undefined;
  }
  if (call.wait !== undefined) stopWaiting(call);
  face.settled(call, ok, value);
  if (ok) call.resolve?.(value);
  else call.reject?.(value);
  // A reply goes to its replyTo, and is emitted on the actor for whoever listens there.
  if (call.replyTo !== undefined || face.emitting) protocol.reply(idOf(call), call.replyTo, ok, value);
}

/** Tells `onOnewayError` (or stderr) of a failed oneway call. */
export function reportOneway(core: SettlingHost, error: unknown, method: unknown, args: unknown): void {
  const call = { method: nameOf(method), args: Array.isArray(args) ? args : [] };
  callHook(
    () => core.errors.onewayFailed(error, call),
    `${core.name}'s onOnewayError`,
    'a failed oneway call',
    error,
  );
}
