/** One benchmark case: `run(n)` performs n operations and resolves when they are all done. */
export interface Case {
  name: string;
  /** Operations per run. */
  n: number;
  run(n: number): Promise<void> | void;
}

export interface Result {
  name: string;
  n: number;
  runs: number;
  /** Median time per operation over the runs, in nanoseconds. */
  nsPerOp: number;
  opsPerSecond: number;
}

/** Runs a case `warmup` times unmeasured, then `runs` times; reports the median time per operation. */
export async function measure(bench: Case, runs: number, warmup: number): Promise<Result> {
  for (let i = 0; i < warmup; i++) await bench.run(bench.n);
  const perOp: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await bench.run(bench.n);
    perOp.push(Number(process.hrtime.bigint() - start) / bench.n);
  }
  perOp.sort((a, b) => a - b);
  const nsPerOp = perOp[Math.floor(perOp.length / 2)] as number;
  return { name: bench.name, n: bench.n, runs, nsPerOp, opsPerSecond: 1e9 / nsPerOp };
}

/** Formats results as an aligned text table. */
export function table(results: Result[]): string {
  const rows = [
    ['case', 'ops/run', 'median ns/op', 'ops/s'],
    ...results.map((r) => [
      r.name,
      String(r.n),
      r.nsPerOp.toFixed(0),
      Math.round(r.opsPerSecond).toLocaleString('en-US'),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    )
    .join('\n');
}
