import { createAsyncContext } from '#async-context';
import { isThenable } from '../isThenable.js';
import { Call, type QueueItem } from './Call.js';
import type { CallQueue } from './CallQueue.js';
import type { HandlerErrors } from './HandlerErrors.js';
import { type HandlerEvent, LOOP } from './protocol.js';
import type { Whitelist } from './Whitelist.js';

/** The call whose method is running, seen from inside it (through its awaits, where the runtime can). */
export const runningCall = createAsyncContext<Call>();

const invoke = (method: (...args: unknown[]) => unknown, target: object, args: readonly unknown[]) =>
  method.apply(target, args as unknown[]);

/** What a loop needs of its handler's core. */
export interface LoopHost {
  readonly queue: CallQueue<QueueItem>;
  readonly target: object;
  readonly errors: HandlerErrors;
  loop: ProcessLoop | undefined;
  current: Call | undefined;
  notify(event: HandlerEvent): void;
  readonly face: { started(call: Call): void };
  finish(call: Call, ok: boolean, value: unknown): void;
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
      if (!(item instanceof Call)) break; // a stop marker
      const settling = this.#runCall(item);
      if (settling !== undefined) await settling;
    }
    if (core.loop === this) {
      core.loop = undefined;
      core.notify({ type: 'loop.end', [LOOP]: this });
      this.done();
    }
  }

  /** Starts a call; returns a promise if its method is asynchronous. */
  #runCall(call: Call): Promise<void> | undefined {
    const { core } = this;
    core.current = call; // the queue handed it out as running
    core.face.started(call);
    let result: unknown;
    try {
      const method = (core.target as Record<string, unknown>)[call.key];
      if (typeof method !== 'function') throw core.errors.unknownMethod(call.key);
      result = runningCall.run(
        call,
        invoke,
        method as (...args: unknown[]) => unknown,
        core.target,
        call.args,
      );
      // Reading `then` runs user code (a getter, a revoked proxy) that may throw: it fails the call.
      if (!isThenable(result)) {
        core.finish(call, true, result);
        return undefined;
      }
    } catch (error) {
      core.finish(call, false, error);
      return undefined;
    }
    return Promise.resolve(result).then(
      (value) => core.finish(call, true, value),
      (error: unknown) => core.finish(call, false, error),
    );
  }
}
