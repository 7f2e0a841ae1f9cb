// The benchmark cases. Each runs in its own process (see index.ts): `run(n)` does n operations.
import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
import PQueue from 'p-queue';
import { assign, createActor, createMachine, fromPromise, setup } from 'xstate';

export interface TimeCase {
  kind: 'time';
  description: string;
  /** Operations per run (full, quick). */
  n: [number, number];
  /** Measured runs in a full benchmark (default 15). */
  runs?: number;
  /** Does n operations; may return the nanoseconds of the part to measure (default: all of it). */
  run(n: number): Promise<number | undefined> | Promise<void> | void;
}

export interface MemoryCase {
  kind: 'memory';
  description: string;
  n: [number, number];
  /** Makes n instances and returns them (kept alive while the heap is measured). */
  make(n: number): Promise<unknown[]> | unknown[];
}

export interface DeadlineCase {
  kind: 'deadlines';
  description: string;
  n: [number, number];
  /** Settles n pending sync calls with deadlines; resolves with the timers left active afterwards. */
  run(n: number): Promise<number>;
}

export type Case = TimeCase | MemoryCase | DeadlineCase;

const BATCH = 100;
/** Where baseline work adds up, so that it is observable (and not optimized away). */
export const sink = { total: 0 };

class Sink extends DeferredCallHandler {
  total = 0;
  add(k: number) {
    this.total += k;
    return this.total;
  }
  other(k: number) {
    this.total -= k;
  }
}

/**
 * Queues oneway calls `size` at a time, every other one to `other`, and processes each queue (with a
 * whitelist admitting only `add`, if asked), until `n` calls have run. Measures the queueing and the
 * processing, not the closing that drops the deferred half.
 */
async function queueThenProcess(n: number, size: number, whitelist: boolean): Promise<number> {
  let elapsed = 0n;
  for (let ran = 0; ran < n; ran += whitelist ? size / 2 : size) {
    const target = new Sink({ onOnewayError: () => {} });
    const start = process.hrtime.bigint();
    for (let i = 0; i < size; i++) {
      if (i % 2 === 0) target.oneway.add(i);
      else target.oneway.other(i);
    }
    await target.process(whitelist ? { whitelist: ['add'] } : {});
    elapsed += process.hrtime.bigint() - start;
    target.close();
  }
  return Number(elapsed);
}

/** The floor of scaling: plain array queues of call records, `size` at a time, `n` calls in all. */
async function arrayQueue(n: number, size: number): Promise<void> {
  for (let ran = 0; ran < n; ran += size) {
    const target = new Sink();
    const queue: { method: 'add' | 'other'; args: [number] }[] = [];
    for (let i = 0; i < size; i++) queue.push({ method: i % 2 === 0 ? 'add' : 'other', args: [i] });
    await undefined;
    for (const call of queue) target[call.method](...call.args);
    sink.total += target.total;
  }
}

/** A ping-pong of two states, `n` transitions in all. */
const pingPong = (n: number) =>
  defineStates({
    ping: { transitionsTo: 'pong', body: (ctx: StateContext<'pong'>, i: number) => ctx.to.pong(i + 1) },
    pong: {
      transitionsTo: 'ping',
      body: (ctx: StateContext<'ping'>, i: number) => (i < n ? ctx.to.ping(i + 1) : i),
    },
  });

/** The same ping-pong written by hand in XState: one fromPromise body per state, transitions on done. */
function handPingPong(n: number) {
  const body = fromPromise(async ({ input }: { input: number }) => input);
  return setup({ actors: { ping: body, pong: body } }).createMachine({
    context: { i: 0 },
    initial: 'ping',
    states: {
      ping: {
        invoke: {
          src: 'ping',
          input: ({ context }) => context.i,
          onDone: { target: 'pong', actions: assign({ i: ({ event }) => event.output + 1 }) },
        },
      },
      pong: {
        invoke: {
          src: 'pong',
          input: ({ context }) => context.i,
          onDone: [
            {
              guard: ({ event }) => event.output < n,
              target: 'ping',
              actions: assign({ i: ({ event }) => event.output + 1 }),
            },
            { target: 'done' },
          ],
        },
      },
      done: { type: 'final' },
    },
  });
}

const bare = createMachine({});
const waiting = defineStates({ waiting: () => new Promise(() => {}) }, { id: 'waiting' });

