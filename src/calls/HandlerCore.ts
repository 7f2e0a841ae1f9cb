import type { AnyActorRef, AnyActorScope } from 'xstate';
import { createAsyncContext } from '#async-context';
import { type Clock, globalClock } from '../clock.js';
import { formatValue } from '../formatValue.js';
import { isThenable } from '../isThenable.js';
import { startTimer } from '../startTimer.js';
import { type Answer, Call, type QueueItem, StopMarker } from './Call.js';
import { CallQueue } from './CallQueue.js';
import { HandlerErrors } from './HandlerErrors.js';
import { isCallable } from './isCallable.js';
import { ProcessLoop } from './ProcessLoop.js';
import {
  CALL,
  type CallEvent,
  type CallReply,
  type HandlerEvent,
  LOOP,
  STOP,
  type StopProcessingEvent,
} from './protocol.js';
import type { OnewayCallInfo } from './types.js';

/** The call whose method is running, seen from inside it (through its awaits, where the runtime can). */
const runningCall = createAsyncContext<Call>();

let proxyCallIds = 0;

/**
 * What a handler's actor holds in its context: plain data, a new object whenever one of them changes.
 *
 * @example
 * ```ts
 * import type { HandlerContext } from 'greenstate';
 * const busy = (context: HandlerContext) => context.currentCall !== undefined || context.pending > 0;
 * ```
 */
export interface HandlerContext {
  readonly name: string;
  /** Calls queued, not yet started. */
  readonly pending: number;
  /** The method of the call that is running, if any. */
  readonly currentCall: string | undefined;
  readonly closed: boolean;
}

/** What a handler's core needs of its options. */
export interface CoreOptions {
  onOnewayError?: ((error: unknown, call: OnewayCallInfo) => void) | undefined;
  clock?: Clock | undefined;
}

const invoke = (method: (...args: unknown[]) => unknown, target: object, args: readonly unknown[]) =>
  method.apply(target, args as unknown[]);

/**
 * The engine of one handler: its queue, its processing loop, and the settling of every call. It is the
 * truth about the handler; its XState actor is its face. Every change is told to the actor as an event
 * (`call`, `call.start`, `call.settle`, `loop.*`, `close`), whose transition reads the new context here,
 * so each change yields a new snapshot for the actor's observers.
 */
export class HandlerCore {
  readonly queue = new CallQueue<QueueItem>();
  /** The call whose method is running, until it settles; undefined after close. */
  current: Call | undefined = undefined;
  loop: ProcessLoop | undefined = undefined;
  closed: { readonly reason: unknown } | undefined = undefined;
  readonly errors: HandlerErrors;
  readonly clock: Clock;
  /** Protocol calls not yet answered, by their sender's id. */
  #byId: Map<string, Call> | undefined = undefined;
  /** Method names already found callable: the check reads property descriptors, so it is done once. */
  readonly #callable = new Set<string>();
  #actor: AnyActorRef | undefined = undefined;
  /** Whether `#actor` runs: it started, and has not stopped (a handler then goes on without it). */
  #running = false;
  #emit: ((reply: CallReply) => void) | undefined = undefined;
  #context: HandlerContext;
  readonly #onOnewayError: (error: unknown, call: OnewayCallInfo) => void;

  constructor(
    readonly target: object,
    readonly name: string,
    readonly className: string,
    options: CoreOptions = {},
  ) {
    this.errors = new HandlerErrors(name, className, target);
    this.#onOnewayError =
      options.onOnewayError ??
      ((error, call) => console.error(`${this.errors.label(call.method)} failed in a oneway call:`, error));
    this.clock = options.clock ?? globalClock;
    this.#context = { name, pending: 0, currentCall: undefined, closed: false };
  }

  // ---- the actor ----------------------------------------------------------------------------------------

