// Type tests of the state machines: checked by `tsc --noEmit` (npm test).
import {
  defineStates,
  type StateArgs,
  type StateContext,
  type StateRun,
  state,
  type Transition,
} from 'greenstate';
import { describe, expect, expectTypeOf, test } from 'vitest';

const graph = defineStates({
  idle: { transitionsTo: 'running', body: (ctx: StateContext<'running'>) => ctx.to.running(5) },
  running: {
    transitionsTo: ['idle', 'stopped'],
    body: (ctx: StateContext<'idle' | 'stopped'>, speed: number) =>
      speed > 3 ? ctx.to.stopped('fast') : ctx.to.idle(),
  },
  stopped: (_ctx, reason: string) => reason.length,
});

// Never called: only type-checked.
function compileTimeChecks() {
  // @ts-expect-error: no such state
  graph.start('flying');
  // @ts-expect-error: running takes a number
  graph.running('fast');
  // @ts-expect-error: stopped needs its reason
  graph.start('stopped');
  // @ts-expect-error: no such state
  graph.flying();
  defineStates({
    // @ts-expect-error: "runing" is not a state of this graph
    idle: { transitionsTo: 'runing', body: () => {} },
    running: () => {},
  });
  defineStates({
    // @ts-expect-error: "start" is reserved
    start: () => {},
  });
  defineStates({
    a: {
      transitionsTo: 'b',
      // @ts-expect-error: ctx names "c", which a's transitionsTo does not list
      body: (ctx: StateContext<'b' | 'c'>) => ctx.to.c(),
    },
    b: () => {},
    c: () => {},
  });
  defineStates({
    a: {
      transitionsTo: 'b',
      // @ts-expect-error: a ctx annotated with its targets offers only those
      body: (ctx: StateContext<'b'>) => ctx.to.c(),
    },
    b: () => {},
  });
  class Machine {
    @state({ transitionsTo: 'b' })
    async a() {
      // @ts-expect-error: a method state's arguments are the method's own
      return this.b('x');
    }
    @state()
    async b(n: number) {
      return n;
    }
  }
  return Machine;
}

describe('state types', () => {
  test('graph.start and graph.<state> take each state name and its body arguments', () => {
    expectTypeOf(graph.running).parameters.toEqualTypeOf<[speed: number]>();
    expectTypeOf(graph.idle).parameters.toEqualTypeOf<[]>();
    expectTypeOf<StateArgs<(ctx: StateContext, a: string, b?: number) => void>>().toEqualTypeOf<
      [a: string, b?: number]
    >();
    expect(typeof compileTimeChecks).toBe('function');
  });

  test("a run's done resolves with one of the bodies' results, or undefined after stop()", () => {
    const run = graph.stopped('reason');
    expectTypeOf(run).toExtend<StateRun>();
    expectTypeOf(run.done).toEqualTypeOf<Promise<number | undefined>>();
    run.stop();
  });

  test('a ctx annotated with the state targets types its transitions', () => {
    expectTypeOf<StateContext<'a' | 'b'>['to']>().toEqualTypeOf<{
      readonly a: Transition;
      readonly b: Transition;
    }>();
    expectTypeOf<StateContext['state']>().toEqualTypeOf<string>();
  });
});
