// npm run bench [-- --quick] [-- --json FILE]: calls per second of greenstate handlers, side by side
// with p-queue (concurrency 1), in one run.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
import PQueue from 'p-queue';
import { assign, createActor, fromPromise, setup } from 'xstate';
import { type Case, measure, type Result, table } from './measure.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
const scale = quick ? 0.01 : 1;
const BATCH = 100;
/** Where the p-queue tasks add up, so that their work is observable. */
let sunk = 0;

class Sink extends DeferredCallHandler {
  total = 0;
  add(k: number) {
    this.total += k;
    return this.total;
  }
}

const cases: Case[] = [
  {
    name: 'greenstate oneway (queued, then processed)',
    n: Math.ceil(200_000 * scale),
    async run(n) {
      const sink = new Sink();
      for (let i = 0; i < n; i++) sink.oneway.add(i);
      await sink.process();
    },
  },
  {
    name: `greenstate sync (batches of ${BATCH}, awaited)`,
    n: Math.ceil(200_000 * scale),
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
  {
    name: 'p-queue task (concurrency 1)',
    n: Math.ceil(200_000 * scale),
    async run(n) {
      const queue = new PQueue({ concurrency: 1 });
      for (let i = 0; i < n; i++) {
        queue.add(() => {
          sunk += i;
        });
      }
      await queue.onIdle();
    },
  },
  {
    name: `p-queue task (batches of ${BATCH}, awaited)`,
    n: Math.ceil(200_000 * scale),
    async run(n) {
      const queue = new PQueue({ concurrency: 1 });
      for (let done = 0; done < n; done += BATCH) {
        const tasks: Promise<number>[] = [];
        for (let i = 0; i < BATCH; i++) tasks.push(queue.add(() => (sunk += i)));
        await Promise.all(tasks);
      }
    },
  },
];

/** A ping-pong of two states, `n` transitions in all. */
function pingPong(n: number) {
  return defineStates({
    ping: { transitionsTo: 'pong', body: (ctx: StateContext<'pong'>, i: number) => ctx.to.pong(i + 1) },
    pong: {
      transitionsTo: 'ping',
      body: (ctx: StateContext<'ping'>, i: number) => (i < n ? ctx.to.ping(i + 1) : i),
    },
  });
}

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

cases.push(
  {
    name: 'defineStates transition (ping-pong)',
    n: Math.ceil(20_000 * scale),
    async run(n) {
      await pingPong(n).ping(0).done;
    },
  },
  {
    name: 'hand-written XState transition (fromPromise per state)',
    n: Math.ceil(20_000 * scale),
    async run(n) {
      const actor = createActor(handPingPong(n));
      await new Promise<void>((resolve) => {
        actor.subscribe({ complete: resolve });
        actor.start();
      });
    },
  },
  {
    name: 'plain async loop transition (floor)',
    n: Math.ceil(20_000 * scale),
    async run(n) {
      let state: 'ping' | 'pong' = 'ping';
      for (let i = 0; i < n; i++) {
        await Promise.resolve(i);
        state = state === 'ping' ? 'pong' : 'ping';
      }
      sunk += state.length;
    },
  },
);

const results: Result[] = [];
for (const bench of cases) results.push(await measure(bench, quick ? 3 : 15, quick ? 1 : 3));
const ratio = (a: string, b: string) =>
  (results.find((r) => r.name.startsWith(a))?.nsPerOp ?? Number.NaN) /
  (results.find((r) => r.name.startsWith(b))?.nsPerOp ?? Number.NaN);
const ratios = {
  onewayVsPQueue: ratio('p-queue task (concurrency 1)', 'greenstate oneway'),
  syncVsPQueue: ratio('p-queue task (batches', 'greenstate sync'),
  transitionVsHandXState: ratio('defineStates transition', 'hand-written XState transition'),
};

console.log(table(results));
console.log(JSON.stringify(ratios, null, 2));
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ results, ratios }, null, 2)}\n`);
