import type { FinalStateName, StateRun, StatesMachine } from './runTypes.js';
import type { ExitReason, StateTimeout } from './stateOptions.js';

export type { DefineStatesOptions, StatesOptions } from './stateOptions.js';

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
 * What a state body gets as its first argument. `TTargets` names the states its `to` offers: leave it
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
export interface StateContext<TTargets extends string = string> {
  /** The name of this body's state. */
  readonly state: string;
  /** Aborted when this state ends (a transition, its timeout, `stop()`, or its body failing). */
  readonly signal: AbortSignal;
  /**
   * The transitions: `ctx.to.<target>(...args)` ends this state and starts `target` with `args` (a tail
   * call: the returned promise never settles). A target this state does not declare throws
   * `StateValidationError` here; a call from a body whose state has ended does nothing.
   */
  readonly to: { readonly [K in TTargets]: Transition };
  /**
   * Resolves after `ms` milliseconds on the run's clock (the graph's `clock` option, or the clock its
   * actor was created with), unless the state ends first (then it never settles).
   */
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
 * One state of `defineStates`: a body, or an object with the body, its allowed targets, its hooks
 * (`onStart`, `onExit`), its deadline (`timeout`) and where its failures go (`onError`).
 *
 * @example
 * ```ts
 * import type { StateDefinition } from 'greenstate';
 * const growing: StateDefinition = {
 *   transitionsTo: ['flowering', 'dead'],
 *   onStart: (state, days) => console.log(`${state} for ${days} days`),
 *   onExit: (state, reason) => console.log(`${state} ended: ${reason.type}`),
 *   timeout: { after: 10_000, to: 'dead' },
 *   onError: 'dead',
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
      /**
       * Runs as the state ends (its XState exit action), after its body's signal aborted and before the
       * next state's `onStart`, told why. A failure of it is reported (`console.error`), never the run's.
       */
      onExit?: (state: string, reason: ExitReason) => unknown;
      /** The state a failure of the body or of `onStart` moves the run to; its body gets the error. */
      onError?: string;
      /** Moves the run to `timeout.to` if the state is still current `timeout.after` ms after it started. */
      timeout?: StateTimeout;
      body: StateBody;
    };

type BodyOf<TDefinition> = TDefinition extends { body: infer B } ? B : TDefinition;

/**
 * The arguments a state's body takes after `ctx`: what `graph.start(name, ...args)` requires.
 *
 * @example
 * ```ts
 * import type { StateArgs } from 'greenstate';
 * type A = StateArgs<(ctx: unknown, days: number) => void>; // [days: number]
 * ```
 */
export type StateArgs<TDefinition> =
  BodyOf<TDefinition> extends (ctx: never, ...args: infer A) => unknown ? A : never;

type ResultOf<TDefinition> = BodyOf<TDefinition> extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * What a run of the graph `D` can end with: any of its bodies' results.
 *
 * @example
 * ```ts
 * import type { RunOutput } from 'greenstate';
 * type Out = RunOutput<{ a: () => number; b: () => Promise<string> }>; // number | string
 * ```
 */
export type RunOutput<TDefinitions> = {
  [K in keyof TDefinitions]: ResultOf<TDefinitions[K]>;
}[keyof TDefinitions];

/** The names `defineStates` keeps for the graph's own members. */
export type ReservedStateName = 'start' | 'machine' | 'then';

type TargetsOf<TDefinition> = TDefinition extends { transitionsTo: infer T }
  ? T extends string
    ? T
    : T extends Iterable<infer U>
      ? U
      : never
  : never;

type CtxTargetsOf<TDefinition> =
  BodyOf<TDefinition> extends (ctx: StateContext<infer T>, ...args: never) => unknown ? T : string;

type CheckState<TDefinitions, TState extends keyof TDefinitions> = TState extends ReservedStateName
  ? `"${TState}" is reserved: name the state differently`
  : CheckTargets<TDefinitions, TState> &
      CheckTimeout<TDefinitions[TState]> &
      CheckOnError<TDefinitions, TState>;

type CheckTargets<TDefinitions, TState extends keyof TDefinitions> =
  string extends TargetsOf<TDefinitions[TState]> // names not known at compile time (a Set<string>, say): checked at run time
    ? unknown
    : [Exclude<TargetsOf<TDefinitions[TState]>, keyof TDefinitions>] extends [never]
      ? string extends CtxTargetsOf<TDefinitions[TState]>
        ? unknown
        : [Exclude<CtxTargetsOf<TDefinitions[TState]>, TargetsOf<TDefinitions[TState]>>] extends [never]
          ? unknown
          : {
              body: `ctx names "${Exclude<CtxTargetsOf<TDefinitions[TState]>, TargetsOf<TDefinitions[TState]>> & string}", which this state's transitionsTo does not list`;
            }
      : // An object, not a string: intersected with a single name it stays readable (two strings make never).
        {
          transitionsTo: {
            error: `"${Exclude<TargetsOf<TDefinitions[TState]>, keyof TDefinitions> & string}" is not a state of this graph`;
          };
        };

