import type { AnyActorRef } from 'xstate';
import { type Clock, globalClock } from '../../clock.js';
import { startTimer } from '../../startTimer.js';
import type { CallEvent } from '../protocol.js';
import { isDataCloneError, Outbox } from './Outbox.js';
import { type EndpointHost, openEndpoint } from './openEndpoint.js';
import { PendingCall, type PendingHost } from './PendingCall.js';
import { RemoteErrors } from './RemoteErrors.js';
import { RemoteFace } from './RemoteFace.js';
import type { RemoteCaller } from './remoteCallers.js';
import { deserializeError, type SerializedError } from './serializeError.js';
import { type MessageReader, type Op, readBatch, wire } from './wire.js';

/**
 * The client end of a connection to a handler served by `exposeHandler`: it sends calls as messages,
 * keeps the sync ones by id until their answers come back (a `Map`, in sending order), and settles
 * them — answered, past their deadline, cancelled, or all at once with `HandlerClosedError` when
 * either end closes.
 */
export class RemoteLink implements EndpointHost, RemoteCaller, PendingHost, MessageReader {
  name: string;
  /** Why the connection closed, and the reason given (the cause of every `HandlerClosedError`). */
  closed: { readonly why: string; readonly reason: unknown } | undefined = undefined;
  readonly #pending = new Map<string, PendingCall>();
  /** `call` events sent to the actor and not answered, by the id their sender chose. */
  #byProtocolId: Map<string, PendingCall> | undefined = undefined;
  /** Starts every id this side makes: unique among the remote handlers of a shared channel. */
  readonly #prefix = `${Math.random().toString(36).slice(2, 10)}:`;
  #ids = 0;
  readonly #named: boolean;
  readonly #clock: Clock;
  readonly #errors = new RemoteErrors(this);
  /** Where messages go, until the connection closes. */
  #outbox: Outbox | undefined;
  readonly #face = new RemoteFace(this);

  constructor(endpoint: unknown, options: { name?: string | undefined; clock?: Clock | undefined }) {
    this.name = options.name ?? 'remote handler';
    this.#named = options.name !== undefined;
    this.#clock = options.clock ?? globalClock;
    const port = openEndpoint(endpoint, 'connectHandler(endpoint)', this);
    this.#outbox = new Outbox(port, [wire.calls, this.#prefix], (op, a, _b, _c, error) =>
      this.#refused(op, a, error),
    );
    if (!this.#named) this.#outbox.push(wire.hello); // its side answers with the handler's name
  }

  /** Sync calls sent and not answered yet. */
  get pending(): number {
    return this.#pending.size;
  }

  call(method: string, args: readonly unknown[], timeout?: number, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed !== undefined) return Promise.reject(this.#refusal(method));
    const seq = ++this.#ids;
    const id = this.#prefix + seq;
    this.#outbox?.push(wire.call, seq, method, args); // arguments that cannot be cloned reject it: see #refused
    const call = new PendingCall(this, seq, id, method);
    const answer = new Promise<unknown>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    this.#pending.set(id, call);
    if (timeout !== undefined) {
      // As a local call's: the error is made only if the deadline passes.
      call.clearTimer = startTimer(this.#clock, timeout, () => {
        call.clearTimer = undefined;
        this.abandon(call, this.#errors.timeout(method, timeout));
      });
    }
    if (signal !== undefined) call.listen(signal);
    return answer;
  }

  /**
   * A oneway call: sent, or refused with a throw (a closed connection, an argument that cannot be
   * cloned). Arguments that are all primitives always clone, and go with the batch; others are sent at
   * once, so that a refusal is thrown here.
   */
  oneway(method: string, args: readonly unknown[]): void {
    const outbox = this.#outbox;
    if (outbox === undefined) throw this.#refusal(method);
    if (primitives(args)) {
      outbox.push(wire.oneway, method, args);
      return;
    }
    try {
      outbox.sendNow(wire.oneway, method, args);
    } catch (error) {
      if (isDataCloneError(error)) throw this.#errors.notCloneable(method, error);
      this.lost('the endpoint refused a message', error); // a closed BroadcastChannel, say
      throw this.#refusal(method);
    }
  }

  accept(event: CallEvent): void {
    const { id, method, args, replyTo } = event;
    const oneway = event.oneway === true;
    const refusal =
      this.closed !== undefined
        ? this.#refusal(typeof method === 'string' ? method : '?')
        : this.#errors.badEvent(id, method, args, this.#byProtocolId?.has(id) === true);
    try {
      if (refusal !== undefined) throw refusal;
      if (oneway) {
        this.oneway(method, args);
        return;
      }
      const seq = ++this.#ids;
      const wireId = this.#prefix + seq;
      this.#outbox?.push(wire.call, seq, method, args);
      const call = new PendingCall(this, seq, wireId, method);
      call.replyTo = replyTo;
      call.protocolId = id;
      this.#pending.set(wireId, call);
      this.#byProtocolId ??= new Map();
      this.#byProtocolId.set(id, call);
    } catch (error) {
      if (oneway) console.error(`greenstate: a oneway call event to ${this.name} could not be sent:`, error);
      else this.#face.reply(replyTo, id, false, error);
    }
  }

