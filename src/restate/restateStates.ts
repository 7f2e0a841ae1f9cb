import { xstate } from '@restatedev/xstate';
import type { AnyStateMachine } from 'xstate';
import { checkOptions, is } from '../checkOptions.js';
import { formatValue } from '../formatValue.js';
import { machinePerActor } from '../states/boundMachine.js';
import type { CheckedStates } from '../states/checkStates.js';
import { compileMachine, graphOf } from '../states/compileMachine.js';
import { classGraph } from '../states/machineOf.js';
import type { StatesMachine } from '../states/runTypes.js';
import { durableBodyLogic } from './durableBodyLogic.js';
import { jsonError } from './jsonError.js';
import { RUN_ERROR } from './wire.js';

/**
 * Options of `restateStates`.
 *
 * @example
 * ```ts
 * import type { RestateStatesOptions } from 'greenstate/restate';
 * const options: RestateStatesOptions = { name: 'plant', initial: 'sprouting' };
 * ```
 */
export interface RestateStatesOptions {
  /** The virtual object's name, in the ingress URLs (default: the machine's id). */
  name?: string;
  /** The state each run starts in (default: the first state). */
  initial?: string;
  /**
   * For a decorated class: makes the object whose methods run each body, `onStart` and `onExit` (default:
   * `new Class()`). Each is made afresh: what an object keeps between states does not last on Restate;
   * a state's arguments do.
   */
  create?: () => object;
  /** How long a finished run's state is kept, in milliseconds (default: forever). */
  finalStateTTL?: number;
}

/**
 * What `restateStates` returns: a virtual object definition of `@restatedev/restate-sdk`, to give an
 * endpoint (`restate.serve({ services })`, `restate.endpoint().bind(...)`).
 *
 * @example
 * ```ts
 * import { restateStates, type RestateStatesService } from 'greenstate/restate';
 * import { plant } from './plant.js';
 * const service: RestateStatesService = restateStates(plant, { name: 'plant' });
 * ```
 */
export type RestateStatesService = ReturnType<typeof xstate>;

/**
 * Serves a state graph (`defineStates`, or a class with `@state` methods) as a Restate virtual object,
 * through `@restatedev/xstate`: each key is one durable run; its handlers `create`, `send`, `snapshot`
 * and `waitFor` start, drive and watch it. The machine is the in-process one, checked the same way; each
 * state's body runs as a journaled invocation of its own, retried (from its start) if its process dies;
 * a state's timeout is a durable delay.
 *
 * @example
 * ```ts
 * import * as restate from '@restatedev/restate-sdk';
 * import { restateStates } from 'greenstate/restate';
 * import { plant } from './plant.js';
 * restate.serve({ services: [restateStates(plant, { name: 'plant' })], port: 9080 });
 * ```
 */
export function restateStates(
  source: { readonly machine: AnyStateMachine } | AnyStateMachine | (abstract new () => object),
  options: RestateStatesOptions = {},
): RestateStatesService {
  checkOptions(options, OPTIONS, 'restateStates(source, options)');
  const { graph, id, create } = served(source, options.create);
  const initial = options.initial ?? graph.first;
  if (!graph.states.has(initial)) {
    throw new TypeError(
      `restateStates: the initial state ${formatValue(initial)} is not a state of ${graph.where} ` +
        `(its states: ${[...graph.states.keys()].join(', ')}).`,
    );
  }
  const compiled = keepsErrors(compileMachine(graph, id, initial, durableBodyLogic(graph, create)));
  const machine = create === undefined ? compiled : machinePerActor(compiled, create);
  const { finalStateTTL } = options;
  return xstate(options.name ?? id, machine, finalStateTTL === undefined ? {} : { finalStateTTL });
}

/**
 * The machine whose persisted snapshot keeps a failed run's error whole, as its record: Restate stores
 * the snapshot as JSON, where an error would be `{}`.
 */
function keepsErrors(machine: StatesMachine): StatesMachine {
  return Object.create(machine, {
    getPersistedSnapshot: {
      value(snapshot: never, options: never) {
        const persisted = machine.getPersistedSnapshot(snapshot, options) as {
          status: string;
          error?: unknown;
        };
        if (persisted.status !== 'error' || isRecorded(persisted.error)) return persisted;
        return { ...persisted, error: { [RUN_ERROR]: jsonError(persisted.error) } };
      },
    },
  }) as StatesMachine;
}

/** Whether an error is its record already (restored from JSON), or turns into it in JSON (a body's error). */
function isRecorded(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // Its own toJSON, read from its descriptor: no getter of a user's error runs to find out.
  return (
    Object.hasOwn(error, RUN_ERROR) ||
    typeof Object.getOwnPropertyDescriptor(error, 'toJSON')?.value === 'function'
  );
}

function served(
  source: unknown,
  create: (() => object) | undefined,
): { graph: CheckedStates; id: string; create: (() => object) | undefined } {
  if (typeof source === 'function') {
    const Class = source as new () => object;
    const { graph } = classGraph(Object.create(Class.prototype as object) as object);
    return { graph, id: Class.name || 'states', create: create ?? (() => new Class()) };
  }
  const machine =
    typeof source === 'object' && source !== null && 'machine' in source ? source.machine : source;
  const graph = graphOf(machine);
  if (graph === undefined) {
    throw new TypeError(
      `restateStates takes a graph of defineStates, its machine, or a class with @state methods, got ${formatValue(source)}.`,
    );
  }
  if (graph.methods && create === undefined) {
    throw new TypeError(
      `restateStates: the machine of ${graph.where} runs an object's methods: give the class itself, or { create }.`,
    );
  }
  return { graph, id: (machine as StatesMachine).id, create: graph.methods ? create : undefined };
}

const OPTIONS = {
  name: is.name,
  initial: is.name,
  create: is.function,
  finalStateTTL: is.milliseconds,
};
