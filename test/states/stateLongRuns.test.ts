// Long runs and failure plumbing: flat stacks, bounded memory, no unhandled rejections.
import { defineStates, type StateContext, state } from 'greenstate';
import { describe, expect, test, vi } from 'vitest';
import { heapAfterGc, tick, watchUnhandledRejections } from '../support/helpers.js';

/** The depth of the stack here, every frame counted (V8 keeps 10 by default). */
const depth = () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Number.POSITIVE_INFINITY;
  try {
    return new Error().stack?.split('\n').length ?? 0;
  } finally {
    Error.stackTraceLimit = limit;
  }
};
/** A flat stack: every sampled depth is small (a chain of calls would grow with every transition). */
const FLAT = 60;

const unhandled = watchUnhandledRejections();

describe('long runs', () => {
  test('10^5 transitions keep a flat stack and do not grow memory', async () => {
    const N = 100_000;
    const depths = new Set<number>();
    const heap: Record<number, number> = {};
    const cycle = defineStates({
      ping: {
        transitionsTo: 'pong',
        body: (ctx: StateContext<'pong'>, n: number) => {
          if (n % 5000 === 0) depths.add(depth()); // sampled: a stack trace is slow to build
          if (n === 10_000 || n === N - 2) heap[n] = heapAfterGc();
          return ctx.to.pong(n + 1);
        },
      },
      pong: {
        transitionsTo: 'ping',
        body: async (ctx: StateContext<'ping'>, n: number) => {
          if (n % 5001 === 0) depths.add(depth());
          return n < N ? ctx.to.ping(n + 1) : n;
        },
      },
    });
    expect(await cycle.ping(0).done).toBe(N + 1);
    expect(Math.max(...depths)).toBeLessThan(FLAT);
    const growth = (heap[N - 2] as number) - (heap[10_000] as number);
    // 90 000 transitions: a leak of even 100 bytes each would show as 9 MB.
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);

  test('10^4 transitions of decorated methods keep a flat stack', async () => {
    const depths = new Set<number>();
    class Counter {
      @state({ transitionsTo: 'count' })
      async count(n: number): Promise<number> {
        if (n % 1000 === 0) depths.add(depth());
        return n < 10_000 ? this.count(n + 1) : n;
      }
    }
    const counter = new Counter();
    const run = counter.count(0) as unknown as { done: Promise<number> };
    expect(await run.done).toBe(10_000);
    expect(Math.max(...depths)).toBeLessThan(FLAT);
  }, 60_000);
});

describe('failures are never unhandled', () => {
  test('failed, stopped and abandoned runs leave no unhandled rejection', async () => {
    const onError = vi.fn();
    const graph = defineStates(
      {
        throws: () => {
          throw new Error('sync');
        },
        rejects: async () => {
          throw new Error('async');
        },
        badStart: {
          onStart: () => {
            throw new Error('onStart');
          },
          body: () => {},
        },
        moves: {
          transitionsTo: 'rejects',
          body: async (ctx: StateContext<'rejects'>) => {
            void ctx.to.rejects();
            throw new Error('after the transition');
          },
        },
        hangs: () => new Promise(() => {}),
      },
      { unreachable: 'ignore', onError },
    );
    graph.throws();
    graph.rejects();
    graph.badStart();
    graph.moves();
    graph.hangs().stop();
    const awaited = graph.throws().done;
    await expect(awaited).rejects.toThrow('sync');
    await tick();
    await tick();
    expect(onError).toHaveBeenCalledTimes(4);
    expect(unhandled).toEqual([]);
  });
});