  cancel(id: unknown): void {
    const call = typeof id === 'string' ? this.#byProtocolId?.get(id) : undefined;
    if (call !== undefined) this.abandon(call, this.#errors.cancelled(call.method, id as string));
  }

  /** Answers a call before its answer came (deadline, signal, cancel), and withdraws it over there. */
  abandon(call: PendingCall, error: unknown): void {
    if (!this.#pending.delete(call.id)) return;
    this.#outbox?.push(wire.cancel, call.seq); // with the call itself, if it has not left yet
    this.#settle(call, false, error);
  }

  message(data: unknown): void {
    readBatch(data, wire.answers, 1, this);
  }

  read(op: Op, a: unknown, b: unknown): void {
    switch (op) {
      case wire.ok:
        this.#answer(a as string, true, b);
        return;
      case wire.error: {
        const call = this.#pending.get(a as string);
        if (call !== undefined) this.#answer(call.id, false, deserializeError(b as SerializedError));
        return;
      }
      case wire.uncloneable: {
        const call = this.#pending.get(a as string);
        if (call !== undefined) this.#answer(call.id, false, this.#errors.resultNotCloneable(call.method, b));
        return;
      }
      case wire.welcome:
        if (a === this.#prefix && typeof b === 'string' && !this.#named) this.#rename(b);
        return;
      case wire.closed: // nothing to withdraw: the handler's side withdrew them
        this.#close(deserializeError(a as SerializedError), String(b), false);
    }
  }

  /**
   * The endpoint closed, or could not read a message: this end closes, and withdraws its calls over
   * there if the endpoint still carries messages (after a `messageerror`, say).
   */
  lost(why: string, cause: unknown): void {
    this.#close(cause, why, true);
  }

  /** `remote.close(reason)`: this end closes; the calls it waits for are withdrawn over there. */
  close(reason: unknown): void {
    this.#close(reason, 'the connection was closed', true);
  }

  /** The actor that speaks the call protocol for this remote handler, made on first use. */
  get actor(): AnyActorRef {
    return this.#face.actor;
  }

  #close(reason: unknown, why: string, withdraw: boolean): void {
    if (this.closed !== undefined) return;
    this.closed = { why, reason };
    const outbox = this.#outbox;
    this.#outbox = undefined;
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    if (outbox !== undefined && withdraw) {
      // Sync calls not sent yet never leave; those sent are withdrawn. Oneway calls were sent as they were made.
      outbox.drop((op) => op !== wire.call);
      for (const call of calls) outbox.push(wire.cancel, call.seq);
      outbox.flush();
    } else outbox?.drop(() => false); // the other end is gone: nothing more goes out
    outbox?.port.close();
    for (const call of calls)
      this.#settle(call, false, this.#errors.closed(call.method, 'was pending when', why, reason));
    this.#face.closed(reason);
  }

  #answer(id: string, ok: boolean, value: unknown): void {
    const call = this.#pending.get(id);
    if (call === undefined) return; // answered already (deadline, cancel), or another's (a shared channel)
    this.#pending.delete(id);
    this.#settle(call, ok, value);
  }

  #settle(call: PendingCall, ok: boolean, value: unknown): void {
    call.release();
    if (call.protocolId !== undefined) {
      this.#byProtocolId?.delete(call.protocolId);
      this.#face.reply(call.replyTo, call.protocolId, ok, value);
    } else if (ok) call.resolve?.(value);
    else call.reject?.(value);
  }

  #rename(name: string): void {
    this.name = name;
    this.#face.renamed(name);
  }

  /** A message the endpoint refused (see `Outbox`): a call that cannot be cloned fails; else the endpoint is gone. */
  #refused(op: Op, seq: unknown, error: unknown): void {
    if (!isDataCloneError(error)) {
      this.lost('the endpoint refused a message', error); // a closed BroadcastChannel, say
      return;
    }
    const call = op === wire.call ? this.#pending.get(this.#prefix + seq) : undefined;
    if (call === undefined) return;
    this.#pending.delete(call.id);
    this.#settle(call, false, this.#errors.notCloneable(call.method, error));
  }

  #refusal(method: string): Error {
    const { why, reason } = this.closed ?? { why: 'the connection was closed', reason: undefined };
    return this.#errors.closed(method, 'was called after', why, reason);
  }
}

/** Whether every argument is a primitive that structured cloning takes (anything but a symbol). */
function primitives(args: readonly unknown[]): boolean {
  for (const arg of args) {
    if (arg !== null && (typeof arg === 'object' || typeof arg === 'function' || typeof arg === 'symbol'))
      return false;
  }
  return true;
}
