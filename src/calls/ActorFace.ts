import type { AnyActorRef, AnyActorScope } from 'xstate';
import type { ProcessLoop } from './ProcessLoop.js';
import { type CallReply, type HandlerEvent, LOOP } from './protocol.js';
import type { HandlerContext } from './types.js';

/** What the face needs of its handler's core. */
export interface FaceHost {
  readonly name: string;
  readonly closed: { readonly reason: unknown } | undefined;
  readonly loop: ProcessLoop | undefined;
  readonly queue: { readonly length: number };
  readonly current: { readonly key: string } | undefined;
}

/**
 * A handler's face: the XState actor that shows it. It binds the handler to the one actor that runs it,
 * keeps the context that actor shows (a new object at each change), and tells it every change.
 */
export class ActorFace {
  #actor: AnyActorRef | undefined = undefined;
  /** Whether `#actor` runs: it started, and has not stopped (a handler then goes on without it). */
  #running = false;
  #emit: ((reply: CallReply) => void) | undefined = undefined;
  #context: HandlerContext;

  constructor(readonly core: FaceHost) {
    this.#context = { name: core.name, pending: 0, currentCall: undefined, closed: false };
  }

  /** The actor that shows this handler, once one started. */
  get actor(): AnyActorRef | undefined {
    return this.#actor;
  }
  /**
   * Binds the handler to the actor starting in `scope`: a handler has one running actor at a time. The
   * events sent here (queued until the actor runs) bring it to where the handler is.
   */
  attach(scope: AnyActorScope): void {
    const previous = this.#actor;
    if (previous !== undefined && previous !== scope.self && this.#running) {
      throw new Error(
        `${this.core.name} already has a running actor ("${previous.id}"${previous._parent ? `, a child of "${previous._parent.id}"` : ''}): ` +
          'a handler has one actor at a time. To host a handler in a machine, create it with { hosted: true } and ' +
          'invoke or spawn its logic once.',
      );
    }
    this.#actor = scope.self;
    this.#running = true;
    this.#emit = scope.emit as (reply: CallReply) => void;
    this.notify({ type: 'handler.attach' });
    const loop = this.core.loop;
    if (this.core.closed) this.notify({ type: 'close', reason: this.core.closed.reason });
    else if (loop !== undefined) {
      this.notify(loop.startEvent());
      if (loop.waiting) this.notify({ type: 'loop.wait', [LOOP]: loop });
    }
  }

  /** The actor stopped (or failed): the handler goes on, and another actor may take it up. */
  detach(actor: AnyActorRef): void {
    if (actor === this.#actor) this.#running = false;
  }

  /** The actor's context: the same object while nothing in it has changed. */
  context(): HandlerContext {
    const context = this.#context;
    const pending = this.core.queue.length;
    const currentCall = this.core.current?.key;
    const closed = this.core.closed !== undefined;
    if (context.pending === pending && context.currentCall === currentCall && context.closed === closed)
      return context;
    this.#context = { name: this.core.name, pending, currentCall, closed };
    return this.#context;
  }

  /** Tells the actor of a change. */
  notify(event: HandlerEvent): void {
    try {
      this.#actor?.send(event);
    } catch (error) {
      // An inspection observer that throws (XState does not catch those) must not break the handler.
      console.error(`greenstate: an inspector of ${this.core.name}'s actor threw on ${event.type}:`, error);
    }
  }

  /** Emits a reply on the actor (`ref.on('call.reply', …)`). */
  emit(reply: CallReply): void {
    this.#emit?.(reply);
  }
}
