// The package as users get it: `npm pack` (which builds it), installed from the tarball into a project of
// its own, outside this repository, then imported by plain Node and type-checked by a consumer.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const exec = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string) =>
  exec('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd });

let work: string;
let tarball: string;
/** A project that depends on greenstate alone: no elkjs, nothing of this repository's node_modules. */
let project: string;
/** The tarball's contents. */
let extracted: string;

const nodeScript = (name: string, code: string) => {
  writeFileSync(join(project, name), code);
  return exec(process.execPath, [name], { cwd: project });
};

/** Bytes of the files under `dir`. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(path) : entry.isFile() ? statSync(path).size : 0;
  }
  return total;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'greenstate-package-'));
  const { stdout } = await npm(['pack', '--pack-destination', work, '--json'], root);
  tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0]?.filename ?? '');
  project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', type: 'module', private: true }),
  );
  await npm(['install', tarball], project);
  extracted = join(work, 'extracted');
  mkdirSync(extracted, { recursive: true });
  await exec('tar', ['-xzf', tarball, '-C', extracted]);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the package', () => {
  test('is ESM, side-effect free, with types first in its exports map and no development condition', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    for (const entry of ['.', './visualizer', './restate']) {
      expect(Object.keys(pkg.exports[entry])).toEqual(['types', 'default']);
    }
    expect(pkg.imports['#async-context']).toEqual({
      node: './dist/asyncContext.node.js',
      default: './dist/asyncContext.js',
    });
    expect(pkg.engines.node).toBe('>=20');
    for (const peer of ['elkjs', '@restatedev/restate-sdk', '@restatedev/xstate'])
      expect(pkg.peerDependenciesMeta[peer].optional, peer).toBe(true);
  });

  test('its tarball holds the build, the sources, the page and the licence, but no screenshot', async () => {
    const { stdout } = await exec('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/visualizer/visualize.js',
      'dist/restate/index.js',
      'dist/restate/index.d.ts',
      'visualizer/app.js',
      'LICENSE',
    ])
      expect(files, file).toContain(`package/${file}`);
    expect(files.filter((file) => file.endsWith('.png'))).toEqual([]);
  });

  test('installs from its tarball with only xstate and p-timeout: the core, plain Node, no elkjs', async () => {
    expect(existsSync(join(project, 'node_modules', 'elkjs'))).toBe(false);
    const { stdout } = await nodeScript(
      'core.mjs',
      `import { DeferredCallHandler, defineStates, tracksAsyncContext } from 'greenstate';
      class Counter extends DeferredCallHandler { n = 0; add(k) { this.n += k; return this.n; } }
      const counter = new Counter();
      counter.oneway.add(2);
      const total = counter.sync.add(3);
      await counter.process();
      const run = defineStates({ only: (ctx, n) => n * 2 }).only(21);
      console.log(JSON.stringify({ total: await total, run: await run.done, tracksAsyncContext }));`,
    );
    expect(JSON.parse(stdout)).toEqual({ total: 5, run: 42, tracksAsyncContext: true });
    // The whole installed tree of a core-only project: greenstate, xstate and p-timeout.
    const installed = readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed.sort()).toEqual(['greenstate', 'p-timeout', 'xstate']);
    expect(sizeOf(join(project, 'node_modules'))).toBeLessThan(6 * 1024 * 1024); // 3.0 MB measured; elkjs alone would add 8.2 MB
  });

  test('the visualizer says how to install elkjs when it is missing, and runs once it is installed', async () => {
    const check = `import { visualize } from 'greenstate/visualizer';
      try {
        const viz = await visualize();
        const page = await (await fetch(viz.url)).text();
        await viz.close();
        console.log(JSON.stringify({ page: page.includes('app.js') }));
      } catch (error) {
        console.log(JSON.stringify({ error: error.message }));
      }`;
    const without = JSON.parse((await nodeScript('viz.mjs', check)).stdout);
    expect(without.error).toMatch(
      /lays machines out with elkjs, which is not installed: run `npm install elkjs`/,
    );
    await npm(['install', `elkjs@${pkg.peerDependencies.elkjs}`], project);
    expect(JSON.parse((await nodeScript('viz.mjs', check)).stdout)).toEqual({ page: true });
  }, 300_000);

  test.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])(
    'type-checks a consumer with moduleResolution %s, declarations included',
    async (name, options) => {
      const dir = join(project, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'consumer.ts'),
        `import { callSync, DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
      import { visualize, type TimelineEntry } from 'greenstate/visualizer';
      class Counter extends DeferredCallHandler { n = 0; add(k: number) { this.n += k; return this.n; } }
      const counter = new Counter();
      const total: Promise<number> = callSync(counter.ref, 'add', [1]);
      // @ts-expect-error: add takes a number
      counter.sync.add('1');
      const graph = defineStates({
        a: { transitionsTo: 'b', body: (ctx: StateContext<'b'>) => ctx.to.b(2) },
        b: (_ctx, n: number) => n,
      });
      const value: 'a' | 'b' | 'done' = graph.a().actor.getSnapshot().value;
      const kinds = (entries: readonly TimelineEntry[]) => entries.map((entry) => entry.kind);
      export { total, value, kinds, visualize };
      `,
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...options,
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            lib: ['es2022', 'dom'],
            types: [],
          },
          files: ['consumer.ts'],
        }),
      );
      await exec(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir]);
    },
    120_000,
  );

  test('with the Restate peers installed, greenstate/restate serves in plain Node and its declarations type-check', async () => {
    const dir = join(work, 'restate-consumer');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'restate-consumer', type: 'module', private: true }),
    );
    const peers = ['@restatedev/restate-sdk', '@restatedev/xstate'].map(
      (peer) => `${peer}@${pkg.peerDependencies[peer]}`,
    );
    // Restate's SDK declares Node's http and http2 modules: a Restate service is a Node project.
    await npm(['install', tarball, ...peers, `@types/node@${pkg.devDependencies['@types/node']}`], dir);
    writeFileSync(
      join(dir, 'serve.mjs'),
      `import { DeferredCallHandler, defineStates } from 'greenstate';
      import { restateHandler, restateObject, restateRun, restateStates } from 'greenstate/restate';
      class Counter extends DeferredCallHandler { n = 0; add(k) { this.n += k; return this.n; } }
      const graph = defineStates({ only: (ctx, n) => n * 2 }, { id: 'doubler' });
      const services = [restateStates(graph), restateObject(Counter)].map((service) => service.name);
      const clients = [restateHandler('http://127.0.0.1:8080', 'c', { name: 'Counter' }).name, restateRun('http://127.0.0.1:8080', 'r', { name: 'doubler' }).name];
      console.log(JSON.stringify({ services, clients }));`,
    );
    const { stdout } = await exec(process.execPath, ['serve.mjs'], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({
      services: ['doubler', 'Counter'],
      clients: ['Counter/c', 'doubler/r'],
    });
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
      import { restateHandler, restateRun, restateStates } from 'greenstate/restate';
      class Counter extends DeferredCallHandler { n = 0; add(k: number) { this.n += k; return this.n; } }
      const graph = defineStates({
        a: { transitionsTo: 'b', body: (ctx: StateContext<'b'>, n: number) => ctx.to.b(n) },
        b: (_ctx, n: number) => n * 2,
      }, { id: 'doubler' });
      const service = restateStates(graph);
      const counter = restateHandler<typeof Counter>('http://127.0.0.1:8080', 'c', { name: 'Counter' });
      const total: Promise<number> = counter.sync({ timeout: 100 }).add(1);
      // @ts-expect-error: add takes a number
      counter.oneway.add('1');
      const done: Promise<number> = restateRun<typeof graph>('http://127.0.0.1:8080', 'r', { name: 'doubler' }).done();
      export { service, total, done };
      `,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib: ['es2022', 'dom'],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    await exec(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir]);
  }, 300_000);

  test('publint and arethetypeswrong (ESM only) find nothing to fix', async () => {
    const lint = await exec(bin('publint'), [
      'run',
      join(extracted, 'package'),
      '--pack',
      'false',
      '--strict',
    ]);
    expect(lint.stdout).toContain('All good!');
    await exec(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii']); // exits non-zero on a problem
  }, 120_000);

  test("its public declarations reach no module of the engine's, and no declaration marked internal", () => {
    const dist = join(extracted, 'package', 'dist');
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const [, spec] of readFileSync(join(dist, file), 'utf8').matchAll(
        /from '(\.{1,2}\/[^']+)\.js'/g,
      )) {
        const next = join(file, '..', `${spec}.d.ts`);
        if (existsSync(join(dist, next))) visit(next);
      }
    };
    visit('index.d.ts');
    visit('visualizer/visualize.d.ts');
    visit('restate/index.d.ts');
    const publicModules = [
      'index',
      'asyncContext',
      'asyncContext.node',
      'clock',
      'errors',
      'calls/DeferredCallHandler',
      'calls/callSync',
      'calls/handlerMachine',
      'calls/protocol',
      'calls/types',
      'calls/remote/connectHandler',
      'calls/remote/exposeHandler',
      'calls/remote/openEndpoint',
      'calls/remote/remoteHandlerMachine',
      'graph/machineGraph',
      'graph/toMermaid',
      'graph/toXStateCode',
      'createTestClock',
      'states/stateOptions',
      'states/defineStates',
      'states/machineOf',
      'states/state',
      'states/stateTypes',
      'states/runTypes',
      'visualizer/visualize',
      'visualizer/views',
      'visualizer/layoutMachine',
      'restate/index',
      'restate/RestateCallError',
      'restate/restateContext',
      'restate/restateHandler',
      'restate/restateObject',
      'restate/restateRun',
      'restate/restateStates',
    ].map((module) => `${module}.d.ts`);
    expect([...reached].filter((file) => !publicModules.includes(file))).toEqual([]);
    for (const file of reached)
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toContain('@internal');
    for (const internal of [
      'HandlerCore',
      'CallQueue',
      'ProcessLoop',
      'CallRegistry',
      'ActorFace',
      'CheckedStates',
      'Tracker',
    ])
      for (const file of reached)
        expect(readFileSync(join(dist, file), 'utf8'), `${internal} in ${file}`).not.toMatch(
          new RegExp(`\\b${internal}\\b`),
        );
  });
});
