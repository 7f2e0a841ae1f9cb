// What the visualizer knows of the program, without a browser: handlers as they are (status, running
// call, whitelist, queued calls and who sent them), runs named by the user's names, a timeline in words,
// time travel through the server's history, and updates batched per page.
import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
import { type ActorView, type Visualizer, visualize } from 'greenstate/visualizer';
import { afterEach, describe, expect, test } from 'vitest';
import { createActor, createMachine, sendTo } from 'xstate';
import { deferred, tick } from '../support/helpers.js';
import { events, get, stream } from '../support/server.js';

let viz: Visualizer | undefined;
afterEach(async () => {
  await viz?.close();
  viz = undefined;
});

class Desk extends DeferredCallHandler {
  readonly gate = deferred();
  async slow() {
    await this.gate.promise;
    return 'slow';
  }
  quick(n: number) {
    return n;
  }
}

/** The page's first message: the whole picture. */
async function reset(url: string) {
  const [first] = await events(url, (messages) => messages.length > 0);
  return first as unknown as { seq: number; actors: ActorView[]; timeline: Record<string, unknown>[] };
}

const handlerOf = (actors: ActorView[], name: string) => actors.find((actor) => actor.name === name)?.handler;

describe('handlers as they are', () => {
  test('lists the queued calls (method, kind, age, caller), the running call and the whitelist in force', async () => {
    viz = await visualize();
    const desk = new Desk({ name: 'desk', inspect: viz.inspect });
    const slow = desk.sync.slow();
    desk.oneway.quick(1);
    const quick = desk.sync.quick(2);
    const processing = desk.process({ whitelist: ['slow', 'quick'] });
    await tick();
    const during = handlerOf((await reset(viz.url)).actors, 'desk');
    expect(during).toMatchObject({
      status: 'processing',
      pending: 2,
      currentCall: 'slow',
      running: { method: 'slow', oneway: false, caller: 'outside', startedAt: expect.any(Number) },
      whitelist: ['slow', 'quick'],
    });
    expect(during?.queue.map(({ method, oneway, caller }) => ({ method, oneway, caller }))).toEqual([
      { method: 'quick', oneway: true, caller: 'outside' },
      { method: 'quick', oneway: false, caller: 'outside' },
    ]);
    expect(during?.queue.every((call) => typeof call.queuedAt === 'number')).toBe(true);
    desk.gate.resolve();
    await processing;
    await Promise.all([slow, quick]);
    const after = handlerOf((await reset(viz.url)).actors, 'desk');
    expect(after).toMatchObject({ status: 'idle', pending: 0, queue: [] });
    expect(after?.running).toBeUndefined();
    expect(after?.whitelist).toBeUndefined();
  });

  test('a forever loop with nothing to run is waiting; a closed handler is closed', async () => {
    viz = await visualize();
    const desk = new Desk({ name: 'desk', inspect: viz.inspect });
    const loop = desk.process({ forever: true });
    await tick();
    expect(handlerOf((await reset(viz.url)).actors, 'desk')?.status).toBe('waiting');
    desk.close();
    await loop.catch(() => {});
    expect(handlerOf((await reset(viz.url)).actors, 'desk')?.status).toBe('closed');
  });

  test('a call sent by an XState actor names that actor as its caller', async () => {
    viz = await visualize();
    const desk = new Desk({ name: 'desk', inspect: viz.inspect });
    const asker = createActor(
      createMachine({
        id: 'asker',
        entry: sendTo(() => desk.ref, { type: 'call', id: 'q1', method: 'quick', args: [7], oneway: true }),
      }),
      { id: 'asker', inspect: viz.inspect },
    );
    asker.start();
    const queued = handlerOf((await reset(viz.url)).actors, 'desk')?.queue;
    expect(queued).toEqual([expect.objectContaining({ id: 'q1', method: 'quick', caller: 'asker' })]);
    await desk.process();
    expect(viz.timeline.at(-1)).toMatchObject({ kind: 'call', caller: 'asker', ok: true });
    expect(viz.timeline.at(-1)?.text).toMatch(/^quick\(\) oneway from asker → ok in \d+ ms$/);
    asker.stop();
  });

  test('shows the bound of a handler with maxPending, and when it is full', async () => {
    viz = await visualize();
    const desk = new Desk({ name: 'bounded', maxPending: 2, inspect: viz.inspect });
    desk.oneway.quick(1);
    expect(handlerOf((await reset(viz.url)).actors, 'bounded')).toMatchObject({
      pending: 1,
      maxPending: 2,
      full: false,
    });
    desk.oneway.quick(2);
    expect(handlerOf((await reset(viz.url)).actors, 'bounded')).toMatchObject({
      pending: 2,
      maxPending: 2,
      full: true,
    });
    const unbounded = new Desk({ name: 'unbounded', inspect: viz.inspect });
    expect(handlerOf((await reset(viz.url)).actors, 'unbounded')).toMatchObject({ pending: 0, full: false });
    expect(handlerOf((await reset(viz.url)).actors, 'unbounded')?.maxPending).toBeUndefined();
    unbounded.close();
  });

  test('a protocol call it refuses is never listed as queued', async () => {
    viz = await visualize();
    const desk = new Desk({ name: 'desk', inspect: viz.inspect });
    desk.ref.send({ type: 'call', id: 'bad', method: 'nope', args: [] });
    expect(handlerOf((await reset(viz.url)).actors, 'desk')).toMatchObject({ pending: 0, queue: [] });
  });
});

