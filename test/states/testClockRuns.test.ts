// Everything greenstate times on one test clock: the README's plant, ctx.sleep, handlers' deadlines and
// callSync's, a handler's loop beside a graph, decorated classes.
import {
  callSync,
  createTestClock,
  DeferredCallHandler,
  defineStates,
  runOf,
  type StateContext,
  StateDefinitionError,
  state,
  TimeoutError,
} from 'greenstate';
import { describe, expect, test } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { plantLifecycle } from '../examples/plant.js';

describe('the test clock drives everything greenstate times', () => {
  test("the README's plant grows, flowers, withers and dies on the test clock, with no real waiting", async () => {
    const clock = createTestClock();
    const log: string[] = [];
    const plant = plantLifecycle(24 * 60 * 60 * 1000, (line) => log.push(line)); // days of a real day
    const actor = createActor(plant.machine, { clock, input: { args: [false] } }).start();
    const states: unknown[] = [];
    actor.subscribe({ next: (snapshot) => states.push(snapshot.value), error: () => {} });
    const started = performance.now();
    for (const expected of ['growing', 'flowering', 'withering']) {
      await clock.advance(24 * 60 * 60 * 1000);
      expect(actor.getSnapshot().value).toBe(expected);
    }
    await clock.advance(24 * 60 * 60 * 1000);
    expect(await toPromise(actor)).toBe('withered');
    expect(states).toEqual(['growing', 'flowering', 'withering', 'dead', 'done']);
    expect(log).toEqual(['dead: cleaning up']);
    expect(performance.now() - started).toBeLessThan(5000); // four simulated days
    expect(clock.pending).toBe(0);
  });

  test('ctx.sleep of a graph runs on its clock option', async () => {
    const clock = createTestClock();
    const graph = defineStates(
      {
        resting: {
          transitionsTo: 'awake',
          body: async (ctx: StateContext<'awake'>) => {
            await ctx.sleep(8 * 3600_000);
            return ctx.to.awake(clock.now);
          },
        },
        awake: (_ctx, at: number) => at,
      },
      { clock },
    );
    const run = graph.resting();
    await clock.advance(8 * 3600_000);
    expect(await run.done).toBe(8 * 3600_000);
  });

  test("a handler's call deadlines, and callSync's through its ref, run on the test clock", async () => {
    const clock = createTestClock();
    class Clerk extends DeferredCallHandler {
      file(n: number) {
        return n;
      }
    }
    const clerk = new Clerk({ clock });
    const viaProxy = clerk.sync({ timeout: 100 }).file(1);
    const viaRef = callSync(clerk.ref, 'file', [2], { timeout: 200 });
    const settled: string[] = [];
    viaProxy.catch((error: unknown) => settled.push(`proxy ${(error as Error).name} at ${clock.now}`));
    viaRef.catch((error: unknown) => settled.push(`callSync ${(error as Error).name} at ${clock.now}`));
    await clock.advance(150);
    expect(settled).toEqual(['proxy TimeoutError at 100']);
    await clock.advance(50);
    expect(settled).toEqual(['proxy TimeoutError at 100', 'callSync TimeoutError at 200']);
    await expect(viaRef).rejects.toBeInstanceOf(TimeoutError);
    expect(clock.pending).toBe(0);
  });

  test("a handler's forever loop and a graph share one test clock, in a fixed order", async () => {
    const clock = createTestClock();
    class Counter extends DeferredCallHandler {
      count = 0;
      add() {
        return ++this.count;
      }
    }
    const counter = new Counter({ clock });
    const loop = counter.process({ forever: true });
    const ticker = defineStates(
      {
        ticking: {
          transitionsTo: 'ticking',
          body: async (ctx: StateContext<'ticking'>, n: number) => {
            await ctx.sleep(10);
            const count = await counter.sync({ timeout: 5 }).add();
            return count < n ? ctx.to.ticking(n) : `${count} ticks at ${clock.now} ms`;
          },
        },
      },
      { clock },
    );
    const run = ticker.ticking(5);
    await clock.advance(50);
    expect(await run.done).toBe('5 ticks at 50 ms');
    counter.stopProcessing();
    await loop;
    expect(clock.pending).toBe(0);
  });

  test("decorated state methods use the class's clock; two different clocks are a StateDefinitionError", async () => {
    const clock = createTestClock();
    class Kettle {
      @state({ transitionsTo: 'boiled', timeout: { after: 90_000, to: 'boiled', args: [100] }, clock })
      async heating() {
        return new Promise(() => {}); // until the timeout
      }
      @state({ clock })
      async boiled(degrees: number) {
        return `boiled at ${degrees}° after ${clock.now} ms`;
      }
    }
    const kettle = new Kettle();
    kettle.heating();
    const run = runOf(kettle);
    await clock.advance(90_000);
    expect(await run?.done).toBe('boiled at 100° after 90000 ms');
    class Confused {
      @state({ transitionsTo: 'b', clock: createTestClock() })
      a() {}
      @state({ clock: createTestClock() })
      b() {}
    }
    expect(() => new Confused()).toThrow(StateDefinitionError);
    expect(() => new Confused()).toThrow(
      'class Confused: the states "a" and "b" name different clocks: one clock runs a machine\'s timers, so every ' +
        'state method that names a clock must name the same one.',
    );
  });
});