  /** The actor that shows this handler, once one was made. */
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
        `${this.name} already has a running actor ("${previous.id}"${previous._parent ? `, a child of "${previous._parent.id}"` : ''}): ` +
          'a handler has one actor at a time. To host a handler in a machine, create it with { hosted: true } and ' +
          'invoke or spawn its logic once.',
      );
    }
    this.#actor = scope.self;
    this.#running = true;
    this.#emit = scope.emit as (reply: CallReply) => void;
    this.#notify({ type: 'handler.attach' });
    const loop = this.loop;
    if (this.closed) this.#notify({ type: 'close', reason: this.closed.reason });
    else if (loop !== undefined) {
      this.#notify(loopStart(loop));
      if (loop.waiting) this.#notify({ type: 'loop.wait', [LOOP]: loop });
    }
  }

  /** The actor stopped (or failed): the handler goes on, and another actor may take it up. */
  detach(actor: AnyActorRef): void {
    if (actor === this.#actor) this.#running = false;
  }

  /** The actor's context: the same object while nothing in it has changed. */
  context(): HandlerContext {
    const context = this.#context;
    const pending = this.queue.length;
    const currentCall = this.current?.key;
    const closed = this.closed !== undefined;
    if (context.pending === pending && context.currentCall === currentCall && context.closed === closed)
      return context;
    this.#context = { name: this.name, pending, currentCall, closed };
    return this.#context;
  }

  /** Whether `loop` is one of this handler's loops (guard `ownLoop`: nobody else can fake loop events). */
  owns(loop: unknown): boolean {
    return loop instanceof ProcessLoop && loop.owner === this;
  }

  #notify(event: HandlerEvent): void {
    try {
      this.#actor?.send(event);
    } catch (error) {
      // An inspection observer that throws (XState does not catch those) must not break the handler.
      console.error(`greenstate: an inspector of ${this.name}'s actor threw on ${event.type}:`, error);
    }
  }

  // ---- calls from the proxies ---------------------------------------------------------------------------

  sync(method: string, args: readonly unknown[], timeout: number | undefined): Promise<unknown> {
    const refusal = this.#refusal(method, false);
    if (refusal !== undefined) return Promise.reject(refusal);
    const caller: Answer = {};
    const answer = new Promise<unknown>((resolve, reject) => {
      caller.resolve = resolve;
      caller.reject = reject;
    });
    const call = new Call(method, args, false, `#${++proxyCallIds}`, false, caller);
    if (timeout !== undefined) {
      // The error is made only if the deadline passes: most calls never need one, and an Error's stack
      // is the costliest thing a call would allocate. The timer is cleared as soon as the call settles.
      caller.clearDeadline = startTimer(this.clock, timeout, () => {
        caller.clearDeadline = undefined;
        this.#abandon(call, this.errors.timeout(method, timeout));
      });
    }
    this.#enqueue(call);
    return answer;
  }

  oneway(method: string, args: readonly unknown[]): void {
    const refusal = this.#refusal(method, true);
    if (refusal !== undefined) throw refusal;
    this.#enqueue(new Call(method, args, true, `#${++proxyCallIds}`, false, undefined));
  }

  #refusal(method: string, oneway: boolean): Error | undefined {
    if (this.closed)
      return this.errors.closed(method, 'was called after the handler was closed', this.closed.reason);
    if (!this.isMethod(method)) return this.errors.unknownMethod(method);
    if (!oneway && this.#isDeadlock()) return this.errors.deadlock(method, this.current?.key);
    return undefined;
  }

  /** Whether `name` is a method that calls may name. */
  isMethod(name: string): boolean {
    if (this.#callable.has(name)) return true;
    if (!isCallable(this.target, name)) return false;
    this.#callable.add(name);
    return true;
  }

  #enqueue(call: Call): void {
    this.#push(call);
    const { id, key, args, oneway } = call;
    this.#notify({ type: 'call', id, method: key, args, oneway, [CALL]: call } as CallEvent);
  }

  #push(item: QueueItem): void {
    this.queue.push(item);
    if (this.loop?.wakeFor(item.key)) item.woke = true;
  }

  // ---- protocol events (the actor's transition calls these) ---------------------------------------------

  /** Whether this call event wakes the waiting loop (guard `whitelisted`): a valid call that it admits. */
  wakes(event: CallEvent): boolean {
    const given = (event as { [CALL]?: Call })[CALL];
    if (given !== undefined) return given.woke;
    try {
      return (
        this.loop?.waiting === true && this.loop.admits(event.method) && this.#invalid(event) === undefined
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
      this.#acceptProtocolCall(event);
    } catch (error) {
      // An event whose fields cannot even be read (throwing getters, a revoked proxy): nobody to answer.
      console.error(`greenstate: ${this.name} could not read a call event:`, error);
    }
  }

  #acceptProtocolCall(event: CallEvent): void {
    const error = this.#invalid(event);
    const oneway = event.oneway === true;
    if (error !== undefined) {
      if (oneway) this.#reportOneway(error, event.method, event.args);
      else this.#reply(event.id, event.replyTo, false, error); // the sender's id as it was, even if no string
      return;
    }
    const call = new Call(
      event.method,
      event.args,
      oneway,
      event.id,
      true,
      event.replyTo && { replyTo: event.replyTo },
    );
    this.#byId ??= new Map();
    this.#byId.set(event.id, call);
    this.#push(call);
    call.woke = false; // the actor sees this very event
  }

  #invalid(event: CallEvent): Error | undefined {
    const { id, method, args } = event;
    if (this.closed)
      return this.errors.closed(
        String(method),
        'was called after the handler was closed',
        this.closed.reason,
      );
    if (typeof id !== 'string')
      return new TypeError(`A call event needs a string id, got ${formatValue(id)}.`);
    if (typeof method !== 'string')
      return new TypeError(`A call event needs a method name, got ${formatValue(method)}.`);
    if (!this.isMethod(method)) return this.errors.unknownMethod(method);
    if (!Array.isArray(args)) {
      return new TypeError(
        `The call event "${id}" to ${this.errors.label(method)} needs args as an array, got ${formatValue(args)}.`,
      );
    }
    if (this.#byId?.has(id)) {
      return new TypeError(
        `The call id "${id}" is already used by an unsettled call to ${this.name}: use a new id.`,
      );
    }
    if (event.oneway !== true && this.#isDeadlock()) return this.errors.deadlock(method, this.current?.key);
    return undefined;
  }

  cancel(id: unknown): void {
    const call = typeof id === 'string' ? this.#byId?.get(id) : undefined;
    if (call === undefined) return;
    this.#abandon(call, this.errors.cancelled(call.key, call.id));
  }

  /** A stop marker at the tail of the queue (a `process.stop` event, or `stopProcessing()`). */
  addStopMarker(event?: StopProcessingEvent): void {
    if ((event as { [STOP]?: StopMarker } | undefined)?.[STOP] !== undefined) return; // queued already
    if (!this.closed) this.#push(new StopMarker());
  }

  /** Rejects every queued and running sync call, ends the loop, and refuses every later call. */
  shutdown(reason: unknown): void {
    if (this.closed) return;
    this.closed = { reason };
    const { loop, current } = this;
    this.loop = undefined;
    this.current = undefined;
    this.#byId = undefined;
    if (current?.status === 'running') {
      current.status = 'abandoned';
      const error = this.errors.closed(current.key, 'was running when the handler was closed', reason);
      current.abort(error);
      // A running oneway call has started: only its signal tells it; its late outcome is discarded.
      if (current.oneway) this.#notify(settleEvent(current, false, error));
      else this.#answer(current, false, error);
    }
    for (const item of this.queue.clear()) {
      if (!(item instanceof Call)) continue;
      item.status = 'settled';
      this.#answer(
        item,
        false,
        this.errors.closed(item.key, 'was still queued when the handler was closed', reason),
      );
    }
    if (loop !== undefined) {
      loop.wake();
      loop.done();
    }
  }

  // ---- the handler's own API ----------------------------------------------------------------------------

  stopProcessing(): void {
    if (this.closed) return;
    const marker = new StopMarker();
    this.#push(marker);
    this.#notify({ type: 'process.stop', [STOP]: marker } as StopProcessingEvent);
  }

  close(reason: unknown): void {
    if (this.closed) return;
    this.shutdown(reason);
    this.#notify({ type: 'close', reason });
  }

  process(whitelist: ReadonlySet<string> | undefined, forever: boolean): Promise<void> {
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
      this.#notify(loopStart(loop));
      void this.#drain(loop);
    });
  }

  // ---- the processing loop ------------------------------------------------------------------------------

  async #drain(loop: ProcessLoop): Promise<void> {
    await undefined; // calls never run inside the process() call that starts the loop
    while (this.loop === loop) {
      const item = this.queue.shift(loop.whitelist);
      if (item === undefined) {
        if (!loop.forever) break;
        const woken = loop.sleep();
        this.#notify({ type: 'loop.wait', [LOOP]: loop });
        await woken;
        continue;
      }
      if (!(item instanceof Call)) break; // a stop marker
      const settling = this.#run(item);
      if (settling !== undefined) await settling;
    }
    if (this.loop === loop) {
      this.loop = undefined;
      this.#notify({ type: 'loop.end', [LOOP]: loop });
      loop.done();
    }
  }

  /** Starts a call; returns a promise if its method is asynchronous. */
  #run(call: Call): Promise<void> | undefined {
    call.status = 'running';
    this.current = call;
    this.#notify({ type: 'call.start', id: call.id, method: call.key });
    let result: unknown;
    try {
      const method = (this.target as Record<string, unknown>)[call.key];
      if (typeof method !== 'function') throw this.errors.unknownMethod(call.key);
      result = runningCall.run(
        call,
        invoke,
        method as (...args: unknown[]) => unknown,
        this.target,
        call.args,
      );
      // Reading `then` runs user code (a getter, a revoked proxy) that may throw: it fails the call.
      if (!isThenable(result)) {
        this.#finish(call, true, result);
        return undefined;
      }
    } catch (error) {
      this.#finish(call, false, error);
      return undefined;
    }
    return Promise.resolve(result).then(
      (value) => this.#finish(call, true, value),
      (error) => this.#finish(call, false, error),
    );
  }

  #finish(call: Call, ok: boolean, value: unknown): void {
    if (this.current === call) this.current = undefined;
    if (call.status !== 'running') {
      // Answered already (deadline, cancel, close): the late result is discarded; the actor learns that
      // the method is no longer running.
      if (call.status === 'abandoned' && !this.closed)
        this.#notify({ type: 'call.end', id: call.id, method: call.key });
      call.status = 'settled';
      return;
    }
    call.status = 'settled';
    if (call.registered) this.#byId?.delete(call.id);
    this.#answer(call, ok, value);
  }

  /** Answers a call before it finished (deadline, cancel). */
  #abandon(call: Call, error: Error): void {
    if (call.status === 'queued') {
      this.queue.remove(call);
      call.status = 'settled';
    } else if (call.status === 'running') {
      call.status = 'abandoned';
      call.abort(error);
    } else {
      return;
    }
    if (call.registered) this.#byId?.delete(call.id);
    // A withdrawn oneway call is dropped; a running one can only be told through its signal.
    if (call.oneway) this.#notify(settleEvent(call, false, error));
    else this.#answer(call, false, error);
  }

  // ---- answers ------------------------------------------------------------------------------------------

  #answer(call: Call, ok: boolean, value: unknown): void {
    const answer = call.answer;
    if (answer?.clearDeadline !== undefined) {
      answer.clearDeadline();
      answer.clearDeadline = undefined;
    }
    this.#notify(settleEvent(call, ok, value));
    if (call.oneway) {
      if (!ok) this.#reportOneway(value, call.key, call.args);
      return;
    }
    if (ok) answer?.resolve?.(value);
    else answer?.reject?.(value);
    this.#reply(call.id, answer?.replyTo, ok, value);
  }

  #reply(id: string, replyTo: CallEvent['replyTo'], ok: boolean, value: unknown): void {
    const reply: CallReply = ok
      ? { type: 'call.reply', id, ok: true, value }
      : { type: 'call.reply', id, ok: false, error: value };
    if (replyTo !== undefined) {
      try {
        replyTo.send(reply);
      } catch (error) {
        console.error(`${this.name} could not send the reply to call "${id}":`, error);
      }
    }
    this.#emit?.(reply);
  }

  #reportOneway(error: unknown, method: unknown, args: unknown): void {
    const call = { method: nameOf(method), args: Array.isArray(args) ? args : [] };
    const secondary = (failure: unknown) =>
      console.error(
        `${this.name}'s onOnewayError failed while reporting a failed oneway call:`,
        failure,
        error,
      );
    try {
      const result: unknown = this.#onOnewayError(error, call);
      if (isThenable(result)) Promise.resolve(result).catch(secondary);
    } catch (failure) {
      secondary(failure);
    }
  }

  #isDeadlock(): boolean {
    const current = this.current;
    return current !== undefined && runningCall.get() === current;
  }
}

/** A method name as messages show it, whatever a protocol event carried. */
function nameOf(method: unknown): string {
  return typeof method === 'string' ? method : formatValue(method);
}

function loopStart(loop: ProcessLoop): HandlerEvent {
  return {
    type: 'loop.start',
    whitelist: loop.whitelist && [...loop.whitelist],
    forever: loop.forever,
    [LOOP]: loop,
  };
}

function settleEvent(call: Call, ok: boolean, value: unknown): HandlerEvent {
  const settle = { type: 'call.settle', id: call.id, method: call.key, oneway: call.oneway, ok } as const;
  return ok ? settle : { ...settle, error: value };
}
