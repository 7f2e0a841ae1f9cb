import { type Clock, globalClock } from '../clock.js';
import { ActorFace, type FaceHost } from './ActorFace.js';
import { Call } from './Call.js';
import { CallQueue } from './CallQueue.js';
import { CallRegistry, type ProtocolHost } from './CallRegistry.js';
import { argsArray } from './CallSlots.js';
import { HandlerErrors } from './HandlerErrors.js';
import { isCallable } from './isCallable.js';
import { type LoopHost, ProcessLoop } from './ProcessLoop.js';
import { type HandlerEvent, STOP, type StopProcessingEvent } from './protocol.js';
import { RunningCall } from './RunningCall.js';
import { answerCall, type SettlingHost } from './Settling.js';
import type { OnewayCallInfo } from './types.js';
import type { Whitelist } from './Whitelist.js';

/** What a handler's core needs of its options. */
export interface CoreOptions {
  onOnewayError?: ((error: unknown, call: OnewayCallInfo) => void) | undefined;
  clock?: Clock | undefined;
  maxPending?: number | undefined;
}

/**
 * The engine of one handler: its queue, its running call and loop, and the settling of every call. It is
 * the truth about the handler; its XState actor is its face. Every change is told to the actor as an
 * event (`call`, `call.start`, `call.settle`, `loop.*`, `close`), whose transition reads the new context
 * here, so each change yields a new snapshot for the actor's observers.
 */
export class HandlerCore implements LoopHost, ProtocolHost, FaceHost, SettlingHost {
  readonly queue = new CallQueue();
  /** The call whose method is running, until it settles; none after close. */
  readonly running = new RunningCall();
  loop: ProcessLoop | undefined = undefined;
  closed: { readonly reason: unknown } | undefined = undefined;
  readonly errors: HandlerErrors;
  readonly clock: Clock;
  /** The call protocol: other actors' `call` and `call.cancel` events. */
  readonly protocol: CallRegistry = new CallRegistry(this);
  /** The actor that shows the handler: its binding, context and events. */
  readonly face: ActorFace;
  /** How many calls may wait in the queue. */
  readonly maxPending: number;
  /** Producers waiting in `ready()` for room in a full queue (none, mostly: the loop checks at each call). */
  roomWaiters: { resolve(): void; reject(error: unknown): void }[] | undefined = undefined;
  /** Method names already found callable: the check reads property descriptors, so it is done once. */
  #callable: Set<string> | undefined = undefined; // made on first need: an idle handler has none

  // Its fields are the ones the call path reads, and few: what is rarely needed (the class's name, where
  // failed oneway calls go) lives in `errors`. (Two more fields measured 20 % on a sync call.)
  constructor(
    readonly target: object,
    readonly name: string,
    className: string,
    options: CoreOptions = {},
  ) {
    this.errors = new HandlerErrors(name, className, target, options.onOnewayError);
    this.clock = options.clock ?? globalClock;
    this.maxPending = options.maxPending ?? Number.POSITIVE_INFINITY;
    this.face = new ActorFace(this); // once the name is set
  }

  /** Tells the actor of a change. */
  notify(event: HandlerEvent): void {
    this.face.notify(event);
  }

  /** Whether `loop` is one of this handler's loops (guard `ownLoop`: nobody else can fake loop events). */
  owns(loop: unknown): boolean {
    return loop instanceof ProcessLoop && loop.core === this;
  }

  // ---- calls --------------------------------------------------------------------------------------------

  /** Whether the queue holds `maxPending` calls: a new one is refused. */
  get full(): boolean {
    return this.queue.length >= this.maxPending;
  }

