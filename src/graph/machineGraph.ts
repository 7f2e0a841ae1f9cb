import { formatValue } from '../formatValue.js';

/**
 * A state node of a machine's graph (the root excluded).
 *
 * @example
 * ```ts
 * import { handlerMachine, machineGraph, type GraphNode } from 'greenstate';
 * const compound: GraphNode[] = machineGraph(handlerMachine).nodes.filter((node) => node.type === 'compound');
 * ```
 */
export interface GraphNode {
  /** The state node's XState id, unique in its machine (`plant.growing`). */
  readonly id: string;
  /** Its key in its parent (`growing`). */
  readonly key: string;
  /** The parent's id; `undefined` for the root's children. */
  readonly parent: string | undefined;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** For a compound state, its initial child's id. */
  readonly initial: string | undefined;
  /** Its entry actions' names and its invoked actors' ids, as labels. */
  readonly entry: readonly string[];
  readonly invoke: readonly string[];
}

/**
 * A transition: an arrow from `source` to `target`, labelled with its event (and guard).
 *
 * @example
 * ```ts
 * import { handlerMachine, machineGraph, type GraphEdge } from 'greenstate';
 * const guarded: GraphEdge[] = machineGraph(handlerMachine).edges.filter((edge) => edge.guard !== undefined);
 * ```
 */
export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly event: string;
  readonly guard: string | undefined;
  /**
   * The event, with the guard in brackets; XState's own `xstate.done.actor.<id>` reads `done: <id>`
   * (`returns` for a state body's actor), `xstate.error.actor.<id>` reads `error: <id>` (`error` for a
   * state body's actor), and a delayed transition (`after`) reads `after 500 ms`.
   */
  readonly label: string;
}

/**
 * The drawable graph of an XState machine, read from `machine.toJSON()`: its state nodes, its
 * transitions, and the events its root handles without changing state.
 *
 * @example
 * ```ts
 * import { defineStates, machineGraph } from 'greenstate';
 * const graph = machineGraph(defineStates({ idle: () => {} }).machine);
 * console.log(graph.nodes.map((node) => node.key)); // ['idle', 'done']
 * ```
 */
export interface MachineGraph {
  readonly id: string;
  /** The root's initial state's id. */
  readonly initial: string | undefined;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /**
   * The root's transitions, which apply in every state: events it handles with actions only (the
   * handler's `call`, say), and `event → target` for those with a target.
   */
  readonly rootEvents: readonly string[];
}

interface NodeJson {
  id: string;
  key: string;
  type: GraphNode['type'];
  initial?: { target?: readonly unknown[] };
  states?: Record<string, NodeJson>;
  transitions?: readonly TransitionJson[];
  entry?: readonly unknown[];
  invoke?: readonly { id?: unknown }[];
}

interface TransitionJson {
  eventType: string;
  target?: readonly unknown[];
  guard?: unknown;
  /** An `after` transition's delay: milliseconds, or the name of a delay of the machine's setup. */
  delay?: unknown;
}

/**
 * Reads the graph of an XState machine, or of the JSON that its `toJSON()` returns.
 * Throws a `TypeError` for anything else.
 *
 * @example
 * ```ts
 * import { handlerMachine, machineGraph } from 'greenstate';
 * const { nodes, edges } = machineGraph(handlerMachine);
 * console.log(edges.find((edge) => edge.guard === 'whitelisted')?.label); // 'call [whitelisted]'
 * ```
 */
export function machineGraph(machine: unknown): MachineGraph {
  const root = rootJson(machine);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const rootEvents: string[] = [];
  const visit = (node: NodeJson, parent: string | undefined) => {
    for (const child of Object.values(node.states ?? {})) {
      nodes.push({
        id: child.id,
        key: child.key,
        parent,
        type: child.type,
        initial: targetId(child.initial?.target?.[0]),
        entry: ownEntry(child),
        invoke: (child.invoke ?? []).map((invoke) => String(invoke.id)),
      });
      visit(child, child.id);
    }
    for (const transition of node.transitions ?? []) {
      const guard = guardName(transition.guard);
      const targets = (transition.target ?? []).map(targetId).filter((t): t is string => t !== undefined);
      const label = labelOf(transition, guard, node.key);
      if (node === root) {
        // The root is no drawn state: its transitions apply in every state, and are listed instead.
        const keys = targets.map((target) => target.slice(root.id.length + 1));
        rootEvents.push(targets.length === 0 ? label : `${label} → ${keys.join(', ')}`);
        continue;
      }
      // A transition without a target (actions only) stays in its state: drawn as a loop.
      for (const target of targets.length === 0 ? [node.id] : targets) {
        edges.push({
          id: `e${edges.length}`,
          source: node.id,
          target,
          event: transition.eventType,
          guard,
          label,
        });
      }
    }
  };
  visit(root, undefined);
  return { id: root.id, initial: targetId(root.initial?.target?.[0]), nodes, edges, rootEvents };
}

function rootJson(machine: unknown): NodeJson {
  const candidate =
    typeof machine === 'object' &&
    machine !== null &&
    typeof (machine as { toJSON?: unknown }).toJSON === 'function'
      ? (machine as { toJSON(): unknown }).toJSON()
      : machine;
  const json = candidate as Partial<NodeJson> | null;
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.id !== 'string' ||
    typeof json.states !== 'object' ||
    json.states === null ||
    !Array.isArray(json.transitions)
  ) {
    throw new TypeError(
      `Expected an XState machine (or its toJSON()), with an id, states and transitions; got ${formatValue(machine)}.`,
    );
  }
  return json as NodeJson;
}

/** `#plant.growing` (a target in toJSON) → `plant.growing`. */
function targetId(target: unknown): string | undefined {
  if (typeof target === 'string') return target.startsWith('#') ? target.slice(1) : target;
  if (typeof target === 'object' && target !== null && 'id' in target)
    return String((target as { id: unknown }).id);
  return undefined;
}

function guardName(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'guard';
}

/**
 * A state's entry actions, less the `xstate.raise` that XState adds for each of its `after` transitions
 * (the timer behind it, drawn as the transition).
 */
function ownEntry(node: NodeJson): string[] {
  const entry = (node.entry ?? []).map(actionName);
  let timers = (node.transitions ?? []).filter((transition) => transition.delay !== undefined).length;
  for (let i = entry.length - 1; i >= 0 && timers > 0; i--) {
    if (entry[i] === 'xstate.raise') {
      entry.splice(i, 1);
      timers--;
    }
  }
  return entry;
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action)
    return String((action as { type: unknown }).type);
  return 'action';
}

function labelOf(transition: TransitionJson, guard: string | undefined, source: string | undefined): string {
  const event = transition.eventType;
  const done = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event);
  // A state body's actor (`body:<state>`) completing is its body returning; failing, its error.
  const body = done !== null && source !== undefined && done[2] === `body:${source}`;
  const delay = transition.delay;
  const shown = body
    ? done?.[1] === 'done'
      ? 'returns'
      : 'error'
    : done
      ? `${done[1]}: ${done[2]}`
      : typeof delay === 'number'
        ? `after ${delay} ms`
        : event.startsWith('xstate.after.') && delay !== undefined
          ? `after ${String(delay)}`
          : event;
  return guard ? `${shown} [${guard}]` : shown;
}
