// State timeouts: `timeout: { after, to, args }`, compiled as the state's XState `after` transition.
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

const waitForever = (ctx: StateContext) => ctx.sleep(Infinity);

describe('state timeouts', () => {
  test('a state still current after its timeout moves the run to its target with the given args', async () => {
    const clock = createTestClock();
    let signal: AbortSignal | undefined;
    const call = defineStates(
      {
        ringing: {
          transitionsTo: 'missed',
          timeout: { after: 5000, to: 'missed', args: ['no answer', 5] },
          body: (ctx) => {
            signal = ctx.signal;
            return ctx.sleep(Infinity);
          },
        },
        missed: (_ctx, why: string, rings: number) => `${why} after ${rings} rings`,
      },
      { clock },
    );
    const run = call.ringing();
    await clock.advance(4999);
    expect(run.state).toBe('ringing');
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(signal?.aborted).toBe(true);
    expect(await run.done).toBe('no answer after 5 rings');
    expect(clock.pending).toBe(0);
  });

  test('a transition before the deadline cancels the timer: no timer outlives its state', async () => {
    const clock = createTestClock();
    const reached: string[] = [];
    const door = defineStates(
      {
        closing: {
          transitionsTo: ['closed', 'jammed'],
          timeout: { after: 1000, to: 'jammed' },
          body: async (ctx: StateContext<'closed'>) => {
            await ctx.sleep(300);
            return ctx.to.closed();
          },
        },
        closed: { transitionsTo: 'closing', body: async (ctx) => ctx.sleep(Infinity) },
        jammed: () => reached.push('jammed'),
      },
      { clock },
    );
    const run = door.closing();
    await clock.advance(300);
    expect(run.state).toBe('closed');
    expect(clock.pending).toBe(0); // the timeout's timer went with its state; closed sleeps forever, with no timer
    await clock.advance(10_000);
    expect(run.state).toBe('closed');
    expect(reached).toEqual([]);
    run.stop();
  });

  test('a timeout to the state itself restarts its body, once per deadline', async () => {
    const clock = createTestClock();
    const starts: number[] = [];
    const poll = defineStates(
      {
        polling: {
          transitionsTo: ['polling'],
          timeout: { after: 100, to: 'polling' },
          body: (ctx) => {
            starts.push(clock.now);
            return ctx.sleep(Infinity);
          },
        },
      },
      { clock },
    );
    const run = poll.polling();
    await clock.advance(350);
    expect(starts).toEqual([0, 100, 200, 300]);
    run.stop();
    expect(clock.pending).toBe(0);
  });

  test('stopping a run, or its failing, clears the timeout timer', async () => {
    const clock = createTestClock();
    const graph = defineStates(
      {
        waiting: { transitionsTo: 'late', timeout: { after: 100, to: 'late' }, body: waitForever },
        failing: {
          transitionsTo: 'late',
          timeout: { after: 100, to: 'late' },
          body: async (ctx) => {
            await ctx.sleep(10);
            throw new Error('broken');
          },
        },
        late: () => 'late',
      },
      { clock, unreachable: 'ignore' },
    );
    const stopped = graph.waiting();
    await clock.advance(0);
    expect(clock.pending).toBe(1);
    stopped.stop();
    expect(clock.pending).toBe(0);
    expect(await stopped.done).toBeUndefined();
    const failed = graph.failing();
    const done = failed.done.catch((error: unknown) => error);
    await clock.advance(10);
    expect(((await done) as Error).message).toBe('broken');
    expect(clock.pending).toBe(0);
  });

  test('a decorated method times out the same way, on the class clock', async () => {
    const clock = createTestClock();
    class Modem {
      tries = 0;
      @state({ transitionsTo: ['dialing', 'offline'], timeout: { after: 30, to: 'dialing' }, clock })
      async dialing() {
        this.tries++;
        if (this.tries === 3) return this.offline(this.tries);
        return new Promise(() => {});
      }
      @state()
      async offline(tries: number) {
        return `gave up after ${tries} tries`;
      }
    }
    const modem = new Modem();
    modem.dialing();
    const run = runOf(modem);
    await clock.advance(60);
    expect(await run?.done).toBe('gave up after 3 tries');
  });

  test('an actor of the machine created with an XState clock times out on that clock', async () => {
    const clock = createTestClock();
    const graph = defineStates({
      idle: { transitionsTo: 'asleep', timeout: { after: 60_000, to: 'asleep' }, body: waitForever },
      asleep: () => 'zzz',
    });
    const actor = createActor(graph.machine, { clock }).start();
    await clock.advance(60_000);
    expect(await toPromise(actor)).toBe('zzz');
  });
});

