// The published shape: `npm run build` output imports in plain Node 20, with type declarations.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// A copy of the package as published: package.json and the build in dist/.
let published: string;
let out: string;

beforeAll(async () => {
  published = mkdtempSync(join(tmpdir(), 'greenstate-package-'));
  out = join(published, 'dist');
  copyFileSync(join(root, 'package.json'), join(published, 'package.json'));
  cpSync(join(root, 'visualizer'), join(published, 'visualizer'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(published, 'node_modules')); // its dependencies
  await run(process.execPath, [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(root, 'src'),
    '--outDir',
    out,
  ]);
}, 120_000);

afterAll(() => {
  if (published) rmSync(published, { recursive: true, force: true });
});

describe('package', () => {
  test('is ESM, side-effect free, with types first in its exports map', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports['.'])[0]).toBe('types');
    expect(pkg.engines.node).toBe('>=20');
  });

  test('the build emits JavaScript and declarations for every entry', () => {
    for (const file of [
      'index.js',
      'index.d.ts',
      'asyncContext.node.js',
      'asyncContext.js',
      'visualizer/visualize.js',
      'visualizer/visualize.d.ts',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(readFileSync(join(out, 'index.d.ts'), 'utf8')).toContain('DeferredCallHandler');
  });

  test('the built package runs in plain Node 20, choosing the async context by condition', async () => {
    // The script imports the package by its name, as a user would; plain Node resolves `greenstate` and
    // its own `#async-context` import against its conditions (\`node\` here).
    const script = join(published, 'check.mjs');
    writeFileSync(
      script,
      `import { DeferredCallHandler, tracksAsyncContext } from 'greenstate';
      class Counter extends DeferredCallHandler { n = 0; add(k) { this.n += k; return this.n; } }
      const counter = new Counter();
      counter.oneway.add(2);
      const total = counter.sync.add(3);
      await counter.process();
      const { visualize } = await import('greenstate/visualizer');
      const viz = await visualize();
      const page = await (await fetch(viz.url)).text();
      await viz.close();
      console.log(JSON.stringify({ total: await total, tracksAsyncContext, page: page.includes('app.js') }));`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: published });
    expect(JSON.parse(stdout)).toEqual({ total: 5, tracksAsyncContext: true, page: true });
  });

  test('the default (non-Node) condition maps the async context to the synchronous-only build', () => {
    const target = pkg.imports['#async-context'];
    expect(target.node).toBe('./dist/asyncContext.node.js');
    expect(target.default).toBe('./dist/asyncContext.js');
  });
});
