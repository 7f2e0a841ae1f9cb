// The visualizer without a browser: the server's routes and safety, live following, and
// compatibility with Stately's own inspector.
import { createInspector } from '@statelyai/inspect';
import { DeferredCallHandler, defineStates, type StateContext, state } from 'greenstate';
import { type Visualizer, visualize } from 'greenstate/visualizer';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMachine } from 'xstate';
import { tick } from '../support/helpers.js';
import { events, get } from '../support/server.js';

let viz: Visualizer | undefined;
afterEach(async () => {
  await viz?.close();
  viz = undefined;
});

describe('the server', () => {
  test('binds 127.0.0.1 and serves its page', async () => {
    viz = await visualize();
    expect(viz.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(viz.url, '/');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/app.js">');
    expect((await get(viz.url, '/app.js')).status).toBe(200);
  });

  test('serves only its own files: path traversal attempts are 404s', async () => {
    viz = await visualize();
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/app.js/../../package.json',
      '//etc/passwd',
      '/visualize.ts',
    ]) {
      const response = await get(viz.url, path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('"name": "greenstate"');
    }
  });

  test('answers only requests addressed to 127.0.0.1 or localhost (no DNS rebinding)', async () => {
    viz = await visualize();
    const port = new URL(viz.url).port;
    expect((await get(viz.url, '/', { host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(viz.url, '/', { host: `localhost:${port}` })).status).toBe(200);
  });

  test('refuses a bad port or options with a clear error', async () => {
    await expect(visualize({ prot: 1 } as never)).rejects.toThrow(
      'visualize(options) takes an options object { port }, got {"prot":1}.',
    );
    await expect(visualize({ port: -1 })).rejects.toThrow(
      'visualize(options): port must be an integer from 0 to 65535, got -1.',
    );
  });

  test('add() refuses what it cannot draw, naming it', async () => {
    viz = await visualize();
    const v = viz;
    expect(() => v.add(42)).toThrow(TypeError);
    expect(() => v.add({ id: 'not a machine' })).toThrow(
      'visualize().add takes a handler, a state graph, a run, a class with @state methods, an XState machine or an actor; got {"id":"not a machine"}.',
    );
  });

  test('streams machines, actors and a timeline of transitions and traced calls', async () => {
    viz = await visualize();
    const graph = defineStates(
      {
        a: { transitionsTo: 'b', body: (ctx: StateContext<'b'>) => ctx.to.b() },
        b: async (ctx) => ctx.sleep(50),
      },
      { id: 'ab', inspect: viz.inspect },
    );
    class Counter extends DeferredCallHandler {
      add(n: number) {
        return n;
      }
    }
    const counter = new Counter({ name: 'counter', inspect: viz.inspect });
    viz.add(graph);
    const run = graph.a();
    const answer = counter.sync.add(1);
    counter.oneway.add(2);
    await counter.process();
    await answer;
    await run.done;
    const messages = await events(viz.url, (m) => m.some((message) => message.type === 'reset'));
    const reset = messages.find((message) => message.type === 'reset') as unknown as {
      machines: { id: string; layout?: unknown }[];
      actors: { name: string; status: string; handler?: { pending: number } }[];
      timeline: {
        kind: string;
        method?: string;
        oneway?: boolean;
        outcome?: string;
        from?: string;
        to?: string;
      }[];
    };
    expect(reset.machines.map((machine) => machine.id).sort()).toEqual(['DeferredCallHandler', 'ab']);
    expect(reset.machines.every((machine) => machine.layout !== undefined)).toBe(true);
    expect(reset.actors.find((actor) => actor.name === 'counter')?.handler?.pending).toBe(0);
    expect(reset.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'transition', from: 'a', to: 'b' }),
        expect.objectContaining({ kind: 'transition', from: 'b', to: 'done' }),
        expect.objectContaining({ kind: 'call', method: 'add', oneway: false, outcome: 'ok' }),
        expect.objectContaining({ kind: 'call', method: 'add', oneway: true, outcome: 'ok' }),
      ]),
    );
    expect((await get(viz.url, '/api/machines/m1.mmd')).body).toMatch(/^stateDiagram-v2/);
  });

  test('a page that disconnects does not disturb the program, nor the next page', async () => {
    viz = await visualize();
    class Worker extends DeferredCallHandler {
      work() {
        return 'done';
      }
    }
    const worker = new Worker({ inspect: viz.inspect });
    await events(viz.url, (m) => m.length > 0); // connects, then hangs up at once
    await tick();
    const answer = worker.sync.work();
    await worker.process();
    expect(await answer).toBe('done');
    const again = await events(viz.url, (m) => m.length > 0);
    expect(again[0]?.type).toBe('reset');
  });

  test('follows a handler, a run and a class added after they started', async () => {
    viz = await visualize();
    const handler = new DeferredCallHandler({ name: 'late' });
    class Lamp {
      @state
      async on() {}
    }
    const graph = defineStates({ idle: () => new Promise(() => {}) }, { id: 'idle' });
    const run = graph.idle();
    viz.add(handler);
    viz.add(run);
    viz.add(Lamp);
    viz.add(createMachine({ id: 'plain', initial: 'x', states: { x: {} } }));
    const messages = await events(viz.url, (m) => m.some((message) => message.type === 'reset'));
    const reset = messages[0] as unknown as { machines: { id: string }[]; actors: { name: string }[] };
    expect(reset.machines.map((machine) => machine.id).sort()).toEqual([
      'DeferredCallHandler',
      'Lamp',
      'idle',
      'plain',
    ]);
    // A run is named after its first state and start time; a handler, by its name.
    expect(reset.actors.map((actor) => actor.name).sort()).toEqual([
      expect.stringMatching(/^idle \d\d:\d\d:\d\d$/),
      'late',
    ]);
    run.stop();
  });
});

describe("Stately's inspector", () => {
  test('sees greenstate actors through a custom adapter, as it sees hand-written ones', async () => {
    const received: { type: string; sessionId: string }[] = [];
    const inspector = createInspector({ send: (event) => void received.push(event as never) });
    const graph = defineStates({ only: (_ctx, n: number) => n }, { id: 'only', inspect: inspector.inspect });
    const run = graph.only(7);
    class Echo extends DeferredCallHandler {
      echo(x: string) {
        return x;
      }
    }
    const echo = new Echo({ inspect: inspector.inspect });
    const answer = echo.sync.echo('hi');
    await echo.process();
    expect(await answer).toBe('hi');
    expect(await run.done).toBe(7);
    // The inspector delivers its events when the program is idle.
    await vi.waitFor(() => {
      expect(new Set(received.map((event) => event.type))).toEqual(
        new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']),
      );
    });
    const sessions = new Set(received.map((event) => event.sessionId));
    expect(sessions.has(run.actor.sessionId)).toBe(true);
    expect(sessions.has(echo.ref.sessionId)).toBe(true);
  });
});
