// One benchmark process: `node --expose-gc … runCase.ts <case>… [--quick]`.
// Time cases given together run interleaved (A, B, A, B, …) so that they share the machine's mood;
// it prints one JSON line: { <case>: { ns: [ns per op of each run], cpu: [CPU ns per op of each run] } }.
// A memory case prints { <case>: { bytesPerInstance } }; the deadline case { <case>: { ms, timersLeft } }.
import { type Case, cases } from './cases.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((arg) => !arg.startsWith('--'));
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const get = (name: string): Case => {
  const found = cases[name];
  if (found === undefined) throw new Error(`no benchmark case "${name}"`);
  return found;
};
const n = (bench: Case) => bench.n[quick ? 1 : 0];

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const out: Record<string, unknown> = {};
const first = get(names[0] ?? '');
if (first.kind === 'time') {
  const rounds = quick ? 3 : 15;
  const warmup = quick ? 1 : 3;
  const results = Object.fromEntries(
    names.map((name) => [name, { ns: [] as number[], cpu: [] as number[] }]),
  );
  for (let round = 0; round < warmup + rounds; round++) {
    // A different order each round, so that no case always runs after the same other one.
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const bench = get(name);
      if (bench.kind !== 'time') throw new Error(`${name} is not a time case`);
      gc();
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      const measured = await bench.run(n(bench));
      const wall = typeof measured === 'number' ? measured : Number(process.hrtime.bigint() - start);
      const used = process.cpuUsage(cpu);
      if (round >= warmup) {
        results[name]?.ns.push(wall / n(bench));
        results[name]?.cpu.push(((used.user + used.system) * 1000) / n(bench));
      }
    }
  }
  Object.assign(out, results);
} else if (first.kind === 'memory') {
  await first.make(Math.min(n(first), 100)); // warm up the code paths, so that compiled code is not counted
  const before = heap();
  const kept = await first.make(n(first));
  const after = heap();
  out[names[0] as string] = { bytesPerInstance: (after - before) / n(first) };
  if (kept === undefined) throw new Error('a memory case must return what it made');
} else {
  const start = process.hrtime.bigint();
  const timersLeft = await first.run(n(first));
  out[names[0] as string] = { ms: Number(process.hrtime.bigint() - start) / 1e6, timersLeft };
}
console.log(JSON.stringify(out));
process.exit(0); // runs and handlers left waiting must not keep the process alive
