import type {
  ActorRefFrom,
  AnyActorRef,
  EventObject,
  InspectionEvent,
  MetaObject,
  Observer,
  ParameterizedObject,
  ProvidedActor,
  StateMachine,
  StateSchema,
} from 'xstate';

// biome-ignore lint/suspicious/noExplicitAny: any argument list; each state declares its own
type AnyArgs = any[];

/**
 * A transition: ends the current state and starts its target with these arguments; never settles.
 *
 * @example
 * ```ts
 * import type { StateContext, Transition } from 'greenstate';
 * const next = (ctx: StateContext<'next'>): Transition => ctx.to.next;
 * ```
 */
export type Transition = (...args: AnyArgs) => Promise<never>;

/**
 * What a state body gets as its first argument. `Targets` names the states its `to` offers: leave it
 * out (any name, checked when called), or annotate the body's `ctx` with the state's targets to have
 * TypeScript check them, against the state's `transitionsTo` too.
 *
 * @example
 * ```ts
 * import { defineStates, type StateContext } from 'greenstate';
 * const graph = defineStates({
 *   waiting: {
 *     transitionsTo: 'ready',
 *     body: async (ctx: StateContext<'ready'>) => {
 *       await ctx.sleep(100);
 *       return ctx.to.ready();
 *     },
 *   },
 *   ready: (ctx) => ctx.state, // 'ready'
 * });
 * ```
 */
export interface StateContext<Targets extends string = string> {
  /** The name of this body's state. */
  readonly state: string;
  /** Aborted when this state ends (a transition, `stop()`, or the run failing). */
  readonly signal: AbortSignal;
  /**
   * The transitions: `ctx.to.<target>(...args)` ends this state and starts `target` with `args` (a tail
   * call: the returned promise never settles). A target this state does not declare throws
   * `StateValidationError` here; a call from a body whose state has ended does nothing.
   */
  readonly to: { readonly [K in Targets]: Transition };
  /** Resolves after `ms` milliseconds, unless the state ends first (then it never settles). */
  sleep(ms: number): Promise<void>;
}

/**
 * A state body: `(ctx, ...args) => result`.
 *
 * @example
 * ```ts
 * import type { StateBody } from 'greenstate';
 * const idle: StateBody = async (ctx, ms: number) => ctx.sleep(ms);
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a body may name its targets in its ctx's type
export type StateBody = (ctx: StateContext<any>, ...args: AnyArgs) => unknown;

/**
 * One state of `defineStates`: a body, or an object with the body, its allowed targets and `onStart`.
 *
 * @example
 * ```ts
 * import type { StateDefinition } from 'greenstate';
 * const growing: StateDefinition = {
 *   transitionsTo: ['flowering', 'dead'],
 *   onStart: (state, days) => console.log(`${state} for ${days} days`),
 *   body: async (ctx, days: number) => ctx.to.flowering(),
 * };
 * ```
 */
export type StateDefinition =
  | StateBody
  | {
      /** The states this one may transition to: a name, or any iterable of names. */
      transitionsTo?: string | Iterable<string>;
      /** Runs as the state starts, before its body, with the state's name and the body's arguments. */
      onStart?: (state: string, ...args: AnyArgs) => void;
      body: StateBody;
    };

type BodyOf<X> = X extends { body: infer B } ? B : X;

/**
 * The arguments a state's body takes after `ctx`: what `graph.start(name, ...args)` requires.
 *
 * @example
 * ```ts
 * import type { StateArgs } from 'greenstate';
 * type A = StateArgs<(ctx: unknown, days: number) => void>; // [days: number]
 * ```
 */
export type StateArgs<X> = BodyOf<X> extends (ctx: never, ...args: infer A) => unknown ? A : never;

type ResultOf<X> = BodyOf<X> extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * What a run of the graph `D` can end with: any of its bodies' results.
 *
 * @example
 * ```ts
 * import type { RunOutput } from 'greenstate';
 * type Out = RunOutput<{ a: () => number; b: () => Promise<string> }>; // number | string
 * ```
 */
export type RunOutput<D> = { [K in keyof D]: ResultOf<D[K]> }[keyof D];

/** The names `defineStates` keeps for the graph's own members. */
export type ReservedStateName = 'start' | 'machine' | 'then';

type TargetsOf<X> = X extends { transitionsTo: infer T }
  ? T extends string
    ? T
    : T extends Iterable<infer U>
      ? U
      : never
  : never;

type CtxTargetsOf<X> = BodyOf<X> extends (ctx: StateContext<infer T>, ...args: never) => unknown ? T : string;

type CheckState<D, S extends keyof D> = S extends ReservedStateName
  ? `"${S}" is reserved: name the state differently`
  : string extends TargetsOf<D[S]> // names not known at compile time (a Set<string>, say): checked at run time
    ? unknown
    : [Exclude<TargetsOf<D[S]>, keyof D>] extends [never]
      ? string extends CtxTargetsOf<D[S]>
        ? unknown
        : [Exclude<CtxTargetsOf<D[S]>, TargetsOf<D[S]>>] extends [never]
          ? unknown
          : {
              body: `ctx names "${Exclude<CtxTargetsOf<D[S]>, TargetsOf<D[S]>> & string}", which this state's transitionsTo does not list`;
            }
      : // An object, not a string: intersected with a single name it stays readable (two strings make never).
        {
          transitionsTo: {
            error: `"${Exclude<TargetsOf<D[S]>, keyof D> & string}" is not a state of this graph`;
          };
        };

/**
 * Compile-time checks of a graph: reserved names, `transitionsTo` entries that name no state, and a
 * body whose annotated `ctx` names a target its state does not list.
 */
