import { checkOptions, is } from '../checkOptions.js';
import type { Clock } from '../clock.js';
import { closestName } from '../closestName.js';
import { StateDefinitionError } from '../errors.js';
import { formatValue } from '../formatValue.js';

/** One state, checked: its body, its allowed targets, its hooks, its deadline, where its failures go. */
export interface StateSpec {
  readonly name: string;
  readonly transitionsTo: ReadonlySet<string>;
  readonly onStart: ((...args: unknown[]) => unknown) | undefined;
  readonly onExit: ((...args: unknown[]) => unknown) | undefined;
  /** The state a failure of the body or of `onStart` moves the run to. */
  readonly onError: string | undefined;
  readonly timeout:
    | { readonly after: number; readonly to: string; readonly args: readonly unknown[] }
    | undefined;
  readonly body: (...args: unknown[]) => unknown;
}

/** A checked state graph, in declaration order. */
export interface CheckedStates {
  readonly states: ReadonlyMap<string, StateSpec>;
  /** The name of the final state added to the declared ones (clashes with none of them). */
  readonly finalState: string;
  /** The first declared state: the XState machine's initial state. */
  readonly first: string;
  /** Where the graph comes from, for messages: `defineStates` or `class Plant`. */
  readonly where: string;
  /** Whether the bodies are an object's methods (decorated), called with the object as `this`. */
  readonly methods: boolean;
  /** The clock the states name (decorated methods; every one that names a clock names this one). */
  readonly clock: Clock | undefined;
}

/** The options of a state (beside its body): checked here, as `checkStates` reads them. */
export const STATE_OPTIONS = {
  transitionsTo: is.anything,
  onStart: is.anything,
  onExit: is.anything,
  onError: is.anything,
  timeout: is.anything,
};

/** A state as given, before checking. */
export interface RawState {
  name: string;
  transitionsTo?: unknown;
  onStart?: unknown;
  onExit?: unknown;
  onError?: unknown;
  timeout?: unknown;
  /** A decorated method's `clock` option. */
  clock?: unknown;
  body: unknown;
}

const TIMEOUT_OPTIONS = { after: is.milliseconds, to: is.anything, args: is.anything };
/** The longest delay one timer holds: XState gives an `after` delay to a single `setTimeout`. */
const MAX_TIMEOUT = 2 ** 31 - 1;

export interface CheckStatesOptions {
  /** Where the graph comes from, for messages: `defineStates` or `class Plant`. */
  where: string;
  reserved: readonly string[];
  unreachable: 'warn' | 'error' | 'ignore';
  methods: boolean;
}