  /** Resolves once the queue has room (see `DeferredCallHandler.ready`). */
  ready(): Promise<void> {
    if (this.closed)
      return Promise.reject(
        this.errors.closed('ready', 'cannot wait for room: the handler is closed', this.closed.reason),
      );
    if (!this.full) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.roomWaiters ??= [];
      this.roomWaiters.push({ resolve, reject });
    });
  }

  /** A call left the queue: producers waiting for room go on, if there is room now. */
  roomMade(): void {
    const waiters = this.roomWaiters;
    if (waiters === undefined || this.full) return;
    this.roomWaiters = undefined;
    for (const waiter of waiters) waiter.resolve();
  }

  /** Whether `name` is a method that calls may name. */
  isMethod(name: string): boolean {
    if (this.#callable?.has(name)) return true;
    if (!isCallable(this.target, name)) return false;
    this.#callable ??= new Set();
    this.#callable.add(name);
    return true;
  }

  /** A sync call made from inside the call this handler is running could only wait for itself. */
  isDeadlock(): boolean {
    return this.running.isDeadlock();
  }

  /** The running call, made a `Call` now if it is bare (see `RunningCall`). */
  get current(): Call | undefined {
    return this.running.call;
  }

  /**
   * Queues a call from this process (a proxy, `callSync`), and tells the actor of it. A oneway call
   * without a `Call` stays bare in the queue, unless it wakes the loop or someone watches the actor.
   */
  enqueue(key: string, args: readonly unknown[], given: Call | undefined): void {
    const loop = this.loop;
    const wakes = loop?.waiting === true && loop.whitelist.admits(key);
    const call = given ?? (wakes || this.face.observed ? new Call(key, args, true) : undefined);
    this.queue.push(key, args, call);
    if (call === undefined) {
      this.face.changed();
      return;
    }
    if (wakes) {
      call.woke = true;
      loop.wake();
    }
    this.face.queued(call);
  }

  /**
   * Queues a oneway call of `count` (at most two) arguments from this process: bare, with no array
   * made, unless it wakes the loop or someone watches the actor (then as `enqueue` does).
   */
  enqueueInline(key: string, count: number, a0: unknown, a1: unknown): void {
    const loop = this.loop;
    if ((loop?.waiting === true && loop.whitelist.admits(key)) || this.face.observed) {
      this.enqueue(key, argsArray(count, a0, a1), undefined);
      return;
    }
    this.queue.pushInline(key, count, a0, a1);
    this.face.changed();
  }

  /** Queues a protocol call (its event tells the actor), waking the waiting loop if it admits it. */
  queueCall(call: Call): void {
    this.queue.push(call.key, call.args, call);
    if (this.loop?.wakeFor(call.key)) call.woke = true;
  }

  /** Queues a stop marker, waking the waiting loop (which admits every marker). */
  #queueStopMarker(): void {
    this.queue.pushStopMarker();
    this.loop?.wakeFor(undefined);
  }

  // ---- the handler's own API ----------------------------------------------------------------------------

  process(whitelist: Whitelist, forever: boolean): Promise<void> {
    if (this.closed)
      return Promise.reject(
        this.errors.closed('process', 'cannot run: the handler is closed', this.closed.reason),
      );
    if (this.loop !== undefined) {
      return Promise.reject(
        new Error(
          `${this.name}.process() was called while another process() of this handler is running: only one loop ` +
            'runs at a time. Await the running one, or end it with stopProcessing().',
        ),
      );
    }
    return new Promise<void>((done) => {
      const loop = new ProcessLoop(this, whitelist, forever, done);
      this.loop = loop;
      this.notify(loop.startEvent());
      loop.start();
    });
  }

  stopProcessing(): void {
    if (this.closed) return;
    this.#queueStopMarker();
    this.notify({ type: 'process.stop', [STOP]: true } as StopProcessingEvent);
  }

  /** A stop marker at the tail of the queue, for a `process.stop` event from another actor. */
  addStopMarker(event?: StopProcessingEvent): void {
    if ((event as { [STOP]?: true } | undefined)?.[STOP] === true) return; // queued already
    if (!this.closed) this.#queueStopMarker();
  }

  close(reason: unknown): void {
    if (this.closed) return;
    this.shutdown(reason);
    this.notify({ type: 'close', reason });
  }

  /** Rejects every queued and running sync call, ends the loop, and refuses every later call. */
  shutdown(reason: unknown): void {
    if (this.closed) return;
    this.closed = { reason };
    const { loop, current } = this;
    this.loop = undefined;
    this.running.call = undefined;
    this.protocol.clear();
    if (current?.status === 'running') {
      current.status = 'abandoned';
      const error = this.errors.closed(current.key, 'was running when the handler was closed', reason);
      current.abort(error);
      // A running oneway call has started: only its signal tells it; its late outcome is discarded.
      if (current.oneway) this.face.settled(current, false, error);
      else answerCall(this, current, false, error);
    }
    for (const item of this.queue.clear('settled')) {
      answerCall(
        this,
        item,
        false,
        this.errors.closed(item.key, 'was still queued when the handler was closed', reason),
      );
    }
    if (loop !== undefined) {
      loop.wake();
      loop.done();
    }
    const waiters = this.roomWaiters;
    this.roomWaiters = undefined;
    for (const waiter of waiters ?? [])
      waiter.reject(this.errors.closed('ready', 'was waiting for room when the handler was closed', reason));
  }
}
