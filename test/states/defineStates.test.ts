import { defineStates, type StateContext, StateValidationError } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { deferred, tick } from '../support/helpers.js';

const depth = () => new Error().stack?.split('\n').length ?? 0;

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('defineStates: running a graph', () => {
  test('a started state runs only after the caller yields', async () => {
    const reached: string[] = [];
    const graph = defineStates({
      initial: () => {
        reached.push('initial');
      },
    });
    const run = graph.initial();
    expect(reached).toEqual([]);
    expect(run.state).toBe('initial');
    await tick();
    expect(reached).toEqual(['initial']);
    await run.done;
  });

  test('chained transitions initial -> second -> third run on one machine', async () => {
    const graph = defineStates({
      initial: { transitionsTo: 'second', body: (ctx: StateContext<'second'>) => ctx.to.second() },
      second: { transitionsTo: 'third', body: (ctx: StateContext<'third'>) => ctx.to.third() },
      third: () => 'end',
    });
    const run = graph.initial();
    const seen: unknown[] = [];
    run.actor.subscribe((snapshot) => seen.push(snapshot.value));
    expect(await run.done).toBe('end');
    expect(seen).toEqual(['second', 'third', 'done']);
    expect(run.actor.getSnapshot().status).toBe('done');
    expect(run.actor.getSnapshot().output).toBe('end');
    expect(run.state).toBeUndefined();
  });

  test('a cycle foo <-> bar eleven times keeps a flat stack', async () => {
    const depths: number[] = [];
    let count = 0;
    const graph = defineStates({
      foo: {
        transitionsTo: 'bar',
        body: (ctx: StateContext<'bar'>) => {
          depths.push(depth());
          return ctx.to.bar();
        },
      },
      bar: {
        transitionsTo: 'foo',
        body: (ctx: StateContext<'foo'>) => {
          depths.push(depth());
          if (count < 10) {
            count++;
            return ctx.to.foo();
          }
          return count;
        },
      },
    });
    expect(await graph.foo().done).toBe(10);
    expect(depths).toHaveLength(22);
    expect(new Set(depths).size).toBe(1);
  });

  test('a wrong transition fails the run with StateValidationError after exactly the valid states ran', async () => {
    const reached: string[] = [];
    const graph = defineStates(
      {
        initial: {
          transitionsTo: 'second',
          body: (ctx: StateContext<'second'>) => {
            reached.push('initial');
            return ctx.to.second();
          },
        },
        second: (ctx) => {
          reached.push('second');
          return ctx.to.third?.();
        },
        third: () => {
          reached.push('third');
        },
      },
      { unreachable: 'ignore' },
    );
    const run = graph.initial();
    const error = await run.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateValidationError);
    expect(error).toMatchObject({
      message: 'Invalid state transition second -> third (second lists no transitionsTo: it can only end)',
      from: 'second',
      to: 'third',
    });
    expect(reached).toEqual(['initial', 'second']);
    expect(run.actor.getSnapshot().status).toBe('error');
    expect(run.actor.getSnapshot().error).toBe(error);
  });

  test('a validation error can be caught: the state goes on', async () => {
    const graph = defineStates(
      {
        a: {
          transitionsTo: 'b',
          // an unannotated ctx: its targets are checked at run time only
          body: (ctx) => {
            try {
              return ctx.to.c?.();
            } catch (error) {
              return ctx.to.b?.((error as Error).message);
            }
          },
        },
        b: (_ctx, message: string) => message,
        c: () => 'c',
      },
      { unreachable: 'ignore' },
    );
    expect(await graph.a().done).toBe('Invalid state transition a -> c (a may go to: b)');
  });

  test('any state may be the first; graph.name(...args) is graph.start(name, ...args)', async () => {
    const graph = defineStates({
      a: { transitionsTo: 'b', body: (ctx: StateContext<'b'>, n: number) => ctx.to.b(n + 1) },
      b: (_ctx, n: number) => n * 10,
    });
    expect(await graph.b(4).done).toBe(40);
    expect(await graph.start('b', 5).done).toBe(50);
    expect(await graph.start('a', 1).done).toBe(20);
    expect(() => graph.start('c' as never)).toThrow(
      new TypeError('defineStates: "c" is not a state of this graph (its states: a, b).'),
    );
  });

  test('a state transitions to itself only if it lists itself, and then its body restarts', async () => {
    let runs = 0;
    const loop = defineStates({
      tick: {
        transitionsTo: 'tick',
        body: (ctx: StateContext<'tick'>, n: number) => {
          runs++;
          return n < 3 ? ctx.to.tick(n + 1) : n;
        },
      },
    });
    expect(await loop.tick(0).done).toBe(3);
    expect(runs).toBe(4);
    const noLoop = defineStates({ once: (ctx) => ctx.to.once?.() });
    await expect(noLoop.once().done).rejects.toThrow('Invalid state transition once -> once');
  });
});

