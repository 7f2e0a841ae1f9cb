// npm start: the plant lifecycle and the resource manager, followed live in the visualizer.
// npm start -- --once: the same, briefly, printing the transitions and calls, then exit.
// PORT=4401 npm start (or npm start -- --port 4401) chooses the port.
import { parseArgs } from 'node:util';
import type { StateRun } from 'greenstate';
import { type TimelineEntry, visualize } from 'greenstate/visualizer';
import { plantLifecycle } from './plant.js';
import { runResourceManager } from './resourceManager.js';

const USAGE = 'usage: npm start [-- --once] [-- --port N]   (or PORT=N npm start; port 0: any free port)';
let options: { once?: boolean; port?: string };
try {
  ({ values: options } = parseArgs({
    args: process.argv.slice(2),
    options: { once: { type: 'boolean' }, port: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  console.error(`greenstate demo: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const once = options.once === true;
const portText = options.port ?? (process.env.PORT || (once ? '0' : '4400'));
const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
if (!Number.isInteger(port) || port > 65535) {
  console.error(`greenstate demo: the port must be an integer from 0 to 65535, got "${portText}".\n${USAGE}`);
  process.exit(2);
}

let viz: Awaited<ReturnType<typeof visualize>>;
try {
  viz = await visualize({ port });
} catch (error) {
  const inUse = (error as { code?: string }).code === 'EADDRINUSE';
  console.error(
    inUse
      ? `greenstate demo: port ${port} on 127.0.0.1 is in use (another demo?). Choose another: PORT=${port + 1} npm start, or npm start -- --port ${port + 1}.`
      : `greenstate demo: the visualizer could not start: ${String(error)}`,
  );
  process.exit(1);
}
const stop = new AbortController();
const format = (entry: TimelineEntry) => `${entry.actor}: ${entry.text}`;
if (once) viz.onTimeline((entry) => console.log(format(entry)));
console.log(
  `greenstate demo: the visualizer is at ${viz.url} ${once ? '(until the demo ends, in a few seconds)' : '(Ctrl-C stops the demo)'}`,
);

// Plants grow in beds; when one dies, the bed starts a new one, eaten or not at random.
const day = once ? 5 : 700;
const plant = plantLifecycle(day, once ? console.log : () => {});
viz.add(plant);
const runs = new Set<StateRun>();
async function bed(plants: number) {
  for (let i = 0; i < plants && !stop.signal.aborted; i++) {
    const run = plant.sprouting(Math.random() < 0.4);
    runs.add(run);
    viz.add(run);
    await run.done;
    runs.delete(run);
  }
}

const beds = [bed(once ? 2 : Number.POSITIVE_INFINITY), bed(once ? 1 : Number.POSITIVE_INFINITY)];
const manager = runResourceManager({
  rounds: once ? 3 : Number.POSITIVE_INFINITY,
  stepMs: once ? 2 : 400,
  storeMs: once ? 0 : 100,
  log: once ? console.log : () => {},
  handler: { name: 'manager', inspect: viz.inspect, maxPending: 100 },
  signal: stop.signal,
});

// Ctrl-C (SIGINT) or a SIGTERM stops the demo cleanly. Runners such as npm and tsx may pass a signal on
// more than once: the later ones find the demo already stopping.
const stopDemo = () => {
  if (stop.signal.aborted) return;
  console.log('\ngreenstate demo: stopping');
  stop.abort();
  for (const run of runs) run.stop();
};
process.on('SIGINT', stopDemo);
process.on('SIGTERM', stopDemo);

const [reports] = await Promise.all([manager, ...beds]);
const whole = reports.every((report) => [0, 3].includes(Object.keys(report).length));
console.log(
  `done: the consumer read ${reports.length} reports, ${whole ? 'none' : 'some'} of them half-built`,
);
await viz.close();
