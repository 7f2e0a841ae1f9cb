import type { MachineLayout } from './layoutMachine.js';

/**
 * A machine the page draws: its layout, its Mermaid text and XState source, or why it could not be drawn.
 *
 * @example
 * ```ts
 * import type { MachineView } from 'greenstate/visualizer';
 * const title = (machine: MachineView) => machine.error ?? machine.id;
 * ```
 */
export interface MachineView {
  key: string;
  id: string;
  /** `handler` for greenstate's handler machine (drawn once per handler), else `machine`. */
  kind: 'handler' | 'machine';
  layout: MachineLayout | undefined;
  mermaid: string | undefined;
  /** Why the machine could not be drawn, if it could not. */
  error: string | undefined;
}

/**
 * A call a handler has queued or is running, as the visualizer saw it arrive.
 *
 * @example
 * ```ts
 * import type { CallView } from 'greenstate/visualizer';
 * const label = (call: CallView) => `${call.method}() ${call.oneway ? 'oneway' : 'sync'}`;
 * ```
 */
export interface CallView {
  id: string;
  method: string;
  oneway: boolean;
  /** Who sent it: an actor's name, or `outside` (a proxy or a `callSync` from plain code). */
  caller: string;
  /** When it was queued (ms since the epoch), if the visualizer saw that. */
  queuedAt: number | undefined;
  /** When its method started, once it did. */
  startedAt: number | undefined;
}

/**
 * A handler as it is: its status, the call it runs, the whitelist in force and the calls it has queued.
 *
 * @example
 * ```ts
 * import type { HandlerView } from 'greenstate/visualizer';
 * const busy = (handler: HandlerView) => handler.status === 'processing';
 * ```
 */
export interface HandlerView {
  name: string;
  /** `idle` (no loop), `processing` (a loop runs calls), `waiting` (a forever loop, nothing to run), `closed`. */
  status: 'idle' | 'processing' | 'waiting' | 'closed';
  pending: number;
  /** The bound on `pending` (`maxPending`), if the handler has one. */
  maxPending: number | undefined;
  /** Whether `pending` has reached that bound: new calls are refused. */
  full: boolean;
  currentCall: string | undefined;
  /** The running call, if the visualizer saw it start. */
  running: CallView | undefined;
  /** The methods the running loop admits (`undefined`: every method, or no loop). */
  whitelist: string[] | undefined;
  /** The oldest queued calls the visualizer saw arrive (the first few; `pending` counts them all). */
  queue: CallView[];
  closed: boolean;
}

/**
 * A running actor of a drawn machine: a state machine's run, or a handler.
 *
 * @example
 * ```ts
 * import type { ActorView } from 'greenstate/visualizer';
 * const queue = (actor: ActorView) => actor.handler?.pending ?? 0;
 * ```
 */
export interface ActorView {
  id: string;
  /** What the user named it: a handler's `name`, an actor's `id`, else its first state and start time. */
  name: string;
  machineKey: string;
  /** The ids of its active state nodes. */
  active: string[];
  value: unknown;
  status: string;
  /** When the visualizer first saw it (ms since the epoch). */
  startedAt: number;
  /** The number of the change that made this view (timeline entries count alike). */
  seq: number;
  /** A finished run's output, or a failed one's error, as text. */
  result: string | undefined;
  /** For a handler: its queue, running call, whitelist and status. */
  handler: HandlerView | undefined;
}

/**
 * One line of the timeline: a transition of a run, or a call settled by a handler.
 *
 * @example
 * ```ts
 * import { visualize, type TimelineEntry } from 'greenstate/visualizer';
 * const viz = await visualize();
 * viz.onTimeline((entry: TimelineEntry) => console.log(entry.kind, entry.actor, entry.text));
 * ```
 */
export type TimelineEntry = (
  | { kind: 'transition'; from: string; to: string; event: string }
  | {
      kind: 'call';
      id: string;
      method: string;
      oneway: boolean;
      caller: string;
      /** `ok`, or the error as text. */
      outcome: string;
      queuedAt: number | undefined;
      startedAt: number | undefined;
      /** From the method's start to its answer, if the visualizer saw it start. */
      ms: number | undefined;
    }
) & {
  seq: number;
  at: number;
  /** The actor's name, and its session id. */
  actor: string;
  actorId: string;
  /** Whether it went well: false for a failed call or run. */
  ok: boolean;
  /** The entry in words: `started in sprouting`, `ended with "withered"`, `add() sync → ok in 3 ms`. */
  text: string;
};

/** @internal */
export type Update =
  | { type: 'machine'; machine: MachineView }
  | { type: 'actor'; actor: ActorView }
  | { type: 'timeline'; entry: TimelineEntry }
  | { type: 'forget'; id: string };

/** A run that ended, or a handler that was closed: the page keeps the latest few. */
export function isFinished(actor: ActorView | undefined): boolean {
  return actor !== undefined && (actor.status !== 'active' || actor.handler?.closed === true);
}

/** The ids of the state nodes a snapshot value makes active (`{ processing: 'running' }` → both). */
export function activeIds(machineId: string, value: unknown, prefix = machineId): string[] {
  if (typeof value === 'string') return [`${prefix}.${value}`];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    `${prefix}.${key}`,
    ...activeIds(machineId, child, `${prefix}.${key}`),
  ]);
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value)
    .map(([key, child]) => `${key}.${describeValue(child)}`)
    .join(', ');
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string')
    return `${(error as Error).name ?? 'Error'}: ${(error as Error).message}`;
  return String(error);
}
