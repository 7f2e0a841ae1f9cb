// One benchmark case in its own process: `node --expose-gc … runCase.ts <case> [--quick]`.
// Prints one JSON line: { ns: [per-run ns per operation…] } | { bytesPerInstance } | { ms, timersLeft }.
import { cases } from './cases.js';

const [name, mode] = process.argv.slice(2);
const bench = cases[name ?? ''];
if (bench === undefined) throw new Error(`no benchmark case "${name}"`);
const quick = mode === '--quick';
const n = bench.n[quick ? 1 : 0];
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

if (bench.kind === 'time') {
  const runs = quick ? 3 : (bench.runs ?? 15);
  const warmup = quick ? 1 : 3;
  const ns: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    gc();
    const start = process.hrtime.bigint();
    const measured = await bench.run(n);
    const elapsed = typeof measured === 'number' ? measured : Number(process.hrtime.bigint() - start);
    if (i >= warmup) ns.push(elapsed / n);
  }
  console.log(JSON.stringify({ ns }));
} else if (bench.kind === 'memory') {
  await bench.make(Math.min(n, 100)); // warm up the code paths, so that compiled code is not counted
  const before = heap();
  const instances = await bench.make(n);
  const after = heap();
  console.log(JSON.stringify({ bytesPerInstance: (after - before) / n, kept: instances.length }));
} else {
  const start = process.hrtime.bigint();
  const timersLeft = await bench.run(n);
  console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6, timersLeft }));
}
process.exit(0); // runs and handlers left waiting must not keep the process alive
