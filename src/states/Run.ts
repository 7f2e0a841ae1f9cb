import type { AnyActorRef } from 'xstate';
import { callHook } from '../callHook.js';
import type { StateRun } from './runTypes.js';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What a run does besides following its actor. */
export interface RunOptions {
  /** Where a failure goes when nobody has asked for `done` (default: `console.error`). */
  onError?: ((error: unknown, run: StateRun) => void) | undefined;
  /** Called as the run ends, before `done` settles. */
  onEnd?: (() => void) | undefined;
}

/**
 * The observer every run has on its actor: with an error callback, XState does not rethrow a failed run's
 * error (`done` carries it). Its methods live on the prototype: a run costs one small object here.
 */
class RunObserver {
  constructor(readonly run: Run) {}
  complete(): void {
    this.run.end({ ok: true, value: this.run.actor.getSnapshot().output });
  }
  error(error: unknown): void {
    this.run.end({ ok: false, error });
  }
}

/**
 * One run of a state graph: a thin layer over its XState actor (a root actor made by `graph.start` or a
 * state method, or any actor of an object's machine), which is the whole truth about the run.
 */
export class Run {
  #outcome: Outcome | undefined = undefined;
  #done:
    | { promise: Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void }
    | undefined;

  constructor(
    readonly actor: AnyActorRef,
    readonly options: RunOptions = {},
  ) {
    actor.subscribe(new RunObserver(this));
  }

  get state(): string | undefined {
    const snapshot = this.actor.getSnapshot();
    return snapshot.status === 'active' ? (snapshot.value as string) : undefined;
  }

  get done(): Promise<unknown> {
    if (this.#done === undefined) {
      let resolve!: (value: unknown) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#done = { promise, resolve, reject };
      if (this.#outcome) this.#settle(this.#outcome);
    }
    return this.#done.promise;
  }

  stop(): void {
    if (this.actor.getSnapshot().status !== 'active') return;
    if (this.actor._parent !== undefined) {
      throw new TypeError(
        `This run is the actor "${this.actor.id}", a child of "${this.actor._parent.id}": its parent machine stops it.`,
      );
    }
    this.actor.stop();
  }

  /** Called by the run's observer as the actor completes, stops or fails. */
  end(outcome: Outcome): void {
    this.#outcome = this.actor.getSnapshot().status === 'stopped' ? { ok: true, value: undefined } : outcome;
    this.options.onEnd?.();
    if (this.#done !== undefined) {
      this.#settle(this.#outcome);
    } else if (!outcome.ok && this.actor._parent === undefined) {
      // Nobody holds `done` yet: report the failure unless they ask for it right away. (A child run's
      // failure goes to its parent, as with any XState actor.)
      queueMicrotask(() => {
        if (this.#done === undefined) this.#report(outcome.error);
      });
    }
  }

  #settle(outcome: Outcome): void {
    if (outcome.ok) this.#done?.resolve(outcome.value);
    else this.#done?.reject(outcome.error);
  }

  #report(error: unknown): void {
    const { onError } = this.options;
    if (onError !== undefined) {
      callHook(
        () => onError(error, this as unknown as StateRun),
        'greenstate: onError',
        'a failed run',
        error,
      );
      return;
    }
    const where = String(this.actor.getSnapshot().value);
    const id = (this.actor as { logic?: { id?: string } }).logic?.id ?? this.actor.id;
    console.error(`greenstate: a run of ${id} failed in state "${where}":`, error);
  }
}