type TimeoutTargetOf<TDefinition> = TDefinition extends { timeout: { to: infer T } } ? T : never;

/** A compile-time check of a state (or `@state` options): its `timeout.to` must be in its `transitionsTo`. */
export type CheckTimeout<TDefinition> = [TimeoutTargetOf<TDefinition>] extends [never]
  ? unknown
  : string extends TimeoutTargetOf<TDefinition> | TargetsOf<TDefinition>
    ? unknown
    : [Exclude<TimeoutTargetOf<TDefinition>, TargetsOf<TDefinition>>] extends [never]
      ? unknown
      : {
          timeout: {
            to: {
              error: `"${Exclude<TimeoutTargetOf<TDefinition>, TargetsOf<TDefinition>> & string}" is not listed in this state's transitionsTo`;
            };
          };
        };

type OnErrorOf<TDefinition> = TDefinition extends { onError: infer E } ? E : never;

type CheckOnError<TDefinitions, TState extends keyof TDefinitions> = [
  Exclude<OnErrorOf<TDefinitions[TState]>, keyof TDefinitions>,
] extends [never]
  ? unknown
  : string extends OnErrorOf<TDefinitions[TState]>
    ? unknown
    : {
        onError: {
          error: `"${Exclude<OnErrorOf<TDefinitions[TState]>, keyof TDefinitions> & string}" is not a state of this graph`;
        };
      };

/**
 * Compile-time checks of a graph: reserved names, `transitionsTo` entries that name no state, a
 * body whose annotated `ctx` names a target its state does not list, a `timeout.to` its state does not
 * list, and an `onError` that names no state.
 */
export type CheckedDefinitions<TDefinitions> = {
  [TState in keyof TDefinitions]: CheckState<TDefinitions, TState>;
};

/** The names of the states of the definitions `D`. */
type StateNameOf<TDefinitions> = Exclude<keyof TDefinitions, ReservedStateName> & string;

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
export type StateGraph<TDefinitions> = {
  /** The XState machine; its initial state is the first declared state. */
  readonly machine: StatesMachine<
    StateNameOf<TDefinitions> | FinalStateName<StateNameOf<TDefinitions>>,
    RunOutput<TDefinitions>,
    { [K in keyof TDefinitions]: StateArgs<TDefinitions[K]> }[keyof TDefinitions]
  >;
  /** Creates and starts a run in state `name`; the body runs after the caller yields. */
  start<K extends keyof TDefinitions & string>(
    name: K,
    ...args: StateArgs<TDefinitions[K]>
  ): StateRun<RunOutput<TDefinitions>, StateNameOf<TDefinitions>>;
} & {
  readonly [K in StateNameOf<TDefinitions>]: (
    ...args: StateArgs<TDefinitions[K]>
  ) => StateRun<RunOutput<TDefinitions>, StateNameOf<TDefinitions>>;
};
