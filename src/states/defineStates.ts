import { createActor } from 'xstate';
import { checkOptions, is } from '../checkOptions.js';
import { StateDefinitionError } from '../errors.js';
import { formatValue } from '../formatValue.js';
import { checkStates, type RawState, STATE_OPTIONS } from './checkStates.js';
import { machinesOf } from './compileMachine.js';
import { Run, type RunOptions } from './Run.js';
import type { StateRun } from './runTypes.js';
import type { CheckedDefinitions, DefineStatesOptions, StateDefinition, StateGraph } from './stateTypes.js';

const RESERVED = ['start', 'machine', 'then'] as const;
/** A state given as an object: its body, and the options a decorated method's state has too. */
const DEFINITION_OPTIONS = { ...STATE_OPTIONS, body: is.anything };

/**
 * Defines a state machine of task bodies and compiles it into an XState machine. Each state is a body
 * `(ctx, ...args) => result` or `{ transitionsTo, onStart, onExit, onError, timeout, body }`; a body's
 * `ctx.to.<target>(...args)` ends its state and starts the target (a checked tail call); a body that
 * returns ends the run.
 *
 * @example
 * ```ts
 * import { defineStates } from 'greenstate';
 *
 * const door = defineStates({
 *   closed: { transitionsTo: 'open', body: async (ctx) => ctx.to.open(90) },
 *   open: (ctx, angle: number) => `open at ${angle}°`,
 * });
 * const run = door.closed(); // or door.start('closed')
 * console.log(await run.done); // 'open at 90°'
 * ```
 */
export function defineStates<const TDefinitions extends Record<string, StateDefinition>>(
  definitions: TDefinitions & NoInfer<CheckedDefinitions<TDefinitions>>,
  options: DefineStatesOptions = {},
): StateGraph<TDefinitions> {
  if (typeof definitions !== 'object' || definitions === null) {
    throw new TypeError(`defineStates takes an object of states, got ${formatValue(definitions)}.`);
  }
  const prototype = Object.getPrototypeOf(definitions) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new StateDefinitionError(
      'defineStates takes a plain object of states, but this one has a prototype of its own (in an object ' +
        'literal, a "__proto__" key sets the prototype instead of defining a state).',
    );
  }
  checkOptions(options, OPTIONS, 'defineStates(definitions, options)');
  const graph = checkStates(Object.entries(definitions).map(rawState), {
    where: 'defineStates',
    reserved: RESERVED,
    unreachable: options.unreachable ?? 'warn',
    methods: false,
  });
  const machineFor = machinesOf(graph, options.id ?? 'states');
  const start = (name: string, ...args: unknown[]): StateRun => {
    if (typeof name !== 'string' || !graph.states.has(name)) {
      throw new TypeError(
        `defineStates: ${formatValue(name)} is not a state of this graph ` +
          `(its states: ${[...graph.states.keys()].join(', ')}).`,
      );
    }
    const actor = createActor(machineFor(name), {
      input: { args },
      ...(options.inspect && { inspect: options.inspect }),
      ...(options.clock && { clock: options.clock }),
    });
    const run = new Run(actor, { onError: options.onError as RunOptions['onError'] });
    actor.start();
    return run as unknown as StateRun;
  };
  const result: Record<string, unknown> = { machine: machineFor(graph.first), start };
  for (const name of graph.states.keys()) result[name] = (...args: unknown[]) => start(name, ...args);
  return Object.freeze(result) as StateGraph<TDefinitions>;
}

function rawState([name, definition]: [string, unknown]): RawState {
  if (typeof definition === 'function') return { name, body: definition };
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(
      `defineStates: state "${name}" must be a body function or { transitionsTo, onStart, body }, got ${formatValue(definition)}.`,
    );
  }
  checkOptions(definition, DEFINITION_OPTIONS, `defineStates: state "${name}"`, StateDefinitionError);
  const { transitionsTo, onStart, onExit, onError, timeout, body } = definition as Record<string, unknown>;
  return { name, transitionsTo, onStart, onExit, onError, timeout, body };
}

const OPTIONS = {
  id: is.name,
  inspect: is.observer,
  unreachable: is.oneOf('warn', 'error', 'ignore'),
  onError: is.function,
  clock: is.clock,
};
