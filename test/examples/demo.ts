// npm start: the plant lifecycle and the resource manager, followed live in the visualizer.
// npm start -- --once: the same, briefly, printing the transitions and calls, then exit.
// PORT=4401 npm start (or npm start -- --port 4401) chooses the port.
import type { StateRun } from 'greenstate';
import { type TimelineEntry, visualize } from 'greenstate/visualizer';
import { plantLifecycle } from './plant.js';
import { runResourceManager } from './resourceManager.js';

const args = process.argv.slice(2);
const once = args.includes('--once');
const portFlag = args.indexOf('--port');
const port = Number(portFlag >= 0 ? args[portFlag + 1] : (process.env.PORT ?? (once ? 0 : 4400)));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`greenstate demo: the port must be an integer from 0 to 65535, got ${String(port)}.`);
  process.exit(2);
}

const viz = await visualize({ port });
const stop = new AbortController();
const format = (entry: TimelineEntry) =>
  entry.kind === 'transition'
    ? `${entry.actor}: ${entry.from} -> ${entry.to}`
    : `${entry.actor}.${entry.method}() ${entry.oneway ? 'oneway' : 'sync'}: ${entry.outcome}${entry.ms === undefined ? '' : ` (${entry.ms} ms)`}`;
if (once) viz.onTimeline((entry) => console.log(format(entry)));
console.log(`greenstate demo: the visualizer is at ${viz.url}${once ? '' : ' (Ctrl-C stops the demo)'}`);

// Plants grow in beds; when one dies, the bed starts a new one, eaten or not at random.
const day = once ? 5 : 700;
const plant = plantLifecycle(day);
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
  log: once ? console.log : () => {},
  handler: { name: 'manager', inspect: viz.inspect },
  signal: stop.signal,
});

process.once('SIGINT', () => {
  console.log('\ngreenstate demo: stopping');
  stop.abort();
  for (const run of runs) run.stop();
});

const [reports] = await Promise.all([manager, ...beds]);
const whole = reports.every((report) => [0, 3].includes(Object.keys(report).length));
console.log(
  `done: the consumer read ${reports.length} reports, ${whole ? 'none' : 'some'} of them half-built`,
);
await viz.close();
