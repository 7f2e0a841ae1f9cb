import { isThenable } from '../isThenable.js';
import { BARE_CALL, Call, STOP_MARKER } from './Call.js';
import type { CallQueue } from './CallQueue.js';
import { argsArray } from './CallSlots.js';
import type { HandlerErrors } from './HandlerErrors.js';
import { type HandlerEvent, LOOP } from './protocol.js';
import { type MethodKind, runningCall } from './RunningCall.js';
import { finishBare, finishCall, type SettlingHost } from './Settling.js';
import type { Whitelist } from './Whitelist.js';
import { followed } from './waitGraph.js';

/** What a loop needs of its handler's core. */
export interface LoopHost extends SettlingHost {
  readonly target: object;
  readonly errors: HandlerErrors;
  loop: ProcessLoop | undefined;
  notify(event: HandlerEvent): void;
  readonly roomWaiters: unknown;
}

/**
 * One `process()` of a handler: it runs the queued calls its whitelist admits, one at a time in queue
 * order, until none is left (or, with `forever`, until it reaches a stop marker), then resolves.
 */
export class ProcessLoop {
  /** Waiting for a call it admits (a `forever` loop with nothing to run). */
  waiting = false;
  #wake: (() => void) | undefined = undefined;

  constructor(
    /** The handler it runs: loop events are taken from their own handler only. */
    readonly core: LoopHost,
    readonly whitelist: Whitelist,
    readonly forever: boolean,
    /** Resolves the `process()` promise. */
    readonly done: () => void,
  ) {}

  /** Wakes the loop if it waits for an item filed under `method`; returns whether it did. */
  wakeFor(method: string | undefined): boolean {
    if (!this.waiting || !this.whitelist.admits(method)) return false;
    this.wake();
    return true;
  }

  wake(): void {
    this.waiting = false;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** The event that tells the handler's actor that this loop started (and what it admits). */
  startEvent(): HandlerEvent {
    return { type: 'loop.start', whitelist: this.whitelist.names, forever: this.forever, [LOOP]: this };
  }

  /** The loop itself; it ends when the handler no longer runs it (closed), or as described above. */
  async run(): Promise<void> {
    const { core } = this;
    await undefined; // calls never run inside the process() call that starts the loop
    while (core.loop === this) {
      const item = core.queue.shift(this.whitelist);
      if (item === undefined) {
        if (!this.forever) break;
        this.waiting = true;
        const woken = new Promise<void>((wake) => {
          this.#wake = wake;
        });
        core.notify({ type: 'loop.wait', [LOOP]: this });
        await woken;
        continue;
      }
      if (item === STOP_MARKER) break;
      if (core.roomWaiters !== undefined) core.roomMade();
      const settling = item === BARE_CALL ? this.#runBare(core.queue) : this.#runCall(item);
      if (settling !== undefined) await settling;
    }
    if (core.loop === this) {
      core.loop = undefined;
      core.notify({ type: 'loop.end', [LOOP]: this });
      this.done();
    }
  }

  /** The loop, run with no running call as its context (whoever called `process()`). */
  start(): void {
    if (runningCall.get() === undefined) void this.run();
    else void runningCall.apply(undefined, this.run, this, []);
  }

  /**
   * Starts a call; returns a promise if its method is asynchronous. A method that may return a promise
   * runs with the call as its `runningCall` context, which follows it through its awaits; any other with
   * `inSync` set, which tells a sync call made from inside it while it runs (see `RunningCall.follows`).
   */
  #runCall(call: Call): Promise<void> | undefined {
    const { core } = this;
    const { running } = core;
    running.call = call; // the queue handed it out as running
    core.face.started(call);
    let result: unknown;
    let kind: MethodKind;
    try {
      const method = this.#method(call.key);
      kind = running.kindOf(call.key, method);
      if (kind.followed) {
        call.owner = core; // a sync call made from inside it may close a cycle of waiting handlers
        followed.running++;
        result = runningCall.apply(call, method, core.target, call.args);
      } else result = this.#runSync(call, method, call.args);
      // Reading `then` runs user code (a getter, a revoked proxy) that may throw: it fails the call.
      if (!isThenable(result)) {
        kind.promised = false;
        finishCall(core, call, true, result);
        return undefined;
      }
    } catch (error) {
      finishCall(core, call, false, error);
      return undefined;
    }
    kind.promised = true;
    return this.#settling(call, result);
  }

  /**
   * Starts a bare oneway call: while nobody watches, a call of a method that is not followed through
   * its awaits runs as its method and arguments, and settles with no event and no object made for it.
   */
  #runBare(queue: CallQueue): Promise<void> | undefined {
    const { core } = this;
    const { running } = core;
    const { bareKey: key, bareSeq: seq, bareArgs: args, bareA0: a0, bareA1: a1 } = queue;
    const method = (core.target as Record<string, unknown>)[key];
    const kind = typeof method === 'function' ? running.kindOf(key, method) : undefined;
    // An unknown method fails as an ordinary call; so does one followed through its awaits, or watched.
    if (kind === undefined || kind.followed || core.face.observed) {
      const call = new Call(key, argsArray(args, a0, a1), true);
      call.status = 'running';
      return this.#runCall(call);
    }
    running.startBare(key, seq, args, a0, a1);
    core.face.changed();
    let result: unknown;
    running.inSync = seq;
    try {
      const target = core.target;
      const fn = method as (...args: unknown[]) => unknown;
      // Inline arguments are passed as they sit in the queue: no array is made for them.
      if (typeof args !== 'number') result = Reflect.apply(fn, target, args);
      else if (args === 0) result = fn.call(target);
      else if (args === 1) result = fn.call(target, a0);
      else result = fn.call(target, a0, a1);
      running.inSync = undefined;
      if (!isThenable(result)) {
        finishBare(core, seq, true, result);
        return undefined;
      }
    } catch (error) {
      running.inSync = undefined;
      finishBare(core, seq, false, error);
      return undefined;
    }
    // A promise after all: from now on an ordinary call, with its Call (made by `close()` if it ran).
    kind.promised = true;
    const call = running.callOfBare(seq) as Call;
    return this.#settling(call, result);
  }

  #method(key: string): () => unknown {
    const method = (this.core.target as Record<string, unknown>)[key];
    if (typeof method !== 'function') throw this.core.errors.unknownMethod(key);
    return method as () => unknown;
  }

  /** Runs a method with `inSync` telling the running call (a `Call`, or a bare call's arguments). */
  #runSync(running: unknown, method: () => unknown, args: readonly unknown[]): unknown {
    const { core } = this;
    core.running.inSync = running;
    try {
      return Reflect.apply(method, core.target, args);
    } finally {
      core.running.inSync = undefined;
    }
  }

  #settling(call: Call, result: unknown): Promise<void> {
    const { core } = this;
    return Promise.resolve(result).then(
      (value) => finishCall(core, call, true, value),
      (error: unknown) => finishCall(core, call, false, error),
    );
  }
}
