// createTestClock(): a simulated clock, an XState Clock; `advance(ms)` runs what falls due, in order.
import { createTestClock, defineStates, state } from 'greenstate';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { type ActorOptions, type AnyActorLogic, createActor, createMachine, SimulatedClock } from 'xstate';

describe('createTestClock', () => {
  test('advance runs due timers in deadline order, then in the order they were set', async () => {
    const clock = createTestClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c at ${clock.now}`), 30);
    clock.setTimeout(() => fired.push(`a at ${clock.now}`), 10);
    clock.setTimeout(() => fired.push(`b at ${clock.now}`), 10);
    clock.setTimeout(() => fired.push('never'), 31);
    expect(clock.pending).toBe(4);
    await clock.advance(30);
    expect(fired).toEqual(['a at 10', 'b at 10', 'c at 30']);
    expect(clock.now).toBe(30);
    expect(clock.pending).toBe(1);
  });

  test('a timer set by a promise that an earlier timer released runs within the same span', async () => {
    const clock = createTestClock();
    const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    const times: number[] = [];
    const task = (async () => {
      for (let i = 0; i < 5; i++) {
        await sleep(10);
        await Promise.resolve(); // more promise reactions between timers
        times.push(clock.now);
      }
    })();
    await clock.advance(45);
    expect(times).toEqual([10, 20, 30, 40]);
    await clock.advance(5);
    await task;
    expect(times).toEqual([10, 20, 30, 40, 50]);
  });

  test('cleared timers never fire, and advance(0) runs what is due now', async () => {
    const clock = createTestClock();
    const fired: number[] = [];
    const id = clock.setTimeout(() => fired.push(1), 5);
    clock.setTimeout(() => fired.push(2), 0);
    clock.clearTimeout(id);
    clock.clearTimeout('unknown');
    await clock.advance(0);
    expect(fired).toEqual([2]);
    await clock.advance(100);
    expect(fired).toEqual([2]);
    expect(clock.pending).toBe(0);
  });

  test('overlapping advance calls run one after the other; a throwing timer rejects advance, the others still run', async () => {
    const clock = createTestClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      throw new Error('timer broke');
    }, 5);
    clock.setTimeout(() => fired.push(clock.now), 10);
    clock.setTimeout(() => fired.push(clock.now), 20);
    const first = clock.advance(10);
    const second = clock.advance(10);
    await expect(first).rejects.toThrow('timer broke');
    await second;
    expect(fired).toEqual([10, 20]);
    expect(clock.now).toBe(20);
  });

  test('advance takes a finite number of milliseconds ≥ 0: anything else is a RangeError', async () => {
    const clock = createTestClock();
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5'])
      await expect(clock.advance(ms as number)).rejects.toThrow(RangeError);
    await expect(clock.advance(-1)).rejects.toThrow(
      'clock.advance(ms): ms must be a finite number of milliseconds ≥ 0, got -1.',
    );
  });

  test("it is an XState Clock, so XState's own delayed transitions run on it", async () => {
    expectTypeOf(createTestClock()).toExtend<NonNullable<ActorOptions<AnyActorLogic>['clock']>>();
    const clock = createTestClock();
    const light = createMachine({
      initial: 'green',
      states: { green: { after: { 1000: 'red' } }, red: { type: 'final' } },
    });
    const actor = createActor(light, { clock }).start();
    await clock.advance(999);
    expect(actor.getSnapshot().value).toBe('green');
    await clock.advance(1);
    expect(actor.getSnapshot().value).toBe('red');
  });

  test("any XState Clock is accepted by defineStates and @state: XState's SimulatedClock runs a timeout", async () => {
    const clock = new SimulatedClock();
    const graph = defineStates(
      {
        idle: {
          transitionsTo: 'asleep',
          timeout: { after: 100, to: 'asleep' },
          body: (ctx) => ctx.sleep(Infinity),
        },
        asleep: () => 'zzz',
      },
      { clock },
    );
    const run = graph.idle();
    await Promise.resolve();
    clock.increment(100);
    expect(await run.done).toBe('zzz');
    expect(() => state({ clock })).not.toThrow();
    expect(() => defineStates({ a: () => {} }, { clock: {} as never })).toThrow(
      'defineStates(definitions, options): clock must be a clock with setTimeout(fn, ms) and clearTimeout(id), got {}.',
    );
  });
});
