import { type Actor, createActor } from 'xstate';
import { createAsyncContext } from '#async-context';
import { StateValidationError } from '../errors.js';
import { isThenable } from '../isThenable.js';
import type { Graph } from './buildGraph.js';
import type { BodyHandle, RunHooks, Settle, StatesMachine } from './compileMachine.js';
import type { StateContext, StateRun, StatesOptions } from './stateTypes.js';

/** A promise that never settles: what a tail call returns, so that `await ctx.to.b()` never resumes. */
const never = () => new Promise<never>(() => {});

/** The body whose code is running (through its awaits, where the runtime can tell). */
export const runningBody = createAsyncContext<Body>();

/**
 * One body of one state: its context (`ctx`), its result, and whether its state is still the current one.
 * Its signal and its `to` are made on first use: most bodies never read the signal, and a transition
 * that ends a body whose signal nobody made costs nothing.
 */
export class Body implements StateContext, BodyHandle {
  #controller: AbortController | undefined;
  #ended = false;
  #to: StateContext['to'] | undefined;

  constructor(
    readonly run: Run,
    readonly state: string,
  ) {}

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

  get to(): StateContext['to'] {
    this.#to ??= this.#makeTo();
    return this.#to;
  }

  #makeTo(): StateContext['to'] {
    const { run } = this;
    const to: Record<string, (...args: unknown[]) => Promise<never>> = {};
    for (const target of run.graph.states.get(this.state)?.transitionsTo ?? []) {
      to[target] = (...args) => {
        run.transition(target, args, this);
        return never();
      };
    }
    // A target the state does not declare gets a function too, so that the mistake throws a
    // StateValidationError naming both states instead of "ctx.to.x is not a function".
    return new Proxy(to, {
      get: (known, name) =>
        typeof name !== 'string' || name in known || name === 'then'
          ? known[name as string]
          : (...args: unknown[]) => {
              run.transition(name, args, this);
              return never();
            },
    });
  }

  sleep(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !(ms >= 0)) {
      throw new RangeError(`ctx.sleep(ms) needs a number of milliseconds ≥ 0, got ${String(ms)}.`);
    }
    if (this.#ended) return never();
    const signal = this.signal;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', cancel);
        resolve();
      }, ms);
      const cancel = () => clearTimeout(timer);
      signal.addEventListener('abort', cancel, { once: true });
    });
  }
}

/**
 * The observer every run's actor has: with an error callback, XState does not rethrow a failed run's
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
 * One run of a state graph: its XState actor, the body that is live, and the outcome.
 * `target` is the object whose decorated methods are the states (undefined for `defineStates`).
 */
export class Run implements StateRun, RunHooks {
  readonly actor: Actor<StatesMachine>;
  /** The body of the current state, once it has started; undefined between a transition and the next body. */
  live: Body | undefined = undefined;
  #outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined = undefined;
  #done:
    | { promise: Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void }
    | undefined;

  constructor(
    readonly graph: Graph,
    machine: StatesMachine,
    readonly firstArgs: readonly unknown[],
    readonly target: object | undefined,
    readonly options: StatesOptions,
    /** Called as the run ends, before `done` settles. */
    readonly onEnd?: () => void,
  ) {
    this.actor = createActor(machine, {
      input: this,
      ...(options.inspect && { inspect: options.inspect }),
    });
    this.actor.subscribe(new RunObserver(this));
  }

  start(): this {
    this.actor.start();
    return this;
  }

  /** What inspectors show of the run in its machine's context. */
  toJSON(): { state: string | undefined; object: string | undefined } {
    return { state: this.state, object: this.target?.constructor.name };
  }

  get state(): string | undefined {
    const snapshot = this.actor.getSnapshot();
    return snapshot.status === 'active' ? (snapshot.value as unknown as string) : undefined;
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
      const outcome = this.#outcome;
      if (outcome) this.#settle(outcome);
    }
    return this.#done.promise;
  }

  stop(): void {
    if (this.actor.getSnapshot().status !== 'active') return;
    this.live = undefined;
    this.actor.stop();
  }

  /**
   * Requests a transition to `target`: from the live body `from` (a tail call), or from outside
   * (`from` undefined; methods only). Throws `StateValidationError` if the current state does not
   * declare `target`. Returns false, doing nothing, for a body whose state has ended or a finished run.
   */
  transition(target: string, args: readonly unknown[], from: Body | undefined): boolean {
    if (from !== undefined && from !== this.live) return false;
    const snapshot = this.actor.getSnapshot();
    if (snapshot.status !== 'active') return false;
    const current = snapshot.value as unknown as string;
    if (!this.graph.states.get(current)?.transitionsTo.has(target))
      throw new StateValidationError(current, target);
    this.live = undefined;
    this.actor.send({ type: target, args });
    return true;
  }

  enter(state: string, args: readonly unknown[]): void {
    this.graph.states.get(state)?.onStart?.call(this.target, state, ...args);
  }

  startBody(state: string, args: readonly unknown[], settle: Settle): BodyHandle {
    const body = new Body(this, state);
    this.live = body;
    // One turn first: the body runs after its starter yields and after onStart (XState starts the first
    // state's actor before its entry actions), and a chain of transitions keeps a flat stack.
    queueMicrotask(() => this.#runBody(body, args, settle));
    return body;
  }

  #runBody(body: Body, args: readonly unknown[], settle: Settle): void {
    // Also guards the first state when its onStart threw: XState does not stop that body's actor.
    if (body.ended || this.actor.getSnapshot().status !== 'active') return;
    const spec = this.graph.states.get(body.state);
    let result: unknown;
    try {
      if (spec === undefined) throw new Error(`no state "${body.state}"`); // the machine only enters declared states
      // Methods tell their own calls from outside calls through the body's context.
      result =
        this.target === undefined
          ? spec.body(body, ...args)
          : runningBody.run(body, () => spec.body.apply(this.target, args as unknown[]));
    } catch (error) {
      settle(false, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => settle(true, value),
        (error: unknown) => settle(false, error),
      );
    } else if (isThenable(result)) {
      Promise.resolve(result).then(
        (value) => settle(true, value),
        (error: unknown) => settle(false, error),
      );
    } else {
      settle(true, result);
    }
  }

  /** Called by the run's observer as the actor completes, stops or fails. */
  end(outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
    this.live = undefined;
    this.#outcome = this.actor.getSnapshot().status === 'stopped' ? { ok: true, value: undefined } : outcome;
    this.onEnd?.();
    if (this.#done !== undefined) {
      this.#settle(this.#outcome);
    } else if (!outcome.ok) {
      // Nobody holds `done` yet: report the failure unless they ask for it right away.
      queueMicrotask(() => {
        if (this.#done === undefined) this.#report(outcome.error);
      });
    }
  }

  #settle(outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
    if (outcome.ok) this.#done?.resolve(outcome.value);
    else this.#done?.reject(outcome.error);
  }

  #report(error: unknown): void {
    const where = this.actor.getSnapshot().value;
    try {
      if (this.options.onError) this.options.onError(error, this);
      else
        console.error(
          `greenstate: a run of ${this.actor.logic.id} failed in state "${String(where)}":`,
          error,
        );
    } catch (secondary) {
      console.error('greenstate: onError threw while reporting a failed run:', secondary, error);
    }
  }
}
