// The README's examples are files under test/examples: this suite runs them, and checks that the README
// quotes each one exactly, so the README cannot rot.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { toMermaid } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';

const realSetImmediate = setImmediate;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('README', () => {
  test('quotes every example file exactly', () => {
    const quoted = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)];
    expect(quoted.length).toBeGreaterThanOrEqual(7);
    for (const [, path, code] of quoted) {
      expect(code, path).toBe(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'));
    }
  });

  test("shows the plant's compiled machine config as it is", async () => {
    const [, path, json] = readme.match(/<!-- machine-config: (\S+) -->\n```json\n([\s\S]*?)```/) ?? [];
    expect(path).toBe('test/examples/plant.ts');
    const { plant } = await import('./examples/plant.js');
    const shown = JSON.stringify(
      plant.machine.config,
      (_key, value) => (typeof value === 'function' ? 'ƒ' : value),
      2,
    );
    expect(json?.trim()).toBe(shown);
  });

  test("shows the plant's Mermaid export as it is", async () => {
    const [, path, text] = readme.match(/<!-- mermaid: (\S+) -->\n```mermaid\n([\s\S]*?)```/) ?? [];
    expect(path).toBe('test/examples/plant.ts');
    const { plant } = await import('./examples/plant.js');
    expect(text).toBe(toMermaid(plant.machine));
  });

  test('shows the two commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});

describe('README examples', () => {
  test('Exceptions: sync rethrows the error; a oneway error is logged, not thrown', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await import('./examples/exceptions.js');
    expect(log).toHaveBeenCalledWith('sync call rejected: #high pitched# oh no!');
    expect(error).toHaveBeenCalledWith('Lemming.kaboom() failed in a oneway call:', expect.any(Error));
  });

  test('Timeouts: the call with a deadline times out, the next one waits as long as it takes', async () => {
    vi.useFakeTimers();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const example = import('./examples/timeouts.js');
    // Loading the module takes real I/O: wait until its first call runs (its deadline and its sleep are set).
    while (vi.getTimerCount() < 2) await new Promise((resolve) => realSetImmediate(resolve));
    await vi.advanceTimersByTimeAsync(500);
    expect(log.mock.calls).toEqual([['ABitSlow.takingMyTime() timed out after 500 ms']]);
    await vi.advanceTimersByTimeAsync(3500);
    await example;
    expect(log.mock.calls).toEqual([['ABitSlow.takingMyTime() timed out after 500 ms'], ['done']]);
  });

  test('the phone: a state timeout, an error as a transition and an exit reason, on the test clock', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./examples/phone.js');
    expect(log.mock.calls).toEqual([
      ['ringing ended:', { type: 'timeout', to: 'voicemail' }],
      ['message left (no answer)'],
      ['message left (line dropped)'],
    ]);
  });

  test('backpressure and cancellation: the producer never meets a full queue, the caller gives up', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./examples/backpressure.js');
    expect(log.mock.calls).toEqual([['the user left'], [100]]);
  });

  test('the resource manager: every report the consumer reads through sync is whole', async () => {
    const { runResourceManager } = await import('./examples/resourceManager.js');
    const lines: string[] = [];
    const reports = await runResourceManager({ rounds: 4, log: (line) => lines.push(line) });
    expect(reports.length).toBeGreaterThan(1);
    for (const report of reports) expect([0, 3]).toContain(Object.keys(report).length);
    expect(reports.at(-1)).toMatchObject({
      pump: expect.any(Number),
      valve: expect.any(Number),
      tank: expect.any(Number),
    });
    expect(lines[0]).toMatch(/^consumer read /);
  });

  test('the plant, as a graph: a run goes through its states to its final value', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./examples/plantRun.js');
    expect(log.mock.calls).toEqual([['sprouting'], ['dead: cleaning up'], ['withered'], [undefined]]);
  });

  test('the plant, as a class: its decorated methods run as one machine', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./examples/plantClass.js');
    expect(log.mock.calls).toEqual([['eaten'], ['sprouting -> growing -> flowering -> dead']]);
  });

  test('XState interop: clients run the graph, host the handler, persist and restore runs, walk paths', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./examples/interop.js');
    expect(log.mock.calls).toEqual([
      ['withered'],
      [true],
      [{ planted: 1, outcome: 'eaten' }],
      ['growing'],
      ['withered'],
      [['sprouting', 'growing', 'done', 'flowering', 'dead', 'withering']],
    ]);
  });

  test('visualizing your own machines: follows handlers and graphs, and closes', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./examples/visualizeYourOwn.js');
    expect(log.mock.calls.map(([line]) => line)).toEqual([
      expect.stringMatching(/^open http:\/\/127\.0\.0\.1:\d+\/$/),
      'soup is ready',
      expect.stringMatching(
        /^cook\(\) sync → ok in \d+ ms; started in closed; closed → open; ended with "open"$/,
      ),
    ]);
  });

  test('npm start -- --once runs the demo, printing transitions and calls, and exits by itself', async () => {
    const { stdout } = await promisify(execFile)('npm', ['start', '--silent', '--', '--once'], {
      cwd: new URL('..', import.meta.url),
      timeout: 60_000,
    });
    expect(stdout).toMatch(/greenstate demo: the visualizer is at http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout).toMatch(/^sprouting \d\d:\d\d:\d\d( #\d+)?: sprouting → growing$/m);
    expect(stdout).toMatch(/^manager: updateResource\(\) oneway → ok/m);
    expect(stdout).toMatch(/^manager: accessResources\(\) sync → ok/m);
    expect(stdout).toMatch(/done: the consumer read \d+ reports, none of them half-built/);
  }, 60_000);

  test('npm start refuses an option it does not know, with its usage line', async () => {
    const failed = await promisify(execFile)('npm', ['start', '--silent', '--', '--prot', '1'], {
      cwd: new URL('..', import.meta.url),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain("greenstate demo: Unknown option '--prot'");
    expect((failed as { stderr: string }).stderr).toContain('usage: npm start [-- --once] [-- --port N]');
  }, 60_000);

  test('SIGTERM to npm start stops the demo cleanly: no process is left serving the port', async () => {
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      npm.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /visualizer is at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (found) resolve(found[1] as string);
      });
      npm.once('exit', () => reject(new Error(`the demo ended before serving: ${out}`)));
    });
    expect((await fetch(url)).status).toBe(200);
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    npm.kill('SIGTERM');
    await exited;
    expect(out).toContain('greenstate demo: stopping');
    await expect(fetch(url)).rejects.toThrow(); // nobody serves it any more
  }, 60_000);
});
