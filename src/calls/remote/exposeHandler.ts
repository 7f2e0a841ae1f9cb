import { HandlerClosedError } from '../../errors.js';
import { formatValue } from '../../formatValue.js';
import { DeferredCallHandler } from '../DeferredCallHandler.js';
import type { CallReply, ReplyTarget } from '../protocol.js';
import { isDataCloneError, Outbox } from './Outbox.js';
import type { Endpoint } from './openEndpoint.js';
import { type EndpointHost, openEndpoint } from './openEndpoint.js';
import { serializeError } from './serializeError.js';
import { type MessageReader, type Op, readBatch, wire } from './wire.js';

/**
 * What `exposeHandler` returns: the serving of one handler over one endpoint, until it stops.
 *
 * @example
 * ```ts
 * import { exposeHandler, type ServedHandler } from 'greenstate';
 * import { parentPort } from 'node:worker_threads';
 * const served: ServedHandler = exposeHandler(manager, parentPort!);
 * served.stop('shutting down'); // remote handlers close, with this reason as the cause
 * ```
 */
export interface ServedHandler {
  /** Whether it stopped serving (`stop()`, the endpoint closed, or the handler was closed). */
  readonly stopped: boolean;
  /**
   * Stops serving: the calls it sent to the handler and that have not settled are withdrawn (or their
   * signal aborted), and every remote handler on the endpoint closes, with `reason` as its cause. The
   * handler itself goes on, and the endpoint stays open.
   */
  stop(reason?: unknown): void;
}

/**
 * Serves `handler` over `endpoint` (a `worker_threads` `parentPort` or Worker, a `MessagePort`, a
 * `BroadcastChannel`, …) to the remote handlers that `connectHandler` makes at its other end. Their calls
 * join the handler's queue through its call protocol, in the order they were sent, and run when its loop
 * processes them; their answers go back with errors kept (name, message, stack, cause, class).
 *
 * @example
 * ```ts
 * import { DeferredCallHandler, exposeHandler } from 'greenstate';
 * import { parentPort } from 'node:worker_threads';
 *
 * export class Manager extends DeferredCallHandler {
 *   report = {};
 *   accessResources() { return this.report; }
 * }
 * const manager = new Manager();
 * exposeHandler(manager, parentPort!);
 * await manager.process({ forever: true });
 * ```
 */
export function exposeHandler(handler: DeferredCallHandler, endpoint: Endpoint): ServedHandler {
  if (!(handler instanceof DeferredCallHandler)) {
    throw new TypeError(
      `exposeHandler(handler, endpoint): handler must be a DeferredCallHandler, got ${formatValue(handler)}.`,
    );
  }
  return new HandlerServer(handler, endpoint);
}

/**
 * The handler's end of its connections: it turns messages into the handler's protocol events (it is
 * itself the `replyTo` of every sync call), and its replies into messages. It keeps the ids of the sync
 * calls it sent until they settle, to withdraw them when it stops.
 */
class HandlerServer implements ServedHandler, ReplyTarget, EndpointHost, MessageReader {
  readonly #handler: DeferredCallHandler;
  /** Where the answers go: gathered, as a handler's loop gives many in one go. */
  readonly #outbox: Outbox;
  /** The prefix of the ids of the batch being read: its remote handler's. */
  #from = '';
  readonly #unsettled = new Set<string>();
  /** Oneway calls need ids of their own in the handler's protocol: this server's make no clash. */
  readonly #prefix = `${Math.random().toString(36).slice(2, 10)}~`;
  #ids = 0;
  #stopped = false;

  constructor(handler: DeferredCallHandler, endpoint: Endpoint) {
    this.#handler = handler;
    const port = openEndpoint(endpoint, 'exposeHandler(handler, endpoint)', this);
    this.#outbox = new Outbox(port, [wire.answers], (op, a, _b, _c, error) => this.#refused(op, a, error));
  }

  get stopped(): boolean {
    return this.#stopped || this.#handlerClosed();
  }