describe('state timeouts: definition checks', () => {
  const loose = defineStates as (definitions: object, options?: object) => unknown;

  test('a timeout whose target its state does not list is a StateDefinitionError naming it', () => {
    const define = () =>
      loose({
        a: { transitionsTo: 'b', timeout: { after: 10, to: 'c' }, body: () => {} },
        b: () => {},
        c: () => {},
      });
    expect(define).toThrow(StateDefinitionError);
    expect(define).toThrow(
      'defineStates: timeout of state "a" moves the run to "c", which its transitionsTo does not list (it lists b).',
    );
    class Lamp {
      @state({ timeout: { after: 10, to: 'off' } } as never)
      on() {}
      @state()
      off() {}
    }
    expect(() => new Lamp()).toThrow(/timeout of state "on" moves the run to "off", which its transitionsTo/);
  });

  test('a timeout that is not a finite number of milliseconds ≥ 0 is a RangeError', () => {
    for (const after of [-1, Number.NaN, Number.POSITIVE_INFINITY, '10', 2 ** 31]) {
      expect(() =>
        loose({ a: { transitionsTo: 'b', timeout: { after, to: 'b' }, body: () => {} }, b: () => {} }),
      ).toThrow(RangeError);
    }
    expect(() =>
      loose({ a: { transitionsTo: 'b', timeout: { after: -1, to: 'b' }, body: () => {} }, b: () => {} }),
    ).toThrow(
      'defineStates: timeout of state "a": after must be a finite number of milliseconds ≥ 0, got -1.',
    );
  });

  test('a malformed timeout is refused: missing fields, unknown keys, args that are no array', () => {
    const a = (timeout: unknown) => () =>
      loose({ a: { transitionsTo: 'b', timeout, body: () => {} }, b: () => {} });
    expect(a({ after: 10 })).toThrow(TypeError);
    expect(a({ to: 'b' })).toThrow("needs { after: ms, to: 'state' }");
    expect(a({ after: 10, to: 'b', arg: [] })).toThrow(/has no option "arg" \(did you mean "args"\?\)/);
    expect(a({ after: 10, to: 'b', args: 'x' })).toThrow('args must be an array');
    expect(a(500)).toThrow(TypeError);
  });
});

describe('state timeouts in XState', () => {
  const graph = defineStates(
    {
      ringing: {
        transitionsTo: ['talking', 'missed'],
        timeout: { after: 500, to: 'missed' },
        body: waitForever,
      },
      talking: () => {},
      missed: () => {},
    },
    { id: 'phone' },
  );

  test("a timeout is the state's after transition in machine.toJSON()", () => {
    const json = JSON.parse(JSON.stringify(graph.machine.toJSON()));
    expect(json.states.ringing.on['xstate.after.500.phone.ringing']).toMatchObject([
      { delay: 500, target: ['#phone.missed'], eventType: 'xstate.after.500.phone.ringing' },
    ]);
    expect(graph.machine.config.states?.ringing?.after).toMatchObject({ 500: { target: 'missed' } });
  });

  test('a run restored from its persisted snapshot times out again, counting from the restore', async () => {
    const clock = createTestClock();
    const first = createActor(graph.machine, { clock }).start();
    await clock.advance(400);
    const saved = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    const later = createTestClock();
    const restored = createActor(graph.machine, { clock: later, snapshot: saved }).start();
    expect(restored.getSnapshot().value).toBe('ringing');
    expect(later.pending).toBe(1);
    await later.advance(499);
    expect(restored.getSnapshot().value).toBe('ringing');
    await later.advance(1);
    expect(restored.getSnapshot().value).toBe('done'); // missed, which returned
    expect(later.pending).toBe(0);
  });

  test('machineGraph and Mermaid label it "after 500 ms"', () => {
    const edges = machineGraph(graph.machine).edges.map(
      (edge) => `${edge.source} -${edge.label}-> ${edge.target}`,
    );
    expect(edges).toContain('phone.ringing -after 500 ms-> phone.missed');
    expect(machineGraph(graph.machine).nodes.find((node) => node.key === 'ringing')?.entry).toEqual([]);
    expect(toMermaid(graph.machine)).toContain('s0 --> s2 : after 500 ms');
  });
});
