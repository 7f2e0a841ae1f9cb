import { formatValue } from '../formatValue.js';
import { Call, SyncCall } from './Call.js';
import { type HandlerErrors, nameOf } from './HandlerErrors.js';
import type { ProcessLoop } from './ProcessLoop.js';
import { CALL, type CallEvent, type CallReply } from './protocol.js';
import { abandonCall, reportOneway, type SettlingHost } from './Settling.js';

/** What the protocol needs of its handler's core. */
export interface ProtocolHost extends SettlingHost {
  readonly errors: HandlerErrors;
  readonly loop: ProcessLoop | undefined;
  isMethod(name: string): boolean;
  isDeadlock(): boolean;
  queueCall(call: Call): void;
  readonly full: boolean;
  readonly maxPending: number;
}

/**
 * The call protocol's side of a handler: it checks `call` events from other actors, queues them (or
 * answers at once why it cannot), and keeps their ids for `call.cancel` until they settle.
 */
export class CallRegistry {
  /** Protocol calls not yet answered, by their sender's id. */
  #byId: Map<string, Call> | undefined = undefined;

  constructor(readonly core: ProtocolHost) {}

  /** Whether this call event wakes the waiting loop (guard `whitelisted`): a valid call that it admits. */
  wakes(event: CallEvent): boolean {
    const given = (event as { [CALL]?: Call })[CALL];
    if (given !== undefined) return given.woke;
    const loop = this.core.loop;
    try {
      return (
        loop?.waiting === true && loop.whitelist.admits(event.method) && this.#invalid(event) === undefined
      );
    } catch {
      return false; // unreadable: accept() reports it
    }
  }

  /** Queues a protocol call, or answers it at once with the reason it cannot be queued. */
  accept(event: CallEvent): void {
    const given = (event as { [CALL]?: Call })[CALL];
    if (given !== undefined) {
      given.woke = false; // a proxy call, queued already; the actor has now seen it
      return;
    }
    try {
      this.#accept(event);
    } catch (error) {
      // An event whose fields cannot even be read (throwing getters, a revoked proxy): nobody to answer.
      console.error(`greenstate: ${this.core.name} could not read a call event:`, error);
    }
  }

  #accept(event: CallEvent): void {
    const { core } = this;
    const error = this.#invalid(event);
    const oneway = event.oneway === true;
    if (error !== undefined) {
      if (oneway) reportOneway(core, error, event.method, event.args);
      else this.reply(event.id, event.replyTo, false, error); // the sender's id as it was, even if no string
      return;
    }
    let call: Call;
    if (oneway) call = new Call(event.method, event.args, true);
    else {
      const sync = new SyncCall(event.method, event.args);
      sync.replyTo = event.replyTo;
      call = sync;
    }
    call.id = event.id;
    this.#byId ??= new Map();
    this.#byId.set(event.id, call);
    core.queueCall(call);
    call.woke = false; // the actor sees this very event
  }

  #invalid(event: CallEvent): Error | undefined {
    const { core } = this;
    const { id, method, args } = event;
    if (core.closed)
      return core.errors.closed(
        nameOf(method),
        'was called after the handler was closed',
        core.closed.reason,
      );
    if (typeof id !== 'string')
      return new TypeError(`A call event needs a string id, got ${formatValue(id)}.`);
    if (typeof method !== 'string')
      return new TypeError(`A call event needs a method name, got ${formatValue(method)}.`);
    if (!core.isMethod(method)) return core.errors.unknownMethod(method);
    if (!Array.isArray(args)) {
      return new TypeError(
        `The call event "${id}" to ${core.errors.label(method)} needs args as an array, got ${formatValue(args)}.`,
      );
    }
    if (this.#byId?.has(id)) {
      return new TypeError(
        `The call id "${id}" is already used by an unsettled call to ${core.name}: use a new id.`,
      );
    }
    if (core.full) return core.errors.queueFull(method, core.maxPending);
    if (event.oneway !== true && core.isDeadlock()) return core.errors.deadlock(method, core.running.key);
    return undefined;
  }

  /** `call.cancel`: withdraws or abandons the call with this id, if it has not settled. */
  cancel(id: unknown): void {
    const call = typeof id === 'string' ? this.#byId?.get(id) : undefined;
    if (call !== undefined) abandonCall(this.core, call, this.core.errors.cancelled(call.key, id as string));
  }

  /** Sends a sync call's reply to its `replyTo` and emits it on the actor. */
  reply(id: string, replyTo: CallEvent['replyTo'], ok: boolean, value: unknown): void {
    const reply: CallReply = ok
      ? { type: 'call.reply', id, ok: true, value }
      : { type: 'call.reply', id, ok: false, error: value };
    if (replyTo !== undefined) {
      try {
        replyTo.send(reply);
      } catch (error) {
        console.error(`${this.core.name} could not send the reply to call "${id}":`, error);
      }
    }
    this.core.face.emit(reply);
  }

  /** Forgets a protocol call's id: it settled. */
  settled(call: Call): void {
    // Only a protocol call is filed; another call's made id may equal a sender's, hence the identity check.
    if (call.id !== undefined && this.#byId?.get(call.id) === call) this.#byId.delete(call.id);
  }

  /** Forgets every id: the handler closed. */
  clear(): void {
    this.#byId = undefined;
  }
}