  message(data: unknown): void {
    if (this.#stopped || !Array.isArray(data) || data[0] !== wire.calls || typeof data[1] !== 'string')
      return;
    this.#from = data[1];
    readBatch(data, wire.calls, 2, this);
  }

  read(op: Op, a: unknown, b: unknown, c: unknown): void {
    if (this.#stopped) return; // a call of this batch closed the handler, say
    switch (op) {
      case wire.call: {
        const id = this.#from + a;
        this.#unsettled.add(id);
        // Answered at once if it cannot be queued, else once it settles: see `send`.
        this.#sendToHandler(
          { type: 'call', id, method: b as string, args: c as unknown[], replyTo: this },
          id,
        );
        return;
      }
      case wire.oneway: {
        const id = this.#prefix + ++this.#ids;
        this.#sendToHandler(
          { type: 'call', id, method: a as string, args: b as unknown[], oneway: true },
          undefined,
        );
        return;
      }
      case wire.cancel: {
        const id = this.#from + a;
        if (this.#unsettled.delete(id)) this.#sendToHandler({ type: 'call.cancel', id }, undefined);
        return;
      }
      case wire.hello:
        this.#outbox.push(wire.welcome, this.#from, this.#handler.name);
    }
  }

  /** The handler's answer to a sync call this server sent: posted back, unless withdrawn meanwhile. */
  send(reply: CallReply): void {
    if (this.#stopped || !this.#unsettled.delete(reply.id)) return;
    if (reply.ok) {
      this.#outbox.push(wire.ok, reply.id, reply.value); // a value that cannot be cloned: see #refused
      return;
    }
    this.#outbox.push(wire.error, reply.id, serializeError(reply.error));
    if (reply.error instanceof HandlerClosedError) {
      // The handler may have closed: once every reply of its closing is out, the remote handlers learn it.
      queueMicrotask(() => {
        if (this.#handlerClosed()) this.#stop((reply.error as Error).cause, 'the handler was closed', true);
      });
    }
  }

  /**
   * The endpoint closed, or could not read a message: the server stops, and tells the remote handlers
   * if the endpoint still carries messages (after a `messageerror`, say), so that none of them waits.
   */
  lost(why: string, cause: unknown): void {
    this.#stop(cause, `the handler's side stopped serving: ${why}`, true);
  }

  stop(reason?: unknown): void {
    this.#stop(reason, "the handler's side stopped serving", true);
  }

  #stop(reason: unknown, why: string, tell: boolean): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const outbox = this.#outbox;
    if (tell) {
      outbox.push(wire.closed, serializeError(reason), why);
      outbox.flush(); // the answers given so far, then the notice
    } else outbox.drop(() => false); // nobody is there any more
    outbox.port.close();
    // Nobody will take their answers: the calls still queued are withdrawn, a running one is aborted.
    const ids = [...this.#unsettled];
    this.#unsettled.clear();
    for (const id of ids) this.#sendToHandler({ type: 'call.cancel', id }, undefined);
  }

  /** Sends the handler's actor a protocol event; if it has none (hosted, and not yet), says so to the caller. */
  #sendToHandler(event: Parameters<DeferredCallHandler['ref']['send']>[0], id: string | undefined): void {
    try {
      this.#handler.ref.send(event);
    } catch (error) {
      if (id === undefined) console.error(`greenstate: ${this.#handler.name} could not take a call:`, error);
      else this.send({ type: 'call.reply', id, ok: false, error });
    }
  }

  #handlerClosed(): boolean {
    try {
      return this.#handler.ref.getSnapshot().context.closed;
    } catch {
      return false;
    }
  }

  /**
   * A message the endpoint refused (see `Outbox`): a result that cannot be cloned (a function, say)
   * reaches its caller as a `TypeError` saying so; any other refusal means that the endpoint is gone.
   */
  #refused(op: Op, id: unknown, error: unknown): void {
    if (isDataCloneError(error) && op === wire.ok) {
      this.#outbox.push(wire.uncloneable, id, error instanceof Error ? error.message : String(error));
    } else if (!this.#stopped) {
      console.error(`greenstate: ${this.#handler.name} could not answer over its endpoint:`, error);
      this.#stop(error, 'the endpoint refused a message', false);
    }
  }
}
