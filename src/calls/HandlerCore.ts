import type { AnyActorScope } from 'xstate';
import { createAsyncContext } from '#async-context';
import { formatValue } from '../formatValue.js';
import { globalClock } from '../globalClock.js';
import { isThenable } from '../isThenable.js';
import { type Answer, Call, type QueueItem, StopMarker } from './Call.js';
import { CallQueue } from './CallQueue.js';
import { HandlerErrors } from './HandlerErrors.js';
import { isCallable } from './isCallable.js';
import { CALL, type CallEvent, type CallReply, type HandlerEvent, LOOP } from './protocol.js';
import type { Clock, HandlerOptions, OnewayCallInfo } from './types.js';

/** The call whose method is running, seen from inside it (through its awaits, where the runtime can). */
const runningCall = createAsyncContext<Call>();

let proxyCallIds = 0;

/** One `process()`: what it admits, and how to wake it while it waits for calls. */
interface Loop {
  readonly owner: HandlerCore;
  readonly whitelist: ReadonlySet<string> | undefined;
  readonly forever: boolean;
  waiting: boolean;
  wake: (() => void) | undefined;
  readonly done: () => void;
}

const invoke = (method: (...args: unknown[]) => unknown, target: object, args: readonly unknown[]) =>
  method.apply(target, args as unknown[]);

/**
 * The engine of one handler: its queue, its processing loop, and the settling of every call.
 * Proxy calls enter through `sync` and `oneway`; protocol events through the machine's actions.
 */
export class HandlerCore {
  readonly queue = new CallQueue<QueueItem>();
  /** The call whose method is running, until it settles; undefined after close. */
  current: Call | undefined = undefined;
  loop: Loop | undefined = undefined;
  closed: { readonly reason: unknown } | undefined = undefined;
  /** Protocol calls not yet answered, by their sender's id. */
  #byId: Map<string, Call> | undefined = undefined;
  #scope: AnyActorScope | undefined = undefined;
  readonly #onOnewayError: (error: unknown, call: OnewayCallInfo) => void;
  readonly #clock: Clock;
  readonly #errors: HandlerErrors;
  readonly #traced: boolean;

  constructor(
    readonly target: object,
    readonly name: string,
    readonly className: string,
    options: HandlerOptions,
  ) {
    this.#errors = new HandlerErrors(name, className, target);
    this.#onOnewayError =
      options.onOnewayError ??
      ((error, call) => console.error(`${this.#errors.label(call.method)} failed in a oneway call:`, error));
    this.#traced = options.trace ?? options.inspect !== undefined;
    this.#clock = options.clock ?? globalClock;
  }

  /** Called by the handler's actor logic as the actor is created. */
  attach(scope: AnyActorScope): void {
    this.#scope = scope;
  }

  /** Whether `loop` is one of this handler's loops (guard `ownLoop`: others cannot fake loop events). */
  owns(loop: unknown): boolean {
    return (loop as Loop | undefined)?.owner === this;
  }

  get pending(): number {
    return this.queue.length;
  }

  toJSON(): { name: string; pending: number; currentCall: string | undefined; closed: boolean } {
    return {
      name: this.name,
      pending: this.queue.length,
      currentCall: this.current?.key,
      closed: !!this.closed,
    };
  }

  // ---- proxy calls --------------------------------------------------------------------------------------

  sync(method: string, args: readonly unknown[], timeout: number | undefined): Promise<unknown> {
    const refusal = this.#refusal(method, false);
    if (refusal !== undefined) return Promise.reject(refusal);
    const caller: Answer = {};
    const call = new Call(method, args, false, undefined, caller);
    const answer = new Promise<unknown>((resolve, reject) => {
      caller.resolve = resolve;
      caller.reject = reject;
    });
    if (timeout !== undefined) {
      // The error is made only if the deadline passes: most calls never need one, and an Error's stack
      // is the costliest thing a call would allocate. The timer is cleared as soon as the call settles.
      const clock = this.#clock;
      const timer = clock.setTimeout(() => {
        caller.clearDeadline = undefined;
        this.#abandon(call, this.#errors.timeout(method, timeout));
      }, timeout);
      caller.clearDeadline = () => clock.clearTimeout(timer);
    }
    this.#enqueue(call);
    return answer;
  }

  oneway(method: string, args: readonly unknown[]): void {
    const refusal = this.#refusal(method, true);
    if (refusal !== undefined) throw refusal;
    this.#enqueue(new Call(method, args, true, undefined, undefined));
  }