export type CheckedDefinitions<D> = { [S in keyof D]: CheckState<D, S> };

/**
 * A running state machine: one run of a graph, or of an object's decorated methods.
 *
 * @example
 * ```ts
 * import { defineStates } from 'greenstate';
 * const graph = defineStates({ idle: () => 42 });
 * const run = graph.idle();
 * console.log(run.state); // 'idle'
 * console.log(await run.done); // 42
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: any run, whatever its states (a machine snapshot's type is invariant in them)
export interface StateRun<TOutput = unknown, TState extends string = any> {
  /** The XState actor; its `snapshot.value` is the current state's name, its output the run's result. */
  readonly actor: ActorRefFrom<StatesMachine<TState | FinalStateName<TState>, TOutput>>;
  /** The current state's name; `undefined` once the run has ended or was stopped. */
  readonly state: TState | undefined;
  /**
   * The whole run: resolves with the last body's return value, rejects with the error of a body or an
   * `onStart` that threw, resolves with `undefined` after `stop()`; settles only once the run ended.
   */
  readonly done: Promise<TOutput | undefined>;
  /** Aborts the current body's signal, takes no further transition, stops the actor. */
  stop(): void;
}

/**
 * The name of the final state greenstate adds to the states `TState`: `done`, or `done_`, `done__`, …
 * when that is taken.
 *
 * @example
 * ```ts
 * import type { FinalStateName } from 'greenstate';
 * type F = FinalStateName<'idle' | 'done'>; // 'done_'
 * ```
 */
export type FinalStateName<TState extends string, TName extends string = 'done'> = string extends TState
  ? string
  : TName extends TState
    ? FinalStateName<TState, `${TName}_`>
    : TName;

/**
 * The context of a run's actor: the current state's arguments (plain data, as the state got them).
 *
 * @example
 * ```ts
 * import type { RunContext } from 'greenstate';
 * const firstArg = (context: RunContext) => context.args[0];
 * ```
 */
export interface RunContext {
  readonly args: readonly unknown[];
}

/**
 * The input of a graph's machine: the first state's arguments (none when left out).
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { defineStates, type RunInput } from 'greenstate';
 * const graph = defineStates({ growing: (ctx, days: number) => days });
 * const input: RunInput<[number]> = { args: [3] };
 * createActor(graph.machine, { input }).start();
 * ```
 */
export interface RunInput<TArgs extends readonly unknown[] = readonly unknown[]> {
  readonly args?: TArgs;
}

/**
 * A transition event: its type is the target state's name; it carries the target body's arguments.
 *
 * @example
 * ```ts
 * import type { TransitionEvent } from 'greenstate';
 * const toGrowing: TransitionEvent = { type: 'growing', args: [3] };
 * ```
 */
export interface TransitionEvent {
  readonly type: string;
  readonly args?: readonly unknown[];
}

/**
 * The XState machine of a state graph (`graph.machine`, `machineOf(…)`): its snapshot's value is one of
 * `TState`, its output a `TOutput`, its input the first state's arguments.
 *
 * @example
 * ```ts
 * import { defineStates, type StatesMachine } from 'greenstate';
 * const graph = defineStates({ idle: () => 'done' });
 * const machine: StatesMachine = graph.machine;
 * console.log(machine.toJSON());
 * ```
 */
export type StatesMachine<
  TState extends string = string,
  TOutput = unknown,
  TArgs extends readonly unknown[] = readonly unknown[],
> = StateMachine<
  RunContext,
  TransitionEvent,
  Record<string, AnyActorRef | undefined>,
  ProvidedActor,
  ParameterizedObject,
  never,
  never,
  TState,
  string,
  RunInput<TArgs> | undefined,
  TOutput,
  EventObject,
  MetaObject,
  StateSchema
>;

/**
 * Options of `defineStates`.
 *
 * @example
 * ```ts
 * import { defineStates } from 'greenstate';
 * const graph = defineStates({ idle: () => {} }, { id: 'door', unreachable: 'error' });
 * ```
 */
export interface StatesOptions {
  /** The XState machine's id (default `states`). */
  id?: string;
  /** An XState inspection observer for every run's actor. */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** States no transition from the first state reaches: warn (default), throw, or ignore. */
  unreachable?: 'warn' | 'error' | 'ignore';
  /**
   * Where a failed run's error goes when nobody has asked for its `done` (default: `console.error`).
   * A run whose `done` is observed reports only there.
   */
  onError?: (error: unknown, run: StateRun) => void;
}

/** The names of the states of the definitions `D`. */
type StateNameOf<D> = Exclude<keyof D, ReservedStateName> & string;

/**
 * What `defineStates` returns: the XState machine, `start`, and one start function per state.
 *
 * @example
 * ```ts
 * import { defineStates, type StateGraph } from 'greenstate';
 * const defs = { idle: (ctx: unknown, n: number) => n };
 * const graph: StateGraph<typeof defs> = defineStates(defs);
 * graph.idle(3); // the same as graph.start('idle', 3)
 * ```
 */
export type StateGraph<D> = {
  /** The XState machine; its initial state is the first declared state. */
  readonly machine: StatesMachine<
    StateNameOf<D> | FinalStateName<StateNameOf<D>>,
    RunOutput<D>,
    { [K in keyof D]: StateArgs<D[K]> }[keyof D]
  >;
  /** Creates and starts a run in state `name`; the body runs after the caller yields. */
  start<K extends keyof D & string>(
    name: K,
    ...args: StateArgs<D[K]>
  ): StateRun<RunOutput<D>, StateNameOf<D>>;
} & {
  readonly [K in StateNameOf<D>]: (...args: StateArgs<D[K]>) => StateRun<RunOutput<D>, StateNameOf<D>>;
};
