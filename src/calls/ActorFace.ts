import type { AnyActor, AnyActorRef, AnyActorScope } from 'xstate';
import type { Call } from './Call.js';
import { OwnActorWatch } from './OwnActorWatch.js';
import { CALL, type CallEvent, type CallReply, type HandlerEvent, LOOP } from './protocol.js';
import type { HandlerContext } from './types.js';

/** What the face needs of its handler's core. */
export interface FaceHost {
  readonly name: string;
  readonly closed: { readonly reason: unknown } | undefined;
  /** The running loop, as the face shows it (the loop itself depends on settling, which tells the face). */
  readonly loop: { readonly waiting: boolean; startEvent(): HandlerEvent } | undefined;
  readonly queue: { readonly length: number };
  readonly maxPending: number;
  readonly running: { readonly key: string | undefined };
}

let ids = 0;

/** A call's id, made on first need: a proxy call that nobody observes never needs one. */
export function idOf(call: Call): string {
  call.id ??= `#${++ids}`;
  return call.id;
}

/** Refreshes an unobserved actor's snapshot; internal, and never seen by an inspector (there is none). */
const REFRESH = { type: 'handler.refresh' } as unknown as HandlerEvent;

/**
 * A handler's face: the XState actor that shows it. It binds the handler to the one actor that runs it,
 * keeps the context that actor shows (a new object at each change), and tells it every change (a loop
 * started, waiting or ended, a call queued, started or settled, the handler closed) whenever anyone can
 * see it. A handler's own root actor that nobody subscribes to or inspects catches up lazily, when its
 * snapshot is read: its `getSnapshot()` is always current, and a call costs no XState event.
 */
export class ActorFace {
  #actor: AnyActorRef | undefined = undefined;
  /** Whether `#actor` runs: it started, and has not stopped (a handler then goes on without it). */
  #running = false;
  #emit: ((reply: CallReply) => void) | undefined = undefined;
  #context: HandlerContext;
  /** Who watches the handler's own root actor, once it has one. */
  #own: OwnActorWatch | undefined = undefined;
  /** The actor's snapshot lags behind the handler (changes nobody could see). */
  #stale = false;

  constructor(readonly core: FaceHost) {
    this.#context = this.#make(0, undefined, false);
  }

  /** The actor that shows this handler, once one started. */
  get actor(): AnyActorRef | undefined {
    return this.#actor;
  }

  /**
   * Whether anyone can see the actor's snapshots: always, unless it is the handler's own root actor and
   * has no subscriber and no inspector.
   */
  get observed(): boolean {
    return this.#observed;
  }

  /** Whether replies are emitted to anyone (`ref.on('call.reply', …)`). */
  get emitting(): boolean {
    return this.#emitting;
  }

  #observed = true;
  #emitting = true;

  /** Recomputes `observed` and `emitting`: on every call they are read, and seldom change. */
  watchersChanged(): void {
    const own = this.#own;
    const ownActor = own !== undefined && own.actor === this.#actor;
    this.#observed = !ownActor || own.observed;
    this.#emitting = !ownActor || own.listened;
  }

  /**
   * The handler's own root actor, before it starts: the face counts who subscribes to it, listens to it
   * and inspects its system, and brings its snapshot up to date whenever it is read.
   */
  adopt(actor: AnyActor, inspected: boolean): void {
    this.#own = new OwnActorWatch(actor, inspected, this);
  }

  /** Brings a lagging snapshot up to date (before it is read). */
  refresh(): void {
    if (this.#stale) this.#send(REFRESH); // its transition catches up (see `lagging`)
  }

  /**
   * Whether the actor's snapshot lags behind the handler (changes nobody could see): its next
   * transition first brings its state and context up to date from the handler.
   */
  get lagging(): boolean {
    return this.#stale;
  }

  /** The actor's transition has caught up with the handler. */
  caughtUp(): void {
    this.#stale = false;
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
    this.watchersChanged();
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
    const currentCall = this.core.running.key;
    const closed = this.core.closed !== undefined;
    if (context.pending === pending && context.currentCall === currentCall && context.closed === closed)
      return context;
    this.#context = this.#make(pending, currentCall, closed);
    return this.#context;
  }

  #make(pending: number, currentCall: string | undefined, closed: boolean): HandlerContext {
    const { name, maxPending } = this.core;
    // The bound is shown only where there is one (Infinity is no JSON).
    return maxPending === Number.POSITIVE_INFINITY
      ? { name, pending, currentCall, closed }
      : { name, pending, currentCall, closed, maxPending };
  }

  /**
   * Tells the actor of a change, if anyone can see it; else its snapshot catches up when read. (These
   * events only report what the handler did already: their actions have nothing left to do.)
   */
  notify(event: HandlerEvent): void {
    if (this.observed) this.#send(event);
    else this.#stale = true;
  }

  /** A bare oneway call was queued: nobody watches, so the snapshot catches up when read. */
  changed(): void {
    this.#stale = true;
  }

  /** A call from this process was queued. */
  queued(call: Call): void {
    if (!this.observed) {
      this.#stale = true;
      return;
    }
    const { key, args, oneway } = call;
    this.notify({ type: 'call', id: idOf(call), method: key, args, oneway, [CALL]: call } as CallEvent);
  }

  /** A call's method started. */
  started(call: Call): void {
    if (this.observed) this.#send({ type: 'call.start', id: idOf(call), method: call.key });
    else this.#stale = true;
  }

  /** A call's caller was answered (or a oneway call ended, or was dropped). */
  settled(call: Call, ok: boolean, value: unknown): void {
    if (!this.observed) {
      this.#stale = true;
      return;
    }
    const settle = {
      type: 'call.settle',
      id: idOf(call),
      method: call.key,
      oneway: call.oneway,
      ok,
    } as const;
    this.notify(ok ? settle : { ...settle, error: value });
  }

  /** The method of a call answered early (a deadline, a cancel) returned at last. */
  ended(call: Call): void {
    if (this.observed) this.#send({ type: 'call.end', id: idOf(call), method: call.key });
    else this.#stale = true;
  }

  #send(event: HandlerEvent): void {
    // A stopped actor takes no more events (XState would warn of each); the handler goes on without it.
    if (!this.#running) return;
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