  #refusal(method: string, oneway: boolean): Error | undefined {
    if (this.closed)
      return this.#errors.closed(method, 'was called after the handler was closed', this.closed?.reason);
    if (!isCallable(this.target, method)) return this.#errors.unknownMethod(method);
    if (!oneway && this.#isDeadlock()) return this.#errors.deadlock(method, this.current?.key);
    return undefined;
  }

  #enqueue(call: Call): void {
    // A waiting loop is woken through the actor, so that its machine shows the wake-up (and the
    // whitelist guard decides it); a traced call goes through it too; otherwise the call goes straight
    // into the queue.
    if (this.#traced || this.loop?.waiting) {
      call.id = `#${++proxyCallIds}`;
      const event = {
        type: 'call',
        id: call.id,
        method: call.key,
        args: call.args,
        oneway: call.oneway,
        [CALL]: call,
      };
      this.#send(event as CallEvent);
    } else {
      this.queue.push(call);
    }
  }

  // ---- protocol (the machine's actions and guards) ------------------------------------------------------

  /** Guard `whitelisted`: whether this call event is valid and the waiting loop admits it. */
  admits(event: CallEvent): boolean {
    const loop = this.loop;
    if (loop === undefined || (loop.whitelist !== undefined && !loop.whitelist.has(event.method)))
      return false;
    return (event as { [CALL]?: Call })[CALL] !== undefined || this.#invalid(event) === undefined;
  }

  accept(event: CallEvent): void {
    const given = (event as { [CALL]?: Call })[CALL];
    if (given !== undefined) {
      this.#push(given);
      return;
    }
    const error = this.#invalid(event);
    const oneway = event.oneway === true;
    if (error !== undefined) {
      if (oneway) this.#reportOneway(error, event.method, event.args);
      else this.#reply(String(event.id), event.replyTo, false, error);
      return;
    }
    const call = new Call(
      event.method,
      event.args,
      oneway,
      event.id,
      event.replyTo && { replyTo: event.replyTo },
    );
    this.#byId ??= new Map();
    this.#byId.set(event.id, call);
    this.#push(call);
  }

  #invalid(event: CallEvent): Error | undefined {
    const { id, method, args } = event;
    if (this.closed)
      return this.#errors.closed(
        String(method),
        'was called after the handler was closed',
        this.closed?.reason,
      );
    if (typeof id !== 'string')
      return new TypeError(`A call event needs a string id, got ${formatValue(id)}.`);
    if (typeof method !== 'string')
      return new TypeError(`A call event needs a method name, got ${formatValue(method)}.`);
    if (!isCallable(this.target, method)) return this.#errors.unknownMethod(method);
    if (!Array.isArray(args)) {
      return new TypeError(
        `The call event "${id}" to ${this.#errors.label(method)} needs args as an array, got ${formatValue(args)}.`,
      );
    }
    if (this.#byId?.has(id)) {
      return new TypeError(
        `The call id "${id}" is already used by an unsettled call to ${this.name}: use a new id.`,
      );
    }
    if (event.oneway !== true && this.#isDeadlock()) return this.#errors.deadlock(method, this.current?.key);
    return undefined;
  }

  cancel(id: string): void {
    const call = this.#byId?.get(id);
    if (call === undefined) return;
    const error = this.#errors.cancelled(call.key, id);
    if (call.oneway) {
      // A withdrawn oneway call is dropped; a running one can only be told through its signal.
      if (call.status === 'queued') this.queue.remove(call);
      else call.abort(error);
      call.status = call.status === 'queued' ? 'settled' : 'abandoned';
      this.#byId?.delete(id);
      if (this.#traced) this.#traceSettle(call, false, error);
      return;
    }
    this.#abandon(call, error);
  }

  addStopMarker(): void {
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
      const error = this.#errors.closed(
        current.key,
        'was running when the handler was closed',
        this.closed?.reason,
      );
      current.abort(error);
      // A running oneway call has started: only its signal tells it; its late outcome is discarded.
      if (!current.oneway) this.#answer(current, false, error);
    }
    for (const item of this.queue.clear()) {
      if (!(item instanceof Call)) continue;
      item.status = 'settled';
      this.#answer(
        item,
        false,
        this.#errors.closed(item.key, 'was still queued when the handler was closed', this.closed?.reason),
      );
    }
    if (loop !== undefined) {
      loop.wake?.();
      loop.done();
    }
  }

  // ---- the processing loop ------------------------------------------------------------------------------

  process(whitelist: ReadonlySet<string> | undefined, forever: boolean): Promise<void> {
    if (this.closed)
      return Promise.reject(
        this.#errors.closed('process', 'cannot run: the handler is closed', this.closed?.reason),
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
      const loop: Loop = { owner: this, whitelist, forever, waiting: false, wake: undefined, done };
      this.loop = loop;
      this.#send({ type: 'loop.start', whitelist: whitelist && [...whitelist], forever, [LOOP]: loop });
      void this.#drain(loop);
    });
  }

  stopProcessing(): void {
    if (!this.closed) this.#send({ type: 'process.stop' });
  }

  async #drain(loop: Loop): Promise<void> {
    await undefined; // calls never run inside the process() call that starts the loop
    while (this.loop === loop) {
      const item = this.queue.shift(loop.whitelist);
      if (item === undefined) {
        if (!loop.forever) break;
        const woken = new Promise<void>((wake) => {
          loop.wake = wake;
        });
        loop.waiting = true;
        this.#send({ type: 'loop.wait', [LOOP]: loop });
        await woken;
        continue;
      }
      if (!(item instanceof Call)) break; // a stop marker
      const settling = this.#run(item);
      if (settling !== undefined) await settling;
    }
    if (this.loop === loop) {
      this.loop = undefined;
      this.#send({ type: 'loop.end', [LOOP]: loop });
      loop.done();
    }
  }

  #push(item: QueueItem): void {
    this.queue.push(item);
    const loop = this.loop;
    if (
      loop?.waiting &&
      (item.key === undefined || loop.whitelist === undefined || loop.whitelist.has(item.key))
    ) {
      loop.waiting = false;
      const wake = loop.wake;
      loop.wake = undefined;
      wake?.();
    }
  }

  /** Starts a call; returns a promise if its method is asynchronous. */
  #run(call: Call): Promise<void> | undefined {
    call.status = 'running';
    this.current = call;
    if (this.#traced) this.#send({ type: 'call.start', id: call.id ?? '', method: call.key });
    let result: unknown;
    try {
      const method = (this.target as Record<string, unknown>)[call.key];
      if (typeof method !== 'function') throw this.#errors.unknownMethod(call.key);
      result = runningCall.run(
        call,
        invoke,
        method as (...args: unknown[]) => unknown,
        this.target,
        call.args,
      );
    } catch (error) {
      this.#finish(call, false, error);
      return undefined;
    }
    if (!isThenable(result)) {
      this.#finish(call, true, result);
      return undefined;
    }
    return Promise.resolve(result).then(
      (value) => this.#finish(call, true, value),
      (error) => this.#finish(call, false, error),
    );
  }

  #finish(call: Call, ok: boolean, value: unknown): void {
    if (this.current === call) this.current = undefined;
    if (call.status !== 'running') return; // already answered: the late result is discarded
    call.status = 'settled';
    if (call.id !== undefined && this.#byId?.get(call.id) === call) this.#byId.delete(call.id);
    this.#answer(call, ok, value);
  }

  /** Answers a call before it finished (deadline, cancel); false if it had already settled. */
  #abandon(call: Call, error: Error): boolean {
    if (call.status === 'queued') {
      this.queue.remove(call);
      call.status = 'settled';
    } else if (call.status === 'running') {
      call.status = 'abandoned';
      call.abort(error);
    } else {
      return false;
    }
    if (call.id !== undefined && this.#byId?.get(call.id) === call) this.#byId.delete(call.id);
    this.#answer(call, false, error);
    return true;
  }

  // ---- answers ------------------------------------------------------------------------------------------

  #answer(call: Call, ok: boolean, value: unknown): void {
    const answer = call.answer;
    if (answer?.clearDeadline !== undefined) {
      answer.clearDeadline();
      answer.clearDeadline = undefined;
    }
    if (this.#traced) this.#traceSettle(call, ok, value);
    if (call.oneway) {
      if (!ok) this.#reportOneway(value, call.key, call.args);
      return;
    }
    if (ok) answer?.resolve?.(value);
    else answer?.reject?.(value);
    call.id ??= `#${++proxyCallIds}`;
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
    this.#scope?.emit(reply);
  }

  #traceSettle(call: Call, ok: boolean, value: unknown): void {
    const settle = {
      type: 'call.settle',
      id: call.id ?? '',
      method: call.key,
      oneway: call.oneway,
      ok,
    } as const;
    this.#send(ok ? settle : { ...settle, error: value });
  }

  #reportOneway(error: unknown, method: unknown, args: unknown): void {
    try {
      this.#onOnewayError(error, { method: String(method), args: Array.isArray(args) ? args : [] });
    } catch (secondary) {
      console.error(
        `${this.name}'s onOnewayError threw while reporting a failed oneway call:`,
        secondary,
        error,
      );
    }
  }

  #send(event: HandlerEvent): void {
    this.#scope?.self.send(event);
  }

  #isDeadlock(): boolean {
    const current = this.current;
    return current !== undefined && runningCall.get() === current;
  }
}
