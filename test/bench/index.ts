// npm run bench [-- --quick] [-- --json FILE]: calls per second of greenstate handlers, side by side
// with p-queue (concurrency 1), in one run.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { DeferredCallHandler } from 'greenstate';
import PQueue from 'p-queue';
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

const results: Result[] = [];
for (const bench of cases) results.push(await measure(bench, quick ? 3 : 15, quick ? 1 : 3));
const ratio = (a: string, b: string) =>
  (results.find((r) => r.name.startsWith(a))?.nsPerOp ?? Number.NaN) /
  (results.find((r) => r.name.startsWith(b))?.nsPerOp ?? Number.NaN);
const ratios = {
  onewayVsPQueue: ratio('p-queue task (concurrency 1)', 'greenstate oneway'),
  syncVsPQueue: ratio('p-queue task (batches', 'greenstate sync'),
};

console.log(table(results));
console.log(JSON.stringify(ratios, null, 2));
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ results, ratios }, null, 2)}\n`);