describe('the timeline in words', () => {
  test('a run starts, moves and ends with its output; a failing run fails with its message', async () => {
    viz = await visualize();
    const graph = defineStates(
      {
        a: { transitionsTo: 'b', body: (ctx: StateContext<'b'>) => ctx.to.b() },
        b: () => 'withered',
      },
      { id: 'ab', inspect: viz.inspect },
    );
    await graph.a().done;
    const broken = defineStates(
      {
        only: () => {
          throw new TypeError('no water');
        },
      },
      { id: 'broken', inspect: viz.inspect },
    );
    await broken.only().done.catch(() => {});
    const texts = viz.timeline.map((entry) => entry.text);
    expect(texts).toEqual([
      'started in a',
      'a → b',
      'ended with "withered"',
      'started in only',
      'failed: TypeError: no water',
    ]);
    expect(viz.timeline.map((entry) => entry.ok)).toEqual([true, true, true, true, false]);
    expect(viz.timeline.some((entry) => entry.text.includes('xstate.'))).toBe(false);
  });

  test('a stopped run is stopped in its state', async () => {
    viz = await visualize();
    const graph = defineStates({ waiting: () => new Promise(() => {}) }, { id: 'w', inspect: viz.inspect });
    const run = graph.waiting();
    run.stop();
    expect(viz.timeline.at(-1)?.text).toBe('stopped in waiting');
  });
});

describe('time travel', () => {
  test('every actor as it was just after a timeline entry', async () => {
    viz = await visualize();
    const graph = defineStates(
      {
        one: { transitionsTo: 'two', body: (ctx: StateContext<'two'>) => ctx.to.two() },
        two: { transitionsTo: 'three', body: (ctx: StateContext<'three'>) => ctx.to.three() },
        three: () => new Promise(() => {}),
      },
      { id: 'steps', inspect: viz.inspect },
    );
    const run = graph.one();
    await tick();
    const moved = viz.timeline.find((entry) => entry.text === 'one → two');
    expect(moved).toBeDefined();
    const answer = await get(viz.url, `/api/at?seq=${moved?.seq}`);
    expect(answer.status).toBe(200);
    const then = JSON.parse(answer.body) as { actors: ActorView[] };
    expect(then.actors.find((actor) => actor.id === run.actor.sessionId)?.value).toBe('two');
    expect((await reset(viz.url)).actors.find((actor) => actor.id === run.actor.sessionId)?.value).toBe(
      'three',
    );
    run.stop();
  });

  test('before the run existed, it is not there; a bad seq is a 400', async () => {
    viz = await visualize();
    const graph = defineStates({ only: () => new Promise(() => {}) }, { id: 'later', inspect: viz.inspect });
    const run = graph.only();
    const then = JSON.parse((await get(viz.url, '/api/at?seq=0')).body) as { actors: ActorView[] };
    expect(then.actors.some((actor) => actor.id === run.actor.sessionId)).toBe(false);
    const bad = await get(viz.url, '/api/at?seq=soon');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('seq must be an integer');
    run.stop();
  });
});

describe('updates to a page', () => {
  test('come in batches with each actor’s latest view, however many snapshots there were', async () => {
    viz = await visualize();
    const desk = new Desk({ name: 'desk', inspect: viz.inspect });
    const page = stream(viz.url);
    await page.until((message) => message.type === 'reset');
    for (let i = 0; i < 500; i++) desk.oneway.quick(i);
    await page.until(
      (message) =>
        message.type === 'batch' &&
        (message.actors as ActorView[]).some((actor) => actor.handler?.pending === 500),
    );
    page.close();
    const messages = page.messages;
    const batches = messages.filter((message) => message.type === 'batch');
    // 500 calls are 500 snapshots of the desk: the page gets a handful of batches, not 500 updates.
    expect(batches.length).toBeLessThan(10);
    for (const batch of batches)
      expect(
        (batch.actors as ActorView[]).filter((actor) => actor.name === 'desk').length,
      ).toBeLessThanOrEqual(1);
  });

  test('a page that reads along gets batches, never the whole picture again, however large they are', async () => {
    viz = await visualize();
    const { inspect } = viz;
    const desks = Array.from(
      { length: 50 },
      (_, i) => new Desk({ name: `desk ${'x'.repeat(200)} ${i}`, inspect }),
    );
    for (const desk of desks) {
      desk.oneway.quick(1);
      await desk.process();
    }
    const page = stream(viz.url);
    await page.until((message) => message.type === 'reset');
    const later: string[] = [];
    // Each round changes every desk: a batch of 50 views of some 300 bytes, beyond a socket's 16 KB buffer.
    for (let round = 2; round <= 6; round++) {
      for (const desk of desks) desk.oneway.quick(round);
      await page.until(
        (message) =>
          message.type === 'batch' &&
          (message.actors as ActorView[]).filter((actor) => actor.handler?.pending === 1).length ===
            desks.length,
      );
      for (const desk of desks) await desk.process();
      await page.until(
        (message) =>
          message.type === 'batch' &&
          (message.actors as ActorView[]).every((actor) => actor.handler?.pending === 0),
      );
      // Keep the first reset only, so that each round waits for its own batches.
      later.push(...page.messages.splice(1).map((message) => message.type));
    }
    expect(later.length).toBeGreaterThanOrEqual(10);
    expect(new Set(later)).toEqual(new Set(['batch']));
    page.close();
  }, 30_000);
});
