import type { InspectionEvent, Observer } from 'xstate';
import type { Clock } from '../clock.js';
import type { StateRun } from './runTypes.js';

// The options of states and graphs beside bodies and targets: a state's deadline, the reason its
// `onExit` is told, and the options of `defineStates`.

/**
 * A state's deadline: if the state is still current `after` milliseconds after it started, its body's
 * signal aborts and the run moves to `to` (one of the state's `transitionsTo`) with `args`. Compiled as
 * the state's XState `after` transition, on the run's clock.
 *
 * @example
 * ```ts
 * import { defineStates, type StateTimeout } from 'greenstate';
 * const giveUp: StateTimeout = { after: 5_000, to: 'failed', args: ['no answer'] };
 * const call = defineStates({
 *   ringing: { transitionsTo: 'failed', timeout: giveUp, body: (ctx) => ctx.sleep(Infinity) },
 *   failed: (_ctx, why: string) => why,
 * });
 * ```
 */
export interface StateTimeout<TTarget extends string = string> {
  /** Milliseconds from the state's start: a finite number ≥ 0, at most 2^31 − 1 (what one timer holds). */
  readonly after: number;
  /** The state the run moves to: it must be listed in this state's `transitionsTo`. */
  readonly to: TTarget;
  /** The arguments `to`'s body gets after its `ctx` (none when left out). */
  readonly args?: readonly unknown[];
}

/**
 * Why a state ended, as its `onExit` is told: a transition to `to` (`ctx.to.<to>()`, a state method, or
 * an event sent to the actor), its body returning `value` (the run ends), its body or `onStart` failing
 * with `error` (`to` is the `onError` state that caught it; without one the run fails), its timeout
 * moving the run to `to`, or the run being stopped.
 *
 * @example
 * ```ts
 * import { defineStates, type ExitReason } from 'greenstate';
 * const onExit = (state: string, reason: ExitReason) =>
 *   console.log(reason.type === 'transition' ? `${state} -> ${reason.to}` : `${state} ended: ${reason.type}`);
 * defineStates({ idle: { onExit, body: () => 'bye' } }).idle(); // logs "idle ended: return"
 * ```
 */
export type ExitReason =
  | { readonly type: 'transition'; readonly to: string }
  | { readonly type: 'return'; readonly value: unknown }
  | { readonly type: 'error'; readonly error: unknown; readonly to?: string }
  | { readonly type: 'timeout'; readonly to: string }
  | { readonly type: 'stop' };

/**
 * Options of `defineStates`.
 *
 * @example
 * ```ts
 * import { createTestClock, defineStates } from 'greenstate';
 * const graph = defineStates({ idle: () => {} }, { id: 'door', unreachable: 'error' });
 * const timed = defineStates({ idle: (ctx) => ctx.sleep(1000) }, { clock: createTestClock() });
 * ```
 */
export interface DefineStatesOptions {
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
  /**
   * The clock of the runs this graph starts (`graph.start`, `graph.<state>`), given to their XState actors:
   * `ctx.sleep` and state timeouts (XState's `after`) run on it; `createTestClock()` in tests. An actor
   * you create yourself runs on the clock you give `createActor` (default: the global timers).
   */
  clock?: Clock;
}

/**
 * The old name of {@link DefineStatesOptions}.
 *
 * @deprecated Use `DefineStatesOptions`; `StatesOptions` differed from `StateMethodOptions`'s old name by a letter.
 * @example
 * ```ts
 * import type { DefineStatesOptions } from 'greenstate';
 * const options: DefineStatesOptions = { id: 'door' };
 * ```
 */
export type StatesOptions = DefineStatesOptions;
