// npm run bench runs this last: a sync call and a transition through a real restate-server on 127.0.0.1
// (fresh base directory, free ports), against the same call and transition in-process. Prints its table
// and ratios; with --json FILE, adds them to that file under "restate".
import { readFileSync, writeFileSync } from 'node:fs';
import { restateHandler, restateRun } from 'greenstate/restate';
import { end, freePort, restateBinary, startRestate, startService } from '../support/restate.js';
import { countdown, Tally } from './restateCases.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const rounds = quick ? 3 : 7;
const calls = quick ? 50 : 200;
const ticks = quick ? 20 : 100;

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Runs `round` `rounds` times (after one warm-up), and returns the milliseconds of each. */
async function time(round: () => Promise<void>): Promise<number[]> {
  await round();
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await round();
    ms.push(performance.now() - start);
  }
  return ms;
}

if (restateBinary === undefined) {
  console.log('Restate: the restate-server binary is missing (npm ci installs it): not measured.');
  process.exit(0);
}
const server = await startRestate(restateBinary);
const port = await freePort();
const service = await startService(new URL('./restateService.ts', import.meta.url), port, {
  TSX_TSCONFIG_PATH: new URL('./tsconfig.json', import.meta.url).pathname,
});
try {
  await server.register(port);
  const remote = restateHandler<typeof Tally>(server.ingress, 'bench', { name: 'Tally' });
  const local = new Tally();
  void local.process({ forever: true });
  let key = 0;
  const figures = {
    restateSyncMs: (
      await time(async () => {
        for (let i = 0; i < calls; i++) await remote.sync.add(1);
      })
    ).map((ms) => ms / calls),
    restateSyncWithDeadlineMs: (
      await time(async () => {
        for (let i = 0; i < calls; i++) await remote.sync({ timeout: 10_000 }).add(1);
      })
    ).map((ms) => ms / calls),
    restateOnewayMs: (
      await time(async () => {
        for (let i = 0; i < calls; i++) remote.oneway.add(1);
        await remote.sync.add(0); // runs after them all
      })
    ).map((ms) => ms / (calls + 1)),
    inProcessSyncMs: (
      await time(async () => {
        for (let i = 0; i < calls * 100; i++) await local.sync.add(1);
      })
    ).map((ms) => ms / (calls * 100)),
    restateTransitionMs: (
      await time(async () => {
        const run = restateRun<typeof countdown>(server.ingress, `run-${++key}`, { name: 'countdown' });
        await run.start(ticks);
        await run.done();
      })
    ).map((ms) => ms / (ticks + 1)),
    inProcessTransitionMs: (
      await time(async () => {
        await countdown.tick(ticks * 100).done;
      })
    ).map((ms) => ms / (ticks * 100 + 1)),
  };
  local.close();
  const m = Object.fromEntries(
    Object.entries(figures).map(([name, values]) => [name, median(values)]),
  ) as Record<keyof typeof figures, number>;
  const ratios = {
    restateSyncVsInProcess: m.restateSyncMs / m.inProcessSyncMs,
    restateTransitionVsInProcess: m.restateTransitionMs / m.inProcessTransitionMs,
  };
  console.log(
    `Restate on 127.0.0.1 (restate-server and one service process), median (min–max) over ${rounds} rounds:`,
  );
  for (const [name, values] of Object.entries(figures)) {
    const f = (ms: number) => (ms >= 0.1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(2)} µs`);
    console.log(
      `  ${name.padEnd(26)} ${f(median(values)).padStart(10)}  (${f(Math.min(...values))}–${f(Math.max(...values))})`,
    );
  }
  for (const [name, value] of Object.entries(ratios))
    console.log(`  ${name.padEnd(26)} ${value.toFixed(0).padStart(10)}`);
  console.log(
    "  (a sync call: a request–response invocation; with a deadline: a one-way invocation, then an attach to it; oneway calls: one-way invocations sent one after another, the last one awaited. A transition: the body's invocation, its outcome sent back, and the machine's step.)",
  );
  if (jsonFile) {
    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
    json.restate = { figures, ratios };
    writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  }
} finally {
  await end(service);
  await server.stop();
}
