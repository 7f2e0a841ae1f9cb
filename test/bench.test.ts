// The benchmark must not rot: run it once, briefly. This asserts that every case ran and produced
// finite numbers, never a speed (speed is for `npm run bench` on a quiet machine).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

test('npm run bench -- --quick runs every case and writes finite results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'greenstate-bench-'));
  try {
    const file = join(dir, 'bench.json');
    await promisify(execFile)('npm', ['run', 'bench', '--silent', '--', '--quick', '--json', file], {
      cwd: new URL('..', import.meta.url),
      timeout: 300_000,
    });
    const { rows, ratios } = JSON.parse(readFileSync(file, 'utf8'));
    const { cases } = await import('./bench/cases.js');
    expect(rows.map((row: { name: string }) => row.name)).toEqual(Object.keys(cases));
    for (const row of rows) {
      const measured = [row.nsPerOp, row.bytesPerInstance, row.ms].filter((value) => value !== undefined);
      expect(measured.length, row.name).toBe(1);
      expect(
        measured.every((value) => Number.isFinite(value) && value > 0),
        row.name,
      ).toBe(true);
    }
    for (const [name, value] of Object.entries(ratios)) expect(Number.isFinite(value), name).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
