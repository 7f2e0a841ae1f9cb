// onExit(state, reason): the state's XState exit action, told why the state ended; called by greenstate
// itself where XState runs no exit action (a stop, a failure of the run).
import { createTestClock, defineStates, type ExitReason, runOf, type StateContext, state } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { tick, watchUnhandledRejections } from '../support/helpers.js';

const unhandled = watchUnhandledRejections();

afterEach(() => {
  vi.restoreAllMocks();
});

/** A recorder of every hook and signal, in the order they happen. */
function journal() {
  const lines: string[] = [];
  const signals = new Map<string, AbortSignal>();
  return {
    lines,
    onStart: (name: string) => lines.push(`start ${name}`),
    onExit: (name: string, reason: ExitReason) => {
      const aborted = signals.get(name)?.aborted;
      lines.push(`exit ${name} ${JSON.stringify(reason)}${aborted === false ? ' (signal still live!)' : ''}`);
    },
    watch: (ctx: StateContext) => signals.set(ctx.state, ctx.signal),
  };
}

describe('onExit reasons', () => {
  test('a transition: after the signal aborted, before the next onStart', async () => {
    const j = journal();
    const graph = defineStates({
      a: {
        transitionsTo: 'b',
        onStart: j.onStart,
        onExit: j.onExit,
        body: (ctx: StateContext<'b'>) => {
          j.watch(ctx);
          return ctx.to.b(1);
        },
      },
      b: { onStart: j.onStart, onExit: j.onExit, body: (_ctx, n: number) => n * 2 },
    });
    expect(await graph.a().done).toBe(2);
    expect(j.lines).toEqual([
      'start a',
      'exit a {"type":"transition","to":"b"}',
      'start b',
      'exit b {"type":"return","value":2}',
    ]);
  });

  test('a timeout: the timed-out body is aborted first, then onExit, then the target starts', async () => {
    const clock = createTestClock();
    const j = journal();
    const graph = defineStates(
      {
        waiting: {
          transitionsTo: 'late',
          timeout: { after: 50, to: 'late' },
          onExit: j.onExit,
          body: (ctx) => {
            j.watch(ctx);
            ctx.signal.addEventListener('abort', () => j.lines.push('waiting aborted'));
            return ctx.sleep(Infinity);
          },
        },
        late: { onStart: j.onStart, body: () => 'late' },
      },
      { clock },
    );
    const run = graph.waiting();
    await clock.advance(50);
    expect(await run.done).toBe('late');
    expect(j.lines).toEqual(['waiting aborted', 'exit waiting {"type":"timeout","to":"late"}', 'start late']);
  });

  test('an error caught by onError is told with the error and where it went', async () => {
    const boom = new Error('boom');
    const reasons: ExitReason[] = [];
    const graph = defineStates({
      a: {
        onError: 'b',
        onExit: (_state, reason) => reasons.push(reason),
        body: () => Promise.reject(boom),
      },
      b: () => 'recovered',
    });
    expect(await graph.a().done).toBe('recovered');
    expect(reasons).toEqual([{ type: 'error', error: boom, to: 'b' }]);
    expect((reasons[0] as { error: unknown }).error).toBe(boom);
  });

  test('an error that fails the run is told before done rejects, though XState runs no exit action then', async () => {
    const boom = new Error('boom');
    const lines: string[] = [];
    const graph = defineStates({
      a: {
        onExit: (state, reason) =>
          lines.push(`${state} ${reason.type} ${(reason as { error: Error }).error.message}`),
        body: async () => {
          await tick();
          throw boom;
        },
      },
    });
    const run = graph.a();
    await run.done.catch((error: unknown) => lines.push(`done rejected: ${(error as Error).message}`));
    expect(lines).toEqual(['a error boom', 'done rejected: boom']);
  });

  test("an onStart that throws fails the run, and that state's onExit is told the error", async () => {
    const boom = new Error('no start');
    const lines: string[] = [];
    const onExit = (state: string, reason: ExitReason) => lines.push(`${state} ${reason.type}`);
    const graph = defineStates({
      a: { transitionsTo: 'b', onExit, body: (ctx: StateContext<'b'>) => ctx.to.b() },
      b: {
        onExit,
        onStart: () => {
          throw boom;
        },
        body: () => lines.push('b ran'),
      },
    });
    await expect(graph.a().done).rejects.toBe(boom);
    await expect(graph.b().done).rejects.toBe(boom);
    expect(lines).toEqual(['a transition', 'b error', 'b error']);
  });

  test('a stop: told after the signal aborted, before done resolves', async () => {
    const clock = createTestClock();
    const j = journal();
    const graph = defineStates(
      {
        idle: {
          onExit: j.onExit,
          body: (ctx) => {
            j.watch(ctx);
            return ctx.sleep(1000);
          },
        },
      },
      { clock },
    );
    const run = graph.idle();
    await clock.advance(10);
    run.stop();
    j.lines.push('stop() returned');
    expect(await run.done).toBeUndefined();
    expect(j.lines).toEqual(['exit idle {"type":"stop"}', 'stop() returned']);
    expect(clock.pending).toBe(0);
  });

  test('for methods, this is the object, on every path', async () => {
    const clock = createTestClock();
    class Light {
      exits: string[] = [];
      @state({ transitionsTo: ['on'], timeout: { after: 10, to: 'on' }, onExit: record, clock })
      async off() {
        return new Promise(() => {});
      }
      @state({ transitionsTo: ['off'], onExit: record })
      async on() {
        return new Promise(() => {});
      }
    }
    function record(this: Light, state: string, reason: ExitReason) {
      this.exits.push(`${state}: ${reason.type}`);
    }
    const light = new Light();
    light.off();
    await clock.advance(10);
    light.off(); // from outside: a transition of its run
    await clock.advance(10);
    runOf(light)?.stop();
    expect(light.exits).toEqual(['off: timeout', 'on: transition', 'off: timeout', 'on: stop']);
  });
});

describe('onExit failures', () => {
  test('a throwing or rejecting onExit is reported and never breaks the run', async () => {
    const errors: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args);
    });
    const graph = defineStates({
      a: {
        transitionsTo: 'b',
        onExit: () => {
          throw new Error('exit hook broke');
        },
        body: (ctx: StateContext<'b'>) => ctx.to.b(),
      },
      b: { onExit: async () => Promise.reject(new Error('async exit hook broke')), body: () => 'fine' },
    });
    expect(await graph.a().done).toBe('fine');
    await tick();
    expect(errors.map((args) => [args[0], (args[1] as Error).message])).toEqual([
      [
        'greenstate: onExit of state "a" (defineStates) failed while reporting why the state ended (transition):',
        'exit hook broke',
      ],
      [
        'greenstate: onExit of state "b" (defineStates) failed while reporting why the state ended (return):',
        'async exit hook broke',
      ],
    ]);
    expect(unhandled).toEqual([]);
  });

  test('a state method called from onExit is refused (reported), and changes nothing', async () => {
    const errors: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((_message: unknown, error: unknown) => {
      errors.push(error);
    });
    class Door {
      @state({ transitionsTo: 'open', onExit: reopen })
      async closed() {
        return this.open();
      }
      @state({ transitionsTo: 'closed' })
      async open() {
        return 'open';
      }
    }
    function reopen(this: Door) {
      this.closed();
    }
    const door = new Door();
    door.closed();
    expect(await runOf(door)?.done).toBe('open');
    expect(String(errors[0])).toContain('closed() was called from an onExit');
  });
});
