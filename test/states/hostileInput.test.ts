// What hostile values and odd timing do to state machines: clear errors where they are defined, runs that
// settle, signals in order, timers that hold, and no chain of bodies that starves the event loop.
import { defineStates, machineOf, runOf, type StateContext, StateDefinitionError, state } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { tick, watchUnhandledRejections } from '../support/helpers.js';

const unhandled = watchUnhandledRejections();
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  expect(unhandled).toEqual([]);
});

describe('state names', () => {
  test('__proto__ is refused as a state name, whichever way it is given', () => {
    expect(() => defineStates({ ['__proto__']: () => 1, other: () => 2 })).toThrow(
      new StateDefinitionError(
        'defineStates: "__proto__" cannot be a state name: objects, and XState\'s state configs, cannot hold it. Name the state differently.',
      ),
    );
    // In an object literal, `__proto__:` sets the prototype: the state would silently be missing.
    expect(() => defineStates({ __proto__: { a: () => 1 }, b: () => 2 } as never)).toThrow(
      /has a prototype of its own \(in an object literal, a "__proto__" key sets the prototype/,
    );
    class Odd {
      @state()
      ['__proto__']() {
        return 1;
      }
    }
    expect(() => new Odd()).toThrow(/class Odd: "__proto__" cannot be a state name/);
  });

  test('integer-like names are refused: objects would list them first and reorder the states', () => {
    expect(() => defineStates({ b: () => 0, 2: () => 2, 1: () => 1 })).toThrow(
      /defineStates: "1" cannot be a state name: JavaScript lists integer-like keys first/,
    );
    expect(() => defineStates({ s1: () => 1, b: () => 0, '01': () => 1, '-1': () => 2 })).not.toThrow();
  });

  test('names that Object.prototype has work as states (they are never looked up on a plain object)', async () => {
    const graph = defineStates({
      constructor: { transitionsTo: 'toString', body: (ctx: StateContext<'toString'>) => ctx.to.toString() },
      toString: {
        transitionsTo: 'hasOwnProperty',
        // biome-ignore lint/suspicious/noPrototypeBuiltins: a state that happens to share the name
        body: (ctx: StateContext<'hasOwnProperty'>) => ctx.to.hasOwnProperty(),
      },
      hasOwnProperty: () => 'through',
    });
    const run = graph.start('constructor');
    const seen: unknown[] = [];
    run.actor.subscribe((snapshot) => seen.push(snapshot.value));
    expect(await run.done).toBe('through');
    expect(seen).toEqual(['toString', 'hasOwnProperty', 'done']);
  });
});

describe('hostile values and misuse', () => {
  test("a body's result whose then getter throws fails the run with that error", async () => {
    const error = new Error('then is a trap');
    const graph = defineStates({
      only: () =>
        Object.defineProperty({}, 'then', {
          get() {
            throw error;
          },
        }),
    });
    const run = graph.only();
    await expect(run.done).rejects.toBe(error);
    expect(run.actor.getSnapshot().status).toBe('error');
  });

  test('an onStart that returns a promise fails the run, saying why; its rejection is never unhandled', async () => {
    const bodyRan = vi.fn();
    const graph = defineStates({
      only: {
        onStart: async () => {
          throw new Error('async onStart');
        },
        body: bodyRan,
      },
    });
    await expect(graph.only().done).rejects.toThrow(
      'onStart of state "only" (defineStates) returned a promise: onStart runs as the state\'s XState entry action',
    );
    await tick();
    expect(bodyRan).not.toHaveBeenCalled();
  });

  test('a detached state method, or one called on the prototype, throws a TypeError naming it', () => {
    class Lamp {
      @state()
      on() {
        return 'on';
      }
    }
    const lamp = new Lamp();
    const detached = lamp.on;
    expect(() => detached()).toThrow(
      new TypeError(
        'The state method on() must be called on an object of its class (obj.on(…)), but it was called with this = undefined (a detached method).',
      ),
    );
    expect(() => Lamp.prototype.on()).toThrow(/called with the class's prototype as this/);
    expect(runOf(lamp)).toBeUndefined();
  });

  test('a state method called from an onStart is refused, saying why', async () => {
    class Job {
      @state({ transitionsTo: 'b', onStart: jumpAhead })
      async a() {
        return this.b();
      }
      @state({ transitionsTo: 'c', onStart: jumpAhead })
      async b() {
        return 'b done';
      }
      @state()
      c() {
        return 'c done';
      }
    }
    function jumpAhead(this: Job, name: string) {
      if (name === 'b') this.c();
    }
    const job = new Job();
    job.a();
    await expect(runOf(job)?.done).rejects.toThrow(
      'c() was called from an onStart: onStart runs as the state starts, before its body, and cannot request a transition.',
    );
  });

  test('a state method called as its run ends (from a subscriber told of the end) starts a new run', async () => {
    class Job {
      runs = 0;
      @state()
      work() {
        return ++this.runs;
      }
    }
    const job = new Job();
    job.work();
    const first = runOf(job);
    let again: unknown;
    first?.actor.subscribe((snapshot) => {
      if (snapshot.status === 'done') again = job.work();
    });
    expect(await first?.done).toBe(1);
    expect(again).not.toBe(first);
    expect(await (again as { done: Promise<unknown> }).done).toBe(2);
  });

  test('machineOf a class without @state methods is a TypeError', () => {
    expect(() => machineOf(class Plain {})).toThrow(
      new TypeError(
        'class Plain has no @state methods, so it has no machine: decorate its states with @state.',
      ),
    );
  });
});

describe('order and time', () => {
  test("a transition aborts the old body's signal before the next state's onStart and body run", async () => {
    const order: string[] = [];
    const graph = defineStates({
      a: {
        transitionsTo: 'b',
        body: (ctx: StateContext<'b'>) => {
          ctx.signal.addEventListener('abort', () => order.push('a aborted'));
          return ctx.to.b();
        },
      },
      b: {
        onStart: () => order.push('b onStart'),
        body: () => {
          order.push('b body');
        },
      },
    });
    await graph.a().done;
    expect(order).toEqual(['a aborted', 'b onStart', 'b body']);
  });

  test('ctx.sleep beyond 2^31 - 1 ms holds (timers are chained), and sleep(Infinity) waits for the state to end', async () => {
    vi.useFakeTimers();
    const woke: number[] = [];
    const graph = defineStates(
      {
        long: async (ctx) => {
          await ctx.sleep(2 ** 31);
          woke.push(Date.now());
          return 'woke';
        },
        forever: async (ctx) => {
          await ctx.sleep(Number.POSITIVE_INFINITY);
          return 'never';
        },
      },
      { unreachable: 'ignore' },
    );
    const start = Date.now();
    const run = graph.long();
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(woke).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await run.done).toBe('woke');
    expect((woke[0] as number) - start).toBe(2 ** 31);
    const sleeper = graph.forever();
    await vi.advanceTimersByTimeAsync(10 * 2 ** 31);
    expect(sleeper.state).toBe('forever');
    sleeper.stop();
    expect(await sleeper.done).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a chain of bodies that never await lets timers run: run.stop() from a timer ends it', async () => {
    let transitions = 0;
    const spin = defineStates({
      spinning: {
        transitionsTo: 'spinning',
        // Bounded, so that a starving chain fails this test instead of hanging it.
        body: (ctx: StateContext<'spinning'>) =>
          ++transitions < 50_000 ? ctx.to.spinning() : 'ran to the end',
      },
    });
    const run = spin.spinning();
    setTimeout(() => run.stop(), 0);
    expect(await run.done).toBeUndefined(); // stopped by the timer, long before the end
    expect(transitions).toBeLessThan(50_000);
  });
});
