// Errors as transitions: `onError: 'state'`, compiled as the invoke's onError.
import {
  createTestClock,
  defineStates,
  machineGraph,
  runOf,
  type StateContext,
  StateDefinitionError,
  state,
  toMermaid,
} from 'greenstate';
import { describe, expect, test } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { watchUnhandledRejections } from '../support/helpers.js';

const unhandled = watchUnhandledRejections();

describe('errors as transitions', () => {
  test('a body that throws moves the run to its onError state, whose body gets the very error', async () => {
    const boom = new Error('boom');
    const graph = defineStates({
      working: {
        onError: 'recovering',
        body: () => {
          throw boom;
        },
      },
      recovering: (_ctx, error: unknown) => ({ recovered: error }),
    });
    const run = graph.working();
    expect(await run.done).toEqual({ recovered: boom });
    expect(((await run.done) as { recovered: unknown }).recovered).toBe(boom);
    expect(unhandled).toEqual([]);
  });

  test('a body that rejects later, after sleeping on the test clock, is caught the same way', async () => {
    const clock = createTestClock();
    const seen: unknown[] = [];
    const graph = defineStates(
      {
        fetching: {
          onError: 'retrying',
          body: async (ctx) => {
            await ctx.sleep(100);
            throw new TypeError('offline');
          },
        },
        retrying: {
          transitionsTo: 'fetching',
          body: (ctx: StateContext<'fetching'>, error: Error) => {
            seen.push(`${error.name}: ${error.message} at ${clock.now}`);
            return seen.length < 3 ? ctx.to.fetching() : 'gave up';
          },
        },
      },
      { clock },
    );
    const run = graph.fetching();
    await clock.advance(300);
    expect(await run.done).toBe('gave up');
    expect(seen).toEqual([
      'TypeError: offline at 100',
      'TypeError: offline at 200',
      'TypeError: offline at 300',
    ]);
  });

  test("an onStart that throws moves the run to onError too, and the state's body never runs", async () => {
    const ran: string[] = [];
    const oops = new RangeError('bad start');
    const graph = defineStates({
      starting: {
        onError: 'failed',
        onStart: () => {
          throw oops;
        },
        body: () => ran.push('starting'),
      },
      failed: (_ctx, error: unknown) => error,
    });
    expect(await graph.starting().done).toBe(oops);
    expect(ran).toEqual([]);
  });

  test('an onError to the state itself restarts it with the error, as a retry', async () => {
    const graph = defineStates({
      flaky: {
        onError: 'flaky',
        body: (_ctx, error?: Error) => {
          const attempt = Number(error?.message ?? 0) + 1;
          if (attempt < 3) throw new Error(String(attempt));
          return `succeeded on attempt ${attempt}`;
        },
      },
    });
    expect(await graph.flaky().done).toBe('succeeded on attempt 3');
  });

  test('a decorated method gets the error as its first argument', async () => {
    class Uploader {
      @state({ onError: 'failed' })
      async uploading() {
        throw new Error('disk full');
      }
      @state()
      async failed(error: Error) {
        return `${error.message}, in ${runOf(this)?.state}`;
      }
    }
    const uploader = new Uploader();
    uploader.uploading();
    expect(await runOf(uploader)?.done).toBe('disk full, in failed');
  });

  test('without onError, a failure fails the run as before', async () => {
    const graph = defineStates({
      a: () => {
        throw new Error('unhandled by the graph');
      },
    });
    const run = graph.a();
    await expect(run.done).rejects.toThrow('unhandled by the graph');
    expect(run.actor.getSnapshot().status).toBe('error');
  });
});

describe('errors as transitions: definition checks and XState', () => {
  const loose = defineStates as (definitions: object, options?: object) => unknown;

  test('an onError naming no state is a StateDefinitionError naming it, with the closest name', () => {
    const define = () => loose({ a: { onError: 'recoverng', body: () => {} }, recovering: () => {} });
    expect(define).toThrow(StateDefinitionError);
    expect(define).toThrow(
      'defineStates: state "a" names "recoverng" as its onError, but there is no such state (did you mean "recovering"?).',
    );
    expect(() => loose({ a: { onError: 42, body: () => {} } })).toThrow(TypeError);
    class Job {
      @state({ onError: 'nowhere' })
      run() {}
    }
    expect(() => new Job()).toThrow(/class Job: state "run" names "nowhere" as its onError/);
  });

  test('an onError target counts as reached: it is no unreachable state', () => {
    expect(() =>
      loose({ a: { onError: 'b', body: () => {} }, b: () => {} }, { unreachable: 'error' }),
    ).not.toThrow();
  });

  test("onError is the invoke's onError in toJSON, labelled error in machineGraph and Mermaid", async () => {
    const graph = defineStates(
      { working: { onError: 'broken', body: () => {} }, broken: (_ctx, error: unknown) => error },
      { id: 'job' },
    );
    const json = JSON.parse(JSON.stringify(graph.machine.toJSON()));
    expect(json.states.working.on['xstate.error.actor.body:working']).toMatchObject([
      { target: ['#job.broken'], actions: ['setError'] },
    ]);
    expect(graph.machine.config.states?.working?.invoke).toMatchObject({ onError: { target: 'broken' } });
    const edges = machineGraph(graph.machine).edges.map(
      (edge) => `${edge.source} -${edge.label}-> ${edge.target}`,
    );
    expect(edges).toContain('job.working -error-> job.broken');
    expect(toMermaid(graph.machine)).toContain('s0 --> s1 : error');
    // Any XState client sees the same: the error becomes the next state's argument.
    const failing = defineStates({
      working: {
        onError: 'broken',
        body: () => {
          throw new Error('x');
        },
      },
      broken: (_ctx, error: unknown) => (error as Error).message,
    });
    expect(await toPromise(createActor(failing.machine).start())).toBe('x');
  });
});
