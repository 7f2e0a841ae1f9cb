// The benchmark cases. A time case's `run(n)` does n operations (it may return the nanoseconds of the
// part to measure); a memory case makes n instances and returns them. index.ts pairs them.
import { Worker } from 'node:worker_threads';
import { wrap } from 'comlink';
import adapter from 'comlink/dist/umd/node-adapter.js';
import {
  connectHandler,
  DeferredCallHandler,
  defineStates,
  type RemoteHandler,
  type StateContext,
} from 'greenstate';
import PQueue from 'p-queue';
import {
  type AnyActorRef,
  assign,
  createActor,
  createMachine,
  fromPromise,
  type InspectionEvent,
  setup,
} from 'xstate';
import { spreadCases } from './spreadCases.js';

export interface TimeCase {
  kind: 'time';
  description: string;
  /** Operations per run (full, quick). */
  n: [number, number];
  /** Does n operations; may return the nanoseconds of the part to measure (default: all of it). */
  run(n: number): Promise<number | undefined> | Promise<void> | number | undefined | void;
}

export interface MemoryCase {
  kind: 'memory';
  description: string;
  n: [number, number];
  /** Makes n instances and returns what keeps them alive while the heap is measured. */
  make(n: number): Promise<unknown> | unknown;
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

/** An inspector that looks at every event, as a real one would. */
const inspector = () => (event: InspectionEvent) => {
  sink.total += event.type.length;
};
/** A subscriber that looks at every snapshot. */
const subscriber = (actor: AnyActorRef) =>
  actor.subscribe((snapshot: { status: string }) => {
    sink.total += snapshot.status.length;
  });

type Observed = 'traced' | 'inspected' | 'subscribed';

/** A handler as each observed case has it: every handler's calls reach its actor (traced), plus more. */
function observedSink(how: Observed): Sink {
  const handler = new Sink(how === 'inspected' ? { inspect: inspector() } : {});
  if (how === 'subscribed') subscriber(handler.ref);
  return handler;
}

/** The fair baseline of an observed queue: a raw XState actor with an `assign` per event, observed alike. */
function rawAssignActor(how: Observed) {
  const machine = setup({
    types: {} as { context: { total: number }; events: { type: 'call'; k: number } },
  }).createMachine({
    context: { total: 0 },
    on: { call: { actions: assign({ total: ({ context, event }) => context.total + event.k }) } },
  });
  const actor = createActor(machine, how === 'inspected' ? { inspect: inspector() } : {}).start();
  if (how === 'subscribed') subscriber(actor);
  return actor;
}

async function oneways(handler: Sink, n: number): Promise<void> {
  for (let i = 0; i < n; i++) handler.oneway.add(i);
  await handler.process();
}

async function syncs(handler: Sink, n: number): Promise<void> {
  const processing = handler.process({ forever: true });
  for (let done = 0; done < n; done += BATCH) {
    const calls: Promise<number>[] = [];
    for (let i = 0; i < BATCH; i++) calls.push(handler.sync.add(i));
    await Promise.all(calls);
  }
  handler.stopProcessing();
  await processing;
}

/**
 * Queues oneway calls `size` at a time, every other one to `other`, and processes each queue (with a
 * whitelist admitting only `add`, if asked), until `n` calls have run. Times the queueing and the
 * processing only, not the handlers' creation and closing.
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

/** The floor: plain array queues of call records, `size` at a time, each drained on the next turn. */
async function arrayQueue(n: number, size: number): Promise<number> {
  let elapsed = 0n;
  const target = new Sink();
  for (let ran = 0; ran < n; ran += size) {
    const start = process.hrtime.bigint();
    const queue: { method: 'add' | 'other'; args: [number] }[] = [];
    for (let i = 0; i < size; i++) queue.push({ method: i % 2 === 0 ? 'add' : 'other', args: [i] });
    await undefined;
    for (const call of queue) target[call.method](...call.args);
    elapsed += process.hrtime.bigint() - start;
  }
  sink.total += target.total;
  return Number(elapsed);
}

// Comlink's build for Node is CommonJS: its node adapter's module is the function itself, which its
// types call the module's default export.
const nodeEndpoint = adapter as unknown as typeof adapter.default;

/** A worker thread serving an adder (sinkWorker.mjs), through greenstate or Comlink. */
const sinkWorker = (serve: 'greenstate' | 'comlink') =>
  new Worker(new URL('./sinkWorker.mjs', import.meta.url), { workerData: serve });

/** Each benchmark process starts each worker once, on first use: a worker's start is never measured. */
let remoteSink: RemoteHandler<Sink> | undefined;
let comlinkSink: { add(k: number): Promise<number> } | undefined;

/**
 * Times `n` calls, in awaited batches of `BATCH`, after one call has made sure that the other side is
 * up (the worker's start is not measured).
 */
async function timedBatches(call: (i: number) => Promise<number>, n: number): Promise<number> {
  sink.total += await call(0);
  const start = process.hrtime.bigint();
  for (let done = 0; done < n; done += BATCH) {
    const calls: Promise<number>[] = [];
    for (let i = 0; i < BATCH; i++) calls.push(call(i));
    await Promise.all(calls);
  }
  return Number(process.hrtime.bigint() - start);
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
/** A hand-written machine whose one state invokes a promise actor that never settles: a run's XState floor. */
const invoking = createMachine({
  initial: 'waiting',
  states: { waiting: { invoke: { src: fromPromise(() => new Promise<never>(() => {})) } } },
});
const waiting = defineStates({ waiting: () => new Promise(() => {}) }, { id: 'waiting' });

const observedCases = Object.fromEntries(
  (['traced', 'inspected', 'subscribed'] as const).flatMap((how) => [
    [
      `${how}Oneway`,
      {
        kind: 'time',
        description: `greenstate oneway call to ${how === 'inspected' ? 'an' : 'a'} ${how} handler: 2·10^4 queued, then one process()`,
        n: [20_000, 1_000],
        run: (n: number) => oneways(observedSink(how), n),
      },
    ],
    [
      `${how}XState`,
      {
        kind: 'time',
        description: `a raw XState actor, ${how} alike, receiving one event per call with an assign`,
        n: [20_000, 1_000],
        run(n: number) {
          const actor = rawAssignActor(how);
          for (let i = 0; i < n; i++) actor.send({ type: 'call', k: i });
          actor.stop();
        },
      },
    ],
    [
      `${how}Sync`,
      {
        kind: 'time',
        description: `greenstate sync call to ${how === 'inspected' ? 'an' : 'a'} ${how} handler, in awaited batches of ${BATCH}`,
        n: [20_000, 1_000],
        run: (n: number) => syncs(observedSink(how), n),
      },
    ],
  ]),
) as Record<string, TimeCase>;

export const cases: Record<string, Case> = {
  oneway: {
    kind: 'time',
    description: 'greenstate oneway call: 2·10^5 queued, then one process()',
    n: [200_000, 2_000],
    run: (n) => oneways(new Sink(), n),
  },
  floor: {
    kind: 'time',
    description: 'the floor: a hand-written array queue of calls, drained on the next turn',
    n: [200_000, 2_000],
    run: (n) => arrayQueue(n, n),
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
  sync: {
    kind: 'time',
    description: `greenstate sync call, in awaited batches of ${BATCH}, a forever loop processing`,
    n: [200_000, 2_000],
    run: (n) => syncs(new Sink(), n),
  },
  workerSync: {
    kind: 'time',
    description: `greenstate sync call to a handler in a worker_threads Worker, in awaited batches of ${BATCH}`,
    n: [20_000, 2_000],
    run(n) {
      remoteSink ??= connectHandler<typeof Sink>(sinkWorker('greenstate'));
      const remote = remoteSink;
      return timedBatches((i) => remote.sync.add(i), n);
    },
  },
  comlinkSync: {
    kind: 'time',
    description: `Comlink call of the same adder in a worker_threads Worker (its node adapter), in awaited batches of ${BATCH}`,
    n: [20_000, 2_000],
    run(n) {
      comlinkSink ??= wrap<{ add(k: number): number }>(nodeEndpoint(sinkWorker('comlink')));
      const remote = comlinkSink;
      return timedBatches((i) => remote.add(i), n);
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
  ...observedCases,
  scaling1e3: {
    kind: 'time',
    description: 'oneway calls processed from queues of 10^3 (10^6 calls per run)',
    n: [1_000_000, 10_000],
    run: (n) => queueThenProcess(n, 1000, false),
  },
  scaling1e6: {
    kind: 'time',
    description: 'oneway calls processed from one queue of 10^6',
    n: [1_000_000, 10_000],
    run: (n) => queueThenProcess(n, n, false),
  },
  scalingWhitelist1e3: {
    kind: 'time',
    description: 'admitted calls, from queues of 10^3 where a whitelist defers half',
    n: [1_000_000, 10_000],
    run: (n) => queueThenProcess(n, 1000, true),
  },
  scalingWhitelist1e6: {
    kind: 'time',
    description: 'admitted calls, from queues of 10^6 where a whitelist defers half',
    n: [1_000_000, 10_000],
    run: (n) => queueThenProcess(n, n, true),
  },
  floorScaling1e3: {
    kind: 'time',
    description: 'the floor: array queues of 10^3 call records, each drained on the next turn',
    n: [1_000_000, 10_000],
    run: (n) => arrayQueue(n, 1000),
  },
  floorScaling1e6: {
    kind: 'time',
    description: 'the floor: one array queue of 10^6 call records',
    n: [1_000_000, 10_000],
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
  onewayMemory: {
    kind: 'memory',
    description: 'heap per queued oneway call (one handler, 10^5 calls queued)',
    n: [100_000, 20_000],
    make(n) {
      const handler = new Sink();
      for (let i = 0; i < n; i++) handler.oneway.add(i);
      return handler;
    },
  },
  floorMemory: {
    kind: 'memory',
    description: 'heap per queued call record of the floor (an array of { method, args })',
    n: [100_000, 20_000],
    make(n) {
      const queue: { method: 'add'; args: [number] }[] = [];
      for (let i = 0; i < n; i++) queue.push({ method: 'add', args: [i] });
      return queue;
    },
  },
  bareActorMemory: {
    kind: 'memory',
    description: 'heap per bare XState actor (createMachine({}), started)',
    n: [10_000, 200],
    make: (n) => Array.from({ length: n }, () => createActor(bare).start()),
  },
  invokingMachineMemory: {
    kind: 'memory',
    description: 'heap per hand-written XState machine invoking one waiting fromPromise actor',
    n: [10_000, 200],
    make: (n) => Array.from({ length: n }, () => createActor(invoking).start()),
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
      const handler = new Sink();
      const calls: Promise<number>[] = [];
      for (let i = 0; i < n; i++) calls.push(handler.sync({ timeout: 60_000 }).add(i));
      await handler.process();
      await Promise.all(calls);
      await new Promise((resolve) => setImmediate(resolve));
      return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    },
  },
  ...spreadCases,
};
