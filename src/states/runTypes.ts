import type {
  ActorRefFrom,
  AnyActorRef,
  EventObject,
  MetaObject,
  ParameterizedObject,
  ProvidedActor,
  StateMachine,
  StateSchema,
} from 'xstate';

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
