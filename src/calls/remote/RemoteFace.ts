import { type AnyActorRef, createActor } from 'xstate';
import type { CallReply, ReplyTarget } from '../protocol.js';
import { type RemoteCaller, registerRemoteRef } from './remoteCallers.js';
import { LINK, type LinkEvent, remoteHandlerMachine } from './remoteHandlerMachine.js';

/** What the face needs of its remote handler. */
export interface FacedRemote extends RemoteCaller {
  readonly name: string;
  readonly closed: { readonly reason: unknown } | undefined;
}

/**
 * A remote handler's face: the XState actor that speaks the call protocol for it (`remote.ref`), made
 * on first use (most programs only use the proxies), and told what it shows — the handler's name, the
 * connection's end — and the replies it emits.
 */
export class RemoteFace {
  #actor: AnyActorRef | undefined = undefined;

  constructor(readonly remote: FacedRemote) {}

  /** The actor, made and started on first use; `callSync` finds the remote handler behind it. */
  get actor(): AnyActorRef {
    if (this.#actor === undefined) {
      const { remote } = this;
      const actor = createActor(remoteHandlerMachine, { id: remote.name, input: { name: remote.name } });
      registerRemoteRef(actor, remote);
      this.#actor = actor;
      actor.start();
      if (remote.closed !== undefined) actor.send({ type: 'close', reason: remote.closed.reason });
    }
    return this.#actor;
  }

  /** Answers a `call` event sent to the actor: to its `replyTo`, and emitted on the actor. */
  reply(replyTo: ReplyTarget | undefined, id: unknown, ok: boolean, value: unknown): void {
    const reply = (
      ok ? { type: 'call.reply', id, ok, value } : { type: 'call.reply', id, ok, error: value }
    ) as CallReply;
    try {
      replyTo?.send(reply);
    } catch (error) {
      console.error(`${this.remote.name} could not send the reply to call "${String(id)}":`, error);
    }
    this.#tell({ type: 'remote.reply', reply, [LINK]: this });
  }

  /** The handler's side told the handler's name. */
  renamed(name: string): void {
    this.#tell({ type: 'remote.name', name, [LINK]: this });
  }

  /** The connection closed. */
  closed(reason: unknown): void {
    this.#tell({ type: 'close', reason });
  }

  /** Tells the actor, if it runs (it may have been stopped: the remote handler goes on without it). */
  #tell(event: LinkEvent | { type: 'close'; reason: unknown }): void {
    const actor = this.#actor;
    if (actor !== undefined && actor.getSnapshot().status === 'active') actor.send(event);
  }
}