/** Checks the states of a graph and resolves their transitions; throws naming the first culprit. */
export function checkStates(raw: readonly RawState[], options: CheckStatesOptions): CheckedStates {
  const { where } = options;
  if (raw.length === 0) throw new StateDefinitionError(`${where} needs at least one state.`);
  const names = raw.map((state) => state.name);
  const states = new Map<string, StateSpec>();
  for (const state of raw) {
    const { name } = state;
    if (options.reserved.includes(name)) {
      throw new StateDefinitionError(
        `${where}: "${name}" cannot be a state name: the graph uses it (${options.reserved.join(', ')} are reserved).`,
      );
    }
    if (name === '' || /[.#*]/.test(name)) {
      throw new StateDefinitionError(
        `${where}: "${name}" cannot be a state name: use a non-empty name without ".", "#" or "*".`,
      );
    }
    if (name === '__proto__') {
      throw new StateDefinitionError(
        `${where}: "__proto__" cannot be a state name: objects, and XState's state configs, cannot hold it. Name the state differently.`,
      );
    }
    if (/^(0|[1-9]\d*)$/.test(name)) {
      throw new StateDefinitionError(
        `${where}: "${name}" cannot be a state name: JavaScript lists integer-like keys first, so the states ` +
          'would not keep the order you declared them in (and the first one is the initial state). Use a name ' +
          `with a letter, such as "s${name}".`,
      );
    }
    if (typeof state.body !== 'function') {
      throw new TypeError(
        `${where}: the body of state "${name}" must be a function, got ${formatValue(state.body)}.`,
      );
    }
    for (const hook of ['onStart', 'onExit'] as const) {
      if (state[hook] !== undefined && typeof state[hook] !== 'function') {
        throw new TypeError(
          `${where}: ${hook} of state "${name}" must be a function, got ${formatValue(state[hook])}.`,
        );
      }
    }
    const transitionsTo = new Set<string>();
    for (const target of targetsOf(state.transitionsTo, where, name)) {
      if (!names.includes(target)) {
        const close = closestName(target, names);
        throw new StateDefinitionError(
          `${where}: state "${name}" lists "${target}" in transitionsTo, but there is no such state${close ? ` (did you mean "${close}"?)` : ''}.`,
        );
      }
      transitionsTo.add(target);
    }
    states.set(name, {
      name,
      transitionsTo,
      onStart: state.onStart as StateSpec['onStart'],
      onExit: state.onExit as StateSpec['onExit'],
      onError: onErrorOf(state.onError, where, name, names),
      timeout: timeoutOf(state.timeout, where, name, transitionsTo),
      body: state.body as StateSpec['body'],
    });
  }
  const first = names[0] as string;
  reportUnreachable(states, first, options);
  let finalState = 'done';
  while (states.has(finalState)) finalState += '_';
  return { states, finalState, first, where, methods: options.methods, clock: clockOf(raw, where) };
}

function onErrorOf(
  onError: unknown,
  where: string,
  name: string,
  names: readonly string[],
): string | undefined {
  if (onError === undefined) return undefined;
  if (typeof onError !== 'string') {
    throw new TypeError(
      `${where}: onError of state "${name}" must be a state name, got ${formatValue(onError)}.`,
    );
  }
  if (!names.includes(onError)) {
    const close = closestName(onError, names);
    throw new StateDefinitionError(
      `${where}: state "${name}" names "${onError}" as its onError, but there is no such state${close ? ` (did you mean "${close}"?)` : ''}.`,
    );
  }
  return onError;
}

function timeoutOf(
  timeout: unknown,
  where: string,
  name: string,
  transitionsTo: ReadonlySet<string>,
): StateSpec['timeout'] {
  if (timeout === undefined) return undefined;
  const what = `${where}: timeout of state "${name}"`;
  checkOptions(timeout, TIMEOUT_OPTIONS, what, StateDefinitionError);
  const { after, to, args = [] } = timeout as { after?: number; to?: unknown; args?: unknown };
  if (after === undefined || to === undefined) {
    throw new TypeError(`${what} needs { after: ms, to: 'state' }, got ${formatValue(timeout)}.`);
  }
  if (after > MAX_TIMEOUT) {
    throw new RangeError(
      `${what}: after must be at most 2^31 − 1 ms (about 24.8 days, what one timer holds), got ${after}.`,
    );
  }
  if (typeof to !== 'string' || !transitionsTo.has(to)) {
    throw new StateDefinitionError(
      `${what} moves the run to ${formatValue(to)}, which its transitionsTo does not list ` +
        `(${transitionsTo.size === 0 ? 'it lists none' : `it lists ${[...transitionsTo].join(', ')}`}).`,
    );
  }
  if (!Array.isArray(args)) {
    throw new TypeError(`${what}: args must be an array (the arguments of ${to}), got ${formatValue(args)}.`);
  }
  return { after, to, args: [...args] };
}

/** The one clock of a decorated class's states: every method that names a clock must name the same. */
function clockOf(raw: readonly RawState[], where: string): Clock | undefined {
  let named: RawState | undefined;
  for (const state of raw) {
    if (state.clock === undefined) continue;
    if (named !== undefined && named.clock !== state.clock) {
      throw new StateDefinitionError(
        `${where}: the states "${named.name}" and "${state.name}" name different clocks: one clock runs a ` +
          "machine's timers, so every state method that names a clock must name the same one.",
      );
    }
    named = state;
  }
  return named?.clock as Clock | undefined;
}

function targetsOf(transitionsTo: unknown, where: string, name: string): Iterable<string> {
  if (transitionsTo === undefined) return [];
  if (typeof transitionsTo === 'string') return [transitionsTo];
  if (typeof transitionsTo === 'object' && transitionsTo !== null && Symbol.iterator in transitionsTo) {
    const targets = [...(transitionsTo as Iterable<unknown>)];
    const bad = targets.find((target) => typeof target !== 'string');
    if (bad === undefined) return targets as string[];
    throw new TypeError(
      `${where}: transitionsTo of state "${name}" must hold state names, got ${formatValue(bad)}.`,
    );
  }
  throw new TypeError(
    `${where}: transitionsTo of state "${name}" must be a state name or an array (any iterable) of them, got ${formatValue(transitionsTo)}.`,
  );
}

function reportUnreachable(
  states: ReadonlyMap<string, StateSpec>,
  first: string,
  options: CheckStatesOptions,
): void {
  if (options.unreachable === 'ignore') return;
  const reached = new Set([first]);
  for (const name of reached) {
    const spec = states.get(name);
    for (const target of spec?.transitionsTo ?? []) reached.add(target);
    if (spec?.onError !== undefined) reached.add(spec.onError);
  }
  const unreachable = [...states.keys()].filter((name) => !reached.has(name));
  if (unreachable.length === 0) return;
  const message =
    `${options.where}: no transition from the first state "${first}" leads to ${unreachable.map((n) => `"${n}"`).join(', ')}` +
    ' (a run can still start there).';
  if (options.unreachable === 'error') throw new StateDefinitionError(message);
  console.warn(`${message} Pass { unreachable: 'ignore' } to silence this warning.`);
}
