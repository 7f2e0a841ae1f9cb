import { defineStates, StateDefinitionError, state } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';

// Graphs that the types reject are built through this cast, as plain JavaScript would pass them.
const loose = defineStates as (definitions: unknown, options?: unknown) => unknown;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('definition-time checks', () => {
  test('a transitionsTo naming no state throws, suggesting the closest name', () => {
    expect(() => loose({ idle: { transitionsTo: 'runing', body: () => {} }, running: () => {} })).toThrow(
      new StateDefinitionError(
        'defineStates: state "idle" lists "runing" in transitionsTo, but there is no such state (did you mean "running"?).',
      ),
    );
    expect(() => loose({ idle: { transitionsTo: ['zzz'], body: () => {} } })).toThrow(
      /"zzz" in transitionsTo, but there is no such state\.$/,
    );
  });

  test('an empty graph, a body that is not a function, or a bad onStart throw naming the culprit', () => {
    expect(() => loose({})).toThrow(new StateDefinitionError('defineStates needs at least one state.'));
    expect(() => loose({ idle: 42 })).toThrow(
      new TypeError(
        'defineStates: state "idle" must be a body function or { transitionsTo, onStart, body }, got 42.',
      ),
    );
    expect(() => loose({ idle: { body: 'run' } })).toThrow(
      'the body of state "idle" must be a function, got "run"',
    );
    expect(() => loose({ idle: { body: () => {}, onStart: true } })).toThrow(
      'onStart of state "idle" must be a function',
    );
    expect(() => loose(null)).toThrow('defineStates takes an object of states, got null.');
  });

  test('reserved and malformed state names are refused', () => {
    for (const name of ['start', 'machine', 'then']) {
      expect(() => loose({ [name]: () => {} })).toThrow(
        `"${name}" cannot be a state name: the graph uses it`,
      );
    }
    for (const name of ['a.b', 'x#y', '*']) {
      expect(() => loose({ [name]: () => {} })).toThrow(
        `"${name}" cannot be a state name: use a non-empty name`,
      );
    }
  });

  test('an unknown option in a state is refused, with a hint for the likely typo', () => {
    expect(() => loose({ idle: { transitionTo: 'idle', body: () => {} } })).toThrow(
      'defineStates: state "idle" has no option "transitionTo" (did you mean "transitionsTo"?); its options are transitionsTo, onStart, onExit, onError, timeout, body.',
    );
  });

  test('transitionsTo takes a name or any iterable of names: arrays, sets, generators', async () => {
    function* targets() {
      yield 'c';
    }
    const graph = defineStates({
      a: { transitionsTo: new Set(['b', 'c']), body: (ctx) => ctx.to.b?.() },
      b: { transitionsTo: targets(), body: (ctx) => ctx.to.c?.() },
      c: () => 'c',
    });
    expect(await graph.a().done).toBe('c');
    const strict = defineStates(
      { a: { transitionsTo: new Set(['a']), body: (ctx) => ctx.to.b?.() }, b: () => {} },
      { unreachable: 'ignore' },
    );
    await expect(strict.a().done).rejects.toThrow('Invalid state transition a -> b');
    expect(() => loose({ a: { transitionsTo: [1], body: () => {} } })).toThrow(
      'transitionsTo of state "a" must hold state names, got 1',
    );
    expect(() => loose({ a: { transitionsTo: 5, body: () => {} } })).toThrow(
      'must be a state name or an array (any iterable) of them',
    );
  });

  test('states no transition from the first state reaches: a warning by default, an error or nothing as chosen', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const states = { a: () => {}, b: () => {} };
    defineStates(states);
    expect(warn).toHaveBeenCalledWith(
      'defineStates: no transition from the first state "a" leads to "b" (a run can still start there).' +
        " Pass { unreachable: 'ignore' } to silence this warning.",
    );
    expect(() => defineStates(states, { unreachable: 'error' })).toThrow(StateDefinitionError);
    warn.mockClear();
    defineStates(states, { unreachable: 'ignore' });
    expect(warn).not.toHaveBeenCalled();
  });

  test('bad options are refused', () => {
    expect(() => loose({ a: () => {} }, { id: '' })).toThrow(
      'defineStates(definitions, options): id must be a non-empty string, got "".',
    );
    expect(() => loose({ a: () => {} }, { unreachable: 'loud' })).toThrow(
      'defineStates(definitions, options): unreachable must be "warn", or "error", or "ignore", got "loud".',
    );
    expect(() => loose({ a: () => {} }, { onError: 'x' })).toThrow(
      'defineStates(definitions, options): onError must be a function, got "x".',
    );
    expect(() => loose({ a: () => {} }, { idd: 'x' })).toThrow(
      'defineStates(definitions, options) has no option "idd" (did you mean "id"?); its options are id, inspect, unreachable, onError, clock.',
    );
  });

  test('the final state never clashes with a declared state', async () => {
    const graph = defineStates(
      { done: (ctx, n: number) => (n > 0 ? ctx.to.done_?.(n - 1) : 'end') },
      { unreachable: 'ignore' },
    );
    expect(Object.keys(graph.machine.root.states)).toEqual(['done', 'done_']);
    expect(await graph.done(0).done).toBe('end');
  });

  test('@state used as a legacy decorator (experimentalDecorators) says it is a standard one', () => {
    // What TypeScript's experimentalDecorators emit: decorator(prototype, name, descriptor).
    const prototype = { on() {} };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, 'on');
    const legacy = (decorator: unknown) => () =>
      (decorator as (...args: unknown[]) => unknown)(prototype, 'on', descriptor);
    const message =
      /@state is a standard \(TC39\) decorator, but it was called as a legacy one: greenstate needs TypeScript ≥ 5\.0 without "experimentalDecorators"/;
    expect(legacy(state)).toThrow(message);
    expect(legacy(state({ transitionsTo: 'off' }))).toThrow(message);
  });
});
