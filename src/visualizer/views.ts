import type { HandlerContext } from 'greenstate';
import type { MachineLayout } from './layoutMachine.js';

/**
 * A machine the page draws: its layout and Mermaid text, or why it could not be drawn.
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
  layout: MachineLayout | undefined;
  mermaid: string | undefined;
  /** Why the machine could not be drawn, if it could not. */
  error: string | undefined;
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
  name: string;
  machineKey: string;
  /** The ids of its active state nodes. */
  active: string[];
  value: unknown;
  status: string;
  /** For a handler: its name, queue length, running call and whether it is closed. */
  handler: { name: string; pending: number; currentCall: string | undefined; closed: boolean } | undefined;
}

/**
 * One line of the timeline: a transition of a run, or a call settled by a handler.
 *
 * @example
 * ```ts
 * import { visualize, type TimelineEntry } from 'greenstate/visualizer';
 * const viz = await visualize();
 * viz.onTimeline((entry: TimelineEntry) => console.log(entry.kind, entry.actor));
 * ```
 */
export type TimelineEntry =
  | { kind: 'transition'; at: number; actor: string; from: string; to: string; event: string }
  | {
      kind: 'call';
      at: number;
      actor: string;
      method: string;
      oneway: boolean;
      outcome: string;
      ms: number | undefined;
    };

export type Update =
  | { type: 'machine'; machine: MachineView }
  | { type: 'actor'; actor: ActorView }
  | { type: 'timeline'; entry: TimelineEntry };

/** A run that ended, or a handler that was closed: the page keeps the latest few. */
export function isFinished(actor: ActorView | undefined): boolean {
  return actor !== undefined && (actor.status !== 'active' || actor.handler?.closed === true);
}

export function handlerView(context: HandlerContext): ActorView['handler'] {
  const { name, pending, currentCall, closed } = context;
  return { name, pending, currentCall, closed };
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
    .map(([key, child]) => (typeof child === 'string' ? `${key}.${child}` : `${key}.${describeValue(child)}`))
    .join(', ');
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
