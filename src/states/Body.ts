import type { AnyActorRef } from 'xstate';
import { createAsyncContext } from '#async-context';
import type { Clock } from '../clock.js';
import { StateValidationError } from '../errors.js';
import { startTimer } from '../startTimer.js';
import type { CheckedStates, StateSpec } from './checkStates.js';
import type { StateContext } from './stateTypes.js';

/** A promise that never settles: what a tail call returns, so that `await ctx.to.b()` never resumes. */
export const never = (): Promise<never> => new Promise<never>(() => {});

/** What a state method called from a running body needs of it: its object, and its tail call. */
export interface TailCaller {
  readonly target: object | undefined;
  transition(target: string, args: readonly unknown[]): boolean;
}

/** The body whose code is running (through its awaits, where the runtime can tell). */
export const runningBody = createAsyncContext<TailCaller>();

/** The object whose state's `onStart` or `onExit` is running (entry and exit actions are synchronous). */
let inHook: { target: object | undefined; hook: 'onStart' | 'onExit' } | undefined;

/**
 * Runs `onStart` or `onExit` of a state of `target`'s machine: it may not request a transition (see
 * `refuseInHook`).
 */
export function whileInHook<R>(target: object | undefined, hook: 'onStart' | 'onExit', run: () => R): R {
  const outer = inHook;
  inHook = { target, hook };
  try {
    return run();
  } finally {
    inHook = outer;
  }
}

/** A state method called from an `onStart` or `onExit` of its object: refused, with the reason. */
export function refuseInHook(obj: object, method: string): void {
  if (inHook !== undefined && inHook.target === obj) {
    throw new TypeError(
      inHook.hook === 'onStart'
        ? `${method}() was called from an onStart: onStart runs as the state starts, before its body, and cannot ` +
            'request a transition. Call it from the body.'
        : `${method}() was called from an onExit: onExit runs as the state ends, while the run is already moving ` +
            'on, and cannot request a transition. Call it from a body.',
    );
  }
}

/** Throws `StateValidationError` if the state `from` of `graph` does not list `to` in its `transitionsTo`. */
export function checkTransition(graph: CheckedStates, from: string, to: string): void {
  const targets = graph.states.get(from)?.transitionsTo;
  if (!targets?.has(to)) throw new StateValidationError(from, to, { allowed: [...(targets ?? [])] });
}

/**
 * Requests the transition `from → to` of the run `actor`: throws `StateValidationError` if `from` does
 * not list `to`; otherwise ends `body` (the state's live body, if it has one) and sends the event.
 */
export function requestTransition(
  actor: AnyActorRef,
  graph: CheckedStates,
  from: string,
  to: string,
  args: readonly unknown[],
  body: Body | undefined,
): void {
  checkTransition(graph, from, to);
  // The old body's signal aborts before anything of the next state runs, and nothing it does later counts.
  body?.end();
  actor.send({ type: to, args });
}

/**
 * One body of one state: its context (`ctx`), and whether its state is still the current one.
 * Its signal and its `to` are made on first use: most bodies never read the signal, and a transition
 * that ends a body whose signal nobody made costs nothing.
 */
export class Body implements StateContext {
  #controller: AbortController | undefined;
  #ended = false;
  #to: StateContext['to'] | undefined;

  constructor(
    readonly state: string,
    readonly graph: CheckedStates,
    /** The run's actor (the machine's). */
    readonly run: AnyActorRef,
    /** The object whose methods are the states, for decorated methods. */
    readonly target: object | undefined,
    readonly clock: Clock,
  ) {}

  get spec(): StateSpec | undefined {
    return this.graph.states.get(this.state);
  }

  /** The state ended (a transition, a return, a stop): what the body does from now on does not count. */
  get ended(): boolean {
    return this.#ended;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#ended) this.#controller.abort(this.#reason());
    }
    return this.#controller.signal;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#controller?.abort(this.#reason());
  }

  #reason(): DOMException {
    return new DOMException(`The state "${this.state}" ended.`, 'AbortError');
  }

  /** A tail call to `target`; false (doing nothing) once this body's state has ended. */
  transition(target: string, args: readonly unknown[]): boolean {
    if (this.#ended) return false;
    requestTransition(this.run, this.graph, this.state, target, args, this);
    return true;
  }

  get to(): StateContext['to'] {
    this.#to ??= this.#makeTo();
    return this.#to;
  }

  #makeTo(): StateContext['to'] {
    return toProxy(this.spec?.transitionsTo ?? [], (target, args) => this.transition(target, args));
  }

  sleep(ms: number): Promise<void> {
    checkSleep(ms);
    if (this.#ended) return never();
    const signal = this.signal;
    return new Promise<void>((resolve) => {
      const cancel = startTimer(this.clock, ms, () => {
        signal.removeEventListener('abort', cancel);
        resolve();
      });
      signal.addEventListener('abort', cancel, { once: true });
    });
  }
}

/**
 * A body's `ctx.to`: a function per target that makes the tail call `transition(target, args)` and
 * returns a promise that never settles.
 */
export function toProxy(
  targets: Iterable<string>,
  transition: (target: string, args: readonly unknown[]) => unknown,
): StateContext['to'] {
  const to: Record<string, (...args: unknown[]) => Promise<never>> = Object.create(null);
  const call =
    (target: string) =>
    (...args: unknown[]) => {
      transition(target, args);
      return never();
    };
  for (const target of targets) to[target] = call(target);
  // A target the state does not declare gets a function too, so that the mistake throws a
  // StateValidationError naming both states instead of "ctx.to.x is not a function".
  return new Proxy(to, {
    get: (known, name) =>
      typeof name !== 'string' || name in known || name === 'then' ? known[name as string] : call(name),
  });
}

/** Throws a RangeError unless `ms` is a number of milliseconds ≥ 0, as `ctx.sleep(ms)` takes. */
export function checkSleep(ms: unknown): asserts ms is number {
  if (typeof ms !== 'number' || !(ms >= 0)) {
    throw new RangeError(`ctx.sleep(ms) needs a number of milliseconds ≥ 0, got ${String(ms)}.`);
  }
}
