// Graphs and handlers served on a real restate-server (started here on 127.0.0.1, fresh base directory,
// free ports), through a service process of their own that the tests kill and start again.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StateValidationError, TimeoutError } from 'greenstate';
import { RestateCallError, restateHandler, restateRun } from 'greenstate/restate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { plantLifecycle } from '../examples/plant.js';
import {
  end,
  freePort,
  type RestateServer,
  restateBinary,
  startRestate,
  startService,
  until,
} from '../support/restate.js';
import { type Counter, relay, type Seedling, trials } from './fixtures/durable.js';

// Generous: a loaded machine starts the server, and Restate retries a killed service with backoff.
const SLOW = 120_000;
const SERVICE = new URL('./fixtures/service.ts', import.meta.url);

if (restateBinary === undefined) {
  console.warn(
    '\n*** the restate-server binary is missing: the Restate tests are SKIPPED (npm ci installs it) ***\n',
  );
  // CI must run them: there, a missing binary fails.
  if (process.env.GREENSTATE_REQUIRE_RESTATE) {
    test('restate-server is installed (GREENSTATE_REQUIRE_RESTATE is set)', () => {
      expect(restateBinary, '@restatedev/restate-server installs it for this platform').toBeDefined();
    });
  }
}

describe.skipIf(restateBinary === undefined)('on a real Restate server', () => {
  let server: RestateServer;
  let service: ChildProcess;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'greenstate-restate-test-'));
  const journal = join(dir, 'journal.txt');
  const lines = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter(Boolean) : []);
  const count = (line: string) => lines().filter((l) => l === line).length;
  const startOurService = async () => {
    service = await startService(SERVICE, port, { GREENSTATE_JOURNAL: journal });
  };

  beforeAll(async () => {
    server = await startRestate(restateBinary as string);
    port = await freePort();
    await startOurService();
    await server.register(port);
  }, SLOW);

  afterAll(async () => {
    if (service) await end(service);
    if (server) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }, SLOW);

  const run = <T>(name: string, key: string) => restateRun<T>(server.ingress, key, { name });
  const counter = (key: string) => restateHandler<typeof Counter>(server.ingress, key, { name: 'Counter' });

  describe('durable state graphs', () => {
    test(
      'the plant lifecycle ends with the same output as in-process, its onStart run as the entry action',
      async () => {
        for (const eaten of [false, true]) {
          const inProcess = await plantLifecycle(1, () => {}).sprouting(eaten).done;
          const plant = run<ReturnType<typeof plantLifecycle>>('plant', `plant-${eaten}`);
          const started = await plant.start(eaten);
          expect(started).toMatchObject({ status: 'active', state: 'sprouting', args: [eaten] });
          expect(await plant.done()).toBe(inProcess);
          expect(await plant.snapshot()).toMatchObject({ status: 'done', state: 'done', output: inProcess });
          // Done already: even a deadline too short for Restate's own wait gives the output.
          expect(await plant.done({ timeout: 1 })).toBe(inProcess);
        }
        expect(count('dead: cleaning up')).toBe(1);
        expect(count('dead: eaten')).toBe(1);
      },
      SLOW,
    );

    test(
      "a decorated class's machine runs its methods, self-transitions included, and their onStart",
      async () => {
        const seedling = run<typeof Seedling>('Seedling', 'fern');
        await seedling.start(0);
        expect(await seedling.done()).toBe('grown to 3');
        expect(count('onStart sprouting')).toBe(1);
      },
      SLOW,
    );

    test(
      'a transition the state does not list fails the run with StateValidationError, as in-process',
      async () => {
        const local = trials.choose('undeclared').done;
        const expected = await local.catch((error: unknown) => error);
        expect(expected).toBeInstanceOf(StateValidationError);
        const trial = run<typeof trials>('trials', 'undeclared');
        await trial.start('undeclared');
        const error = await trial.done().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StateValidationError);
        expect((error as Error).message).toBe((expected as Error).message);
        expect(await trial.snapshot()).toMatchObject({ status: 'error', state: 'choose' });
      },
      SLOW,
    );

    test(
      "a body's error reaches its onError state whole: class, name and message",
      async () => {
        const trial = run<typeof trials>('trials', 'risky');
        await trial.start('risky');
        expect(await trial.done()).toBe('caught RangeError: too risky');
        expect(await trial.done()).toBe(await trials.choose('risky').done);
      },
      SLOW,
    );

    test(
      'a body whose result is not JSON fails the run with a TypeError saying so',
      async () => {
        const trial = run<typeof trials>('trials', 'huge');
        await trial.start('huge');
        const error = await trial.done().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toBe(
          'the body of huge returned a value that is not JSON: on Restate, arguments and results are JSON.',
        );
      },
      SLOW,
    );

    test(
      'a thrown value that is no Error reaches onError as it was thrown, as in-process',
      async () => {
        const trial = run<typeof trials>('trials', 'oddity');
        await trial.start('oddity');
        expect(await trial.done()).toEqual(await trials.choose('oddity').done);
        expect(await trial.done()).toEqual({ weird: true });
      },
      SLOW,
    );

    test(
      'an error with a field that is not JSON fails the run with its class, message and other fields',
      async () => {
        const trial = run<typeof trials>('trials', 'big-error');
        await trial.start('bigError');
        const error = await trial.done().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RangeError);
        expect(error).toMatchObject({ message: 'big', code: 'E_BIG' });
        expect(Object.hasOwn(error as object, 'big')).toBe(false);
      },
      SLOW,
    );

    test(
      "send refuses XState's own events, which would stop or fake a run",
      async () => {
        const trial = run<typeof trials>('trials', 'internal');
        await expect(trial.send('xstate.stop')).rejects.toThrow(
          'trials/internal.send(state) takes the name of a state to move to, got "xstate.stop".',
        );
        await expect(trial.send(42 as never)).rejects.toThrow(TypeError);
      },
      SLOW,
    );

    test(
      'a state timeout is a durable delay: the run moves on to its target with its arguments',
      async () => {
        const trial = run<typeof trials>('trials', 'slow');
        await trial.start('slow');
        expect(await trial.done()).toBe('late: no answer');
      },
      SLOW,
    );

    test(
      "a body's journaled step (restateContext(ctx).run) gives its result",
      async () => {
        const trial = run<typeof trials>('trials', 'journaled');
        await trial.start('journaled');
        expect(await trial.done()).toBe('journaled 42');
      },
      SLOW,
    );

    test(
      'a run sent a transition from outside moves as an in-process actor sent the event',
      async () => {
        const trial = run<typeof trials>('trials', 'sent');
        await trial.start('slow');
        await until('the run in slow', SLOW, async () => (await trial.snapshot()).state === 'slow');
        expect(await trial.send('late', 'told to')).toMatchObject({
          status: 'active',
          state: 'late',
          args: ['told to'],
        });
        expect(await trial.done()).toBe('late: told to');
      },
      SLOW,
    );

    test(
      'killed in the middle of a body and started again, the service resumes the run: the body re-runs from its start, nothing completed runs twice',
      async () => {
        const relayed = await relay.first(1, 0).done;
        const once = run<typeof relay>('relay', 'killed');
        await once.start(1, 3_000);
        await until('the first body to start', SLOW, async () => count('first 1 start') === 1);
        await end(service, 'SIGKILL');
        await startOurService();
        expect(await once.done()).toBe(relayed);
        expect(count('first 1 start')).toBe(2); // interrupted, then run again from its start
        expect(count('first 1 end')).toBe(1);
        expect(count('second 2')).toBe(1);
        // Killed again once the run is done: nothing of it runs again.
        await end(service, 'SIGKILL');
        await startOurService();
        expect(await once.snapshot()).toMatchObject({ status: 'done', output: relayed });
        expect(await counter('after-restart').sync.add(1)).toBe(1);
        expect([count('first 1 start'), count('first 1 end'), count('second 2')]).toEqual([2, 1, 1]);
      },
      SLOW * 2,
    );
  });

  test(
    "the README's example: its service serves the plant and a greenhouse, its client drives them",
    async () => {
      const examplePort = await freePort();
      const example = await startService(
        new URL('../examples/restateService.ts', import.meta.url),
        examplePort,
      );
      try {
        await server.register(examplePort);
        const client = fileURLToPath(new URL('../examples/restateClient.ts', import.meta.url));
        const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', client], {
          env: { ...process.env, RESTATE_INGRESS: server.ingress },
          timeout: SLOW,
        });
        expect(stdout).toBe('withered\n3\n');
      } finally {
        await end(example);
      }
    },
    SLOW,
  );

  describe('handlers as virtual objects', () => {
    test(
      'sync calls return results and keep the object’s fields between calls; each key is its own object',
      async () => {
        const a = counter('a');
        const b = counter('b');
        expect(await a.sync.add(2)).toBe(2);
        expect(await a.sync.add(3)).toBe(5);
        expect(await b.sync.add(10)).toBe(10);
        expect(await a.sync.nothing()).toBeUndefined();
        expect(a.name).toBe('Counter/a');
      },
      SLOW,
    );

    test(
      "one client's calls run one at a time in the order they were made, oneway and sync alike",
      async () => {
        const c = counter('ordered');
        c.oneway.slowAdd(1, 200);
        c.oneway.add(10);
        const results = await Promise.all([c.sync.add(100), c.sync({ timeout: 60_000 }).add(1000)]);
        expect(results).toEqual([111, 1111]);
        expect(lines().filter((l) => l.startsWith('ordered '))).toEqual([
          'ordered slowAdd 1 start',
          'ordered slowAdd 1 end',
          'ordered add 10',
          'ordered add 100',
          'ordered add 1000',
        ]);
      },
      SLOW,
    );

    test(
      "a method's error arrives with its class, name, message and fields",
      async () => {
        const error = await counter('errors')
          .sync.fail('too far')
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RangeError);
        expect(error).toMatchObject({ name: 'RangeError', message: 'too far', code: 'E_TOO_FAR' });
        const timed = await counter('errors')
          .sync({ timeout: 60_000 })
          .fail('again')
          .catch((e: unknown) => e);
        expect(timed).toMatchObject({ name: 'RangeError', message: 'again', code: 'E_TOO_FAR' });
      },
      SLOW,
    );

    test(
      'a result or a field that is not JSON fails the call with a TypeError saying so; the fields before it stay',
      async () => {
        const c = counter('not-json');
        expect(await c.sync.add(5)).toBe(5);
        await expect(c.sync.huge()).rejects.toThrow(
          /^Counter\/not-json\.huge\(\) returned a value that is not JSON .*: on Restate, results and fields are JSON\.$/,
        );
        const error = await c.sync.hoard().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(
          /^Counter\/not-json\.hoard\(\) left fields that are not JSON/,
        );
        expect(await c.sync.add(1)).toBe(6);
      },
      SLOW,
    );

    test(
      "the served object's _cancel is no call through the proxies, and refuses what is not an invocation id",
      async () => {
        const c = counter('cancel') as unknown as { sync: Record<string, (id: string) => Promise<unknown>> };
        await expect(c.sync._cancel?.('inv_x')).rejects.toThrow(
          'Counter/cancel._cancel() is not a call: it is how a served object cancels its calls.',
        );
        const answer = await fetch(`${server.ingress}/Counter/cancel/_cancel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify('bogus'),
        });
        expect(answer.status).toBe(400);
        expect(await answer.text()).toContain('takes the id of the invocation to cancel');
      },
      SLOW,
    );

    test(
      'an unknown method is refused by Restate with a RestateCallError of status 404 naming it',
      async () => {
        const c = counter('unknown') as unknown as { sync: Record<string, () => Promise<unknown>> };
        const error = await c.sync.nope?.().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RestateCallError);
        expect(error).toMatchObject({ status: 404, handler: 'Counter/unknown', method: 'nope' });
        expect((error as Error).message).toContain("'nope'");
      },
      SLOW,
    );

    test(
      'a deadline rejects with TimeoutError and cancels the invocation: a call still queued never runs',
      async () => {
        const c = counter('deadline');
        const slow = c.sync.slowAdd(1, 1_500);
        const late = c.sync({ timeout: 300 }).add(50);
        const error = await late.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TimeoutError);
        expect(error).toMatchObject({ handler: 'Counter/deadline', method: 'add', timeout: 300 });
        expect(await slow).toBe(1);
        expect(await c.sync.add(0)).toBe(1); // add(50) was cancelled before it ran
        expect(count('deadline add 50')).toBe(0);
      },
      SLOW,
    );

    test(
      'an abort rejects with the signal’s reason and cancels the invocation; an aborted signal sends nothing',
      async () => {
        const c = counter('abort');
        const controller = new AbortController();
        const slow = c.sync.slowAdd(1, 1_500);
        const aborted = c.sync({ signal: controller.signal }).add(70);
        const reason = new Error('changed my mind');
        setTimeout(() => controller.abort(reason), 200);
        await expect(aborted).rejects.toBe(reason);
        await expect(c.sync({ signal: controller.signal }).add(80)).rejects.toBe(reason);
        expect(await slow).toBe(1);
        expect(await c.sync.add(0)).toBe(1);
        expect([count('abort add 70'), count('abort add 80')]).toEqual([0, 0]);
        expect(c.pending).toBe(0);
      },
      SLOW,
    );
  });
});