describe('defineStates: tail calls', () => {
  test('a valid transition aborts the old signal, never settles its promise, and the old body cannot change the run', async () => {
    const gate = deferred();
    const after: string[] = [];
    let oldCtx: StateContext<'second' | 'third'> | undefined;
    let settled = false;
    const graph = defineStates({
      first: {
        transitionsTo: ['second', 'third'],
        body: async (ctx: StateContext<'second' | 'third'>) => {
          oldCtx = ctx;
          const call = ctx.to.second();
          call.then(
            () => {
              settled = true;
            },
            () => {
              settled = true;
            },
          );
          expect(ctx.signal.aborted).toBe(true);
          after.push('sync code after the call still runs');
          void ctx.to.third(); // stale: nothing
          await call; // never resumes
          after.push('never');
        },
      },
      second: async () => {
        await gate.promise;
        return 'second';
      },
      third: () => 'third',
    });
    const run = graph.first();
    await tick();
    expect(run.state).toBe('second');
    void oldCtx?.to.third();
    expect(run.state).toBe('second');
    gate.resolve();
    expect(await run.done).toBe('second');
    expect(settled).toBe(false);
    expect(after).toEqual(['sync code after the call still runs']);
  });

  test("the old body's return and throw after its transition are ignored", async () => {
    const graph = defineStates({
      a: {
        transitionsTo: 'b',
        body: (ctx: StateContext<'b'>) => {
          void ctx.to.b();
          return 'ignored return';
        },
      },
      b: {
        transitionsTo: 'c',
        body: async (ctx: StateContext<'c'>) => {
          void ctx.to.c();
          throw new Error('ignored throw');
        },
      },
      c: () => 'c',
    });
    expect(await graph.a().done).toBe('c');
  });

  test('ctx tells the state, and ctx.sleep resolves unless the state ends first', async () => {
    vi.useFakeTimers();
    const woke: string[] = [];
    const graph = defineStates({
      napping: {
        transitionsTo: 'awake',
        body: async (ctx: StateContext<'awake'>) => {
          setTimeout(() => ctx.to.awake(), 50);
          await ctx.sleep(100);
          woke.push('napping');
        },
      },
      awake: async (ctx) => {
        await ctx.sleep(10);
        return ctx.state;
      },
    });
    const run = graph.napping();
    await vi.advanceTimersByTimeAsync(55);
    expect(run.state).toBe('awake');
    await vi.advanceTimersByTimeAsync(200);
    expect(await run.done).toBe('awake');
    expect(woke).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('defineStates: onStart, failures and stop', () => {
  test('onStart runs as each state starts, before its body, with its name and args — the first state too', async () => {
    const log: string[] = [];
    const graph = defineStates({
      a: {
        transitionsTo: 'b',
        onStart: (state, n) => log.push(`onStart ${state} ${n}`),
        body: (ctx: StateContext<'b'>, n: number) => {
          log.push(`body a ${n}`);
          return ctx.to.b(n + 1);
        },
      },
      b: {
        onStart: (state, n) => log.push(`onStart ${state} ${n}`),
        body: (_ctx, n: number) => log.push(`body b ${n}`),
      },
    });
    await graph.a(1).done;
    expect(log).toEqual(['onStart a 1', 'body a 1', 'onStart b 2', 'body b 2']);
  });

  test('an onStart that throws fails the run and its body never runs, first state or later', async () => {
    const boom = new Error('boom');
    const ran: string[] = [];
    const throwing = () => {
      throw boom;
    };
    const graph = defineStates(
      {
        a: { onStart: throwing, body: () => void ran.push('a') },
        b: { onStart: throwing, body: () => void ran.push('b') },
        c: {
          transitionsTo: 'b',
          body: (ctx: StateContext<'b'>) => {
            ran.push('c');
            return ctx.to.b();
          },
        },
      },
      { unreachable: 'ignore' },
    );
    const first = graph.a();
    await expect(first.done).rejects.toBe(boom);
    expect(first.actor.getSnapshot().status).toBe('error');
    const later = graph.c();
    await expect(later.done).rejects.toBe(boom);
    await tick();
    expect(ran).toEqual(['c']);
  });

  test('a body that throws, synchronously or asynchronously, fails the run with that very error', async () => {
    const error = new RangeError('bad');
    const graph = defineStates(
      {
        now: () => {
          throw error;
        },
        later: async () => {
          await tick();
          throw error;
        },
      },
      { unreachable: 'ignore' },
    );
    for (const run of [graph.now(), graph.later()]) {
      await expect(run.done).rejects.toBe(error);
      expect(run.actor.getSnapshot()).toMatchObject({ status: 'error', error });
    }
  });

  test('stop() aborts the body, resolves done with undefined, and the stale body can no longer move the run', async () => {
    let ctxOf: StateContext<'next'> | undefined;
    const graph = defineStates({
      waiting: {
        transitionsTo: 'next',
        body: (ctx: StateContext<'next'>) => {
          ctxOf = ctx;
          return new Promise(() => {});
        },
      },
      next: () => 'next',
    });
    const run = graph.waiting();
    await tick();
    run.stop();
    expect(ctxOf?.signal.aborted).toBe(true);
    expect(await run.done).toBeUndefined();
    expect(run.state).toBeUndefined();
    expect(run.actor.getSnapshot().status).toBe('stopped');
    void ctxOf?.to.next();
    expect(run.actor.getSnapshot().status).toBe('stopped');
    run.stop(); // twice is fine
  });

  test('a failed run nobody awaits is reported to onError (default console.error), never unhandled', async () => {
    const onError = vi.fn();
    const fails = () => {
      throw new Error('lost?');
    };
    defineStates({ fails }, { id: 'lonely', onError }).fails();
    await tick();
    expect(onError).toHaveBeenCalledWith(new Error('lost?'), expect.objectContaining({ state: undefined }));
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    defineStates({ fails }, { id: 'logged' }).fails();
    await tick();
    expect(log).toHaveBeenCalledWith(
      'greenstate: a run of logged failed in state "fails":',
      new Error('lost?'),
    );
  });

  test('a failed run whose done is awaited reports only there', async () => {
    const onError = vi.fn();
    const graph = defineStates(
      {
        fails: () => {
          throw new Error('x');
        },
      },
      { onError },
    );
    await expect(graph.fails().done).rejects.toThrow('x');
    await tick();
    expect(onError).not.toHaveBeenCalled();
  });
});
