// npm run bench [-- --quick] [-- --json FILE]
// Runs every case of cases.ts in its own Node process (a clean heap, --expose-gc, and no case slowed
// by what another one left behind), then prints the table and the ratios, measured in this one run.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { type Case, cases } from './cases.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
const runCase = new URL('./runCase.ts', import.meta.url).pathname;

interface Row {
  name: string;
  description: string;
  n: number;
  /** Median nanoseconds per operation (time cases). */
  nsPerOp?: number;
  opsPerSecond?: number;
  bytesPerInstance?: number;
  ms?: number;
  timersLeft?: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function measure(name: string, bench: Case): Promise<Row> {
  // The package as built (npm run bench builds it first): what users run, without dev transforms.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', runCase, name, ...(quick ? ['--quick'] : [])],
    { maxBuffer: 1 << 24, timeout: 15 * 60_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  const row: Row = { name, description: bench.description, n: bench.n[quick ? 1 : 0] };
  if (Array.isArray(result.ns)) {
    row.nsPerOp = median(result.ns);
    row.opsPerSecond = 1e9 / row.nsPerOp;
  }
  if (typeof result.bytesPerInstance === 'number') row.bytesPerInstance = result.bytesPerInstance;
  if (typeof result.ms === 'number') {
    row.ms = result.ms;
    row.timersLeft = result.timersLeft;
  }
  return row;
}

const rows: Row[] = [];
for (const [name, bench] of Object.entries(cases)) {
  process.stderr.write(`${name}…\n`);
  rows.push(await measure(name, bench));
}
const get = (name: string) => rows.find((row) => row.name === name) as Row;
const time = (a: string, b: string) => (get(a).nsPerOp as number) / (get(b).nsPerOp as number);
const bytes = (a: string, b: string) =>
  (get(a).bytesPerInstance as number) / (get(b).bytesPerInstance as number);
const ratios = {
  onewayVsPQueue: time('pQueue', 'oneway'),
  syncVsPQueue: time('pQueueSync', 'sync'),
  onewayVsRawXState: time('oneway', 'rawXState'),
  observedOnewayVsRawXState: time('observedOneway', 'rawXState'),
  onewayVsFloor: time('oneway', 'floor'),
  transitionVsHandXState: time('transition', 'handXState'),
  transitionVsAsyncLoop: time('transition', 'asyncLoop'),
  scaling1e6vs1e3: time('scaling1e6', 'scaling1e3'),
  scalingWhitelist1e6vs1e3: time('scalingWhitelist1e6', 'scalingWhitelist1e3'),
  floorScaling1e6vs1e3: time('floorScaling1e6', 'floorScaling1e3'),
  idleHandlerMemoryVsXState: bytes('idleHandlerMemory', 'bareActorMemory'),
  runMemoryVsXState: bytes('runMemory', 'bareActorMemory'),
  deadlinesSettleMs: get('deadlines').ms as number,
  deadlineTimersLeft: get('deadlines').timersLeft as number,
};

const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits });
const table = [
  ['case', 'n', 'median ns/op', 'ops/s', 'bytes each', 'ms', 'timers left'],
  ...rows.map((row) => [
    row.name,
    format(row.n),
    row.nsPerOp === undefined ? '' : format(row.nsPerOp),
    row.opsPerSecond === undefined ? '' : format(row.opsPerSecond),
    row.bytesPerInstance === undefined ? '' : format(row.bytesPerInstance),
    row.ms === undefined ? '' : format(row.ms),
    row.timersLeft === undefined ? '' : String(row.timersLeft),
  ]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => row[i]?.length ?? 0))) ?? [];
for (const row of table)
  console.log(
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  );
console.log();
for (const row of rows) console.log(`${row.name}: ${row.description}`);
console.log();
console.log(JSON.stringify(ratios, null, 2));
const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
console.log(machine);
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ machine, quick, rows, ratios }, null, 2)}\n`);
