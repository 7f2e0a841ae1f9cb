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
      timeout: 120_000,
    });
    const { results, ratios } = JSON.parse(readFileSync(file, 'utf8'));
    expect(results.length).toBeGreaterThanOrEqual(4);
    for (const result of results) {
      expect(Number.isFinite(result.nsPerOp) && result.nsPerOp > 0, result.name).toBe(true);
    }
    for (const [name, value] of Object.entries(ratios)) expect(Number.isFinite(value), name).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
