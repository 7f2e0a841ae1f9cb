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
    const { runs, ratios, restate } = JSON.parse(readFileSync(file, 'utf8'));
    const { cases } = await import('./bench/cases.js');
    const results = runs[0].results as Record<string, Record<string, number | number[]>>;
    // A case measured again beside another is kept as `case@label` too.
    const measured = new Set(Object.keys(results).map((key) => key.split('@')[0]));
    expect([...measured].sort()).toEqual(Object.keys(cases).sort());
    for (const [name, measured] of Object.entries(results)) {
      const values = Object.values(measured).flat();
      expect(values.length, name).toBeGreaterThan(0);
      expect(
        values.every((value) => Number.isFinite(value) && value >= 0),
        name,
      ).toBe(true);
    }
    for (const [name, value] of Object.entries(ratios)) expect(Number.isFinite(value), name).toBe(true);
    // Through a real restate-server, when this machine has its binary (CI always does).
    if (restate !== undefined || process.env.GREENSTATE_REQUIRE_RESTATE) {
      expect(Object.keys(restate.figures).sort()).toEqual([
        'inProcessSyncMs',
        'inProcessTransitionMs',
        'restateOnewayMs',
        'restateSyncMs',
        'restateSyncWithDeadlineMs',
        'restateTransitionMs',
      ]);
      for (const [name, values] of Object.entries(restate.figures as Record<string, number[]>))
        expect(
          values.every((value) => Number.isFinite(value) && value > 0),
          name,
        ).toBe(true);
      for (const [name, value] of Object.entries(restate.ratios))
        expect(Number.isFinite(value), name).toBe(true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