export const cases: Record<string, Case> = {
  oneway: {
    kind: 'time',
    description: 'greenstate oneway call: 2·10^5 queued, then one process()',
    n: [200_000, 2_000],
    async run(n) {
      const sink = new Sink();
      for (let i = 0; i < n; i++) sink.oneway.add(i);
      await sink.process();
    },
  },
  observedOneway: {
    kind: 'time',
    description: 'greenstate oneway call to a handler with a subscriber: 2·10^5 queued, then one process()',
    n: [200_000, 2_000],
    async run(n) {
      const sink = new Sink();
      let snapshots = 0;
      sink.ref.subscribe(() => {
        snapshots++;
      });
      for (let i = 0; i < n; i++) sink.oneway.add(i);
      await sink.process();
      sink.total += snapshots;
    },
  },
  sync: {
    kind: 'time',
    description: `greenstate sync call, in awaited batches of ${BATCH}, a forever loop processing`,
    n: [200_000, 2_000],
    async run(n) {
      const sink = new Sink();
      const processing = sink.process({ forever: true });
      for (let done = 0; done < n; done += BATCH) {
        const calls: Promise<number>[] = [];
        for (let i = 0; i < BATCH; i++) calls.push(sink.sync.add(i));
        await Promise.all(calls);
      }
      sink.stopProcessing();
      await processing;
    },
  },
  pQueue: {
    kind: 'time',
    description: 'p-queue (concurrency 1) task running the same addition',
    n: [200_000, 2_000],
    async run(n) {
      const queue = new PQueue({ concurrency: 1 });
      for (let i = 0; i < n; i++) {
        queue.add(() => {
          sink.total += i;
        });
      }
      await queue.onIdle();
    },
  },
  pQueueSync: {
    kind: 'time',
    description: `p-queue (concurrency 1) task, in awaited batches of ${BATCH}`,
    n: [200_000, 2_000],
    async run(n) {
      const queue = new PQueue({ concurrency: 1 });
      for (let done = 0; done < n; done += BATCH) {
        const tasks: Promise<number>[] = [];
        for (let i = 0; i < BATCH; i++) tasks.push(queue.add(() => (sink.total += i)));
        await Promise.all(tasks);
      }
    },
  },
  rawXState: {
    kind: 'time',
    description: 'a raw XState actor receiving one event per call, whose action runs the call',
    n: [200_000, 2_000],
    run(n) {
      const machine = setup({ types: {} as { events: { type: 'call'; k: number } } }).createMachine({
        on: {
          call: {
            actions: ({ event }) => {
              sink.total += event.k;
            },
          },
        },
      });
      const actor = createActor(machine).start();
      for (let i = 0; i < n; i++) actor.send({ type: 'call', k: i });
      actor.stop();
    },
  },
  floor: {
    kind: 'time',
    description: 'the floor: a hand-written array queue of calls, drained on the next turn',
    n: [200_000, 2_000],
    async run(n) {
      const target = new Sink();
      const queue: { method: 'add'; args: [number] }[] = [];
      for (let i = 0; i < n; i++) queue.push({ method: 'add', args: [i] });
      await undefined;
      for (const call of queue) target[call.method](...call.args);
      sink.total += target.total;
    },
  },
  scaling1e3: {
    kind: 'time',
    description: 'oneway calls processed from queues of 10^3 (10^6 calls per run)',
    n: [1_000_000, 10_000],
    runs: 7,
    run: (n) => queueThenProcess(n, 1000, false),
  },
  scaling1e6: {
    kind: 'time',
    description: 'oneway calls processed from one queue of 10^6',
    n: [1_000_000, 10_000],
    runs: 7,
    run: (n) => queueThenProcess(n, n, false),
  },
  scalingWhitelist1e3: {
    kind: 'time',
    description: 'admitted calls, from queues of 10^3 where a whitelist defers half',
    n: [1_000_000, 10_000],
    runs: 7,
    run: (n) => queueThenProcess(n, 1000, true),
  },
  scalingWhitelist1e6: {
    kind: 'time',
    description: 'admitted calls, from queues of 10^6 where a whitelist defers half',
    n: [1_000_000, 10_000],
    runs: 7,
    run: (n) => queueThenProcess(n, n, true),
  },
  floorScaling1e3: {
    kind: 'time',
    description: 'the floor: array queues of 10^3 call records, each drained on the next turn',
    n: [1_000_000, 10_000],
    runs: 7,
    run: (n) => arrayQueue(n, 1000),
  },
  floorScaling1e6: {
    kind: 'time',
    description: 'the floor: one array queue of 10^6 call records',
    n: [1_000_000, 10_000],
    runs: 7,
    run: (n) => arrayQueue(n, n),
  },
  transition: {
    kind: 'time',
    description: 'a transition of a defineStates ping-pong graph',
    n: [20_000, 200],
    async run(n) {
      await pingPong(n).ping(0).done;
    },
  },
  handXState: {
    kind: 'time',
    description: 'a transition of the same graph written by hand in XState, one fromPromise per state',
    n: [20_000, 200],
    async run(n) {
      const actor = createActor(handPingPong(n));
      await new Promise<void>((resolve) => {
        actor.subscribe({ complete: resolve });
        actor.start();
      });
    },
  },
  asyncLoop: {
    kind: 'time',
    description: 'a transition of a plain async loop (the floor)',
    n: [20_000, 200],
    async run(n) {
      let state: 'ping' | 'pong' = 'ping';
      for (let i = 0; i < n; i++) {
        await Promise.resolve(i);
        state = state === 'ping' ? 'pong' : 'ping';
      }
      sink.total += state.length;
    },
  },
  bareActorMemory: {
    kind: 'memory',
    description: 'heap per bare XState actor (createMachine({}), started)',
    n: [10_000, 200],
    make: (n) => Array.from({ length: n }, () => createActor(bare).start()),
  },
  idleHandlerMemory: {
    kind: 'memory',
    description: 'heap per idle greenstate handler',
    n: [10_000, 200],
    make: (n) => Array.from({ length: n }, () => new Sink()),
  },
  runMemory: {
    kind: 'memory',
    description: 'heap per running defineStates machine (its body waiting)',
    n: [10_000, 200],
    async make(n) {
      const runs = Array.from({ length: n }, () => waiting.waiting());
      await new Promise((resolve) => setImmediate(resolve)); // every body has started
      return runs;
    },
  },
  deadlines: {
    kind: 'deadlines',
    description: 'settling 10^5 pending sync calls with deadlines, then counting timers left',
    n: [100_000, 1_000],
    async run(n) {
      const sink = new Sink();
      const calls: Promise<number>[] = [];
      for (let i = 0; i < n; i++) calls.push(sink.sync({ timeout: 60_000 }).add(i));
      await sink.process();
      await Promise.all(calls);
      await new Promise((resolve) => setImmediate(resolve));
      return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    },
  },
};
