// The visualizer under load and misuse: bounded memory whatever the program or the page does, one
// timeline entry per call however an actor is followed, and nothing followed after close.
import { request } from 'node:http';
import { DeferredCallHandler, defineStates } from 'greenstate';
import { type Visualizer, visualize } from 'greenstate/visualizer';
import { afterEach, describe, expect, test } from 'vitest';
import { plant } from '../examples/plant.js';
import { heapAfterGc, tick } from '../support/helpers.js';
import { events } from '../support/server.js';

class Worker extends DeferredCallHandler {
  work(n: number) {
    return `${'x'.repeat(200)} ${n}`;
  }
}

let viz: Visualizer | undefined;
afterEach(async () => {
  await viz?.close();
  viz = undefined;
});

describe('following', () => {
  test('a handler inspected by the visualizer and also added to it, twice, counts each call once', async () => {
    viz = await visualize();
    const worker = new Worker({ inspect: viz.inspect });
    viz.add(worker);
    viz.add(worker);
    const answer = worker.sync.work(1);
    await worker.process();
    await answer;
    expect(viz.timeline.filter((entry) => entry.kind === 'call')).toHaveLength(1);
  });

  test('a closed visualizer follows nothing more: its timeline stays as it was, listeners hear nothing', async () => {
    viz = await visualize();
    const worker = new Worker({ inspect: viz.inspect });
    const added = new Worker({ name: 'added' });
    viz.add(added);
    const heard: unknown[] = [];
    viz.onTimeline((entry) => heard.push(entry));
    const closed = viz;
    await closed.close();
    const before = closed.timeline.length;
    for (const handler of [worker, added]) {
      const answer = handler.sync.work(2);
      await handler.process();
      await answer;
    }
    await defineStates({ only: () => 1 }, { inspect: closed.inspect }).only().done;
    expect(closed.timeline.length).toBe(before);
    expect(heard).toEqual([]);
    expect(() => closed.add(worker)).toThrow('visualize().add: this visualizer is closed.');
  });

  test('close() resolves while a page that asked for the event stream waits for the layout', async () => {
    viz = await visualize();
    viz.add(plant.machine); // laid out while the page's request arrives
    const { port } = new URL(viz.url);
    const page = request({ host: '127.0.0.1', port, path: '/api/events' });
    page.on('error', () => {});
    page.end();
    // The headers come at once; the first message only once every machine is laid out.
    await new Promise((resolve) => page.once('response', resolve));
    await viz.close(); // would never resolve if the stream were registered after close
    viz = undefined;
    page.destroy();
  });
});

describe('bad values', () => {
  test('add() of a class without @state methods is a TypeError, as for anything it cannot draw', async () => {
    viz = await visualize();
    expect(() => viz?.add(class Plain {})).toThrow(
      new TypeError(
        'class Plain has no @state methods, so it has no machine: decorate its states with @state.',
      ),
    );
    expect(() => viz?.add(42)).toThrow(TypeError);
  });
});

describe('bounded memory', () => {
  test('a page that stops reading does not make the server buffer every update', async () => {
    viz = await visualize();
    const worker = new Worker({ inspect: viz.inspect });
    const { port } = new URL(viz.url);
    // A page that connects, reads the first message, then never reads again.
    await new Promise<void>((resolve, reject) => {
      const page = request({ host: '127.0.0.1', port, path: '/api/events' }, (response) => {
        response.once('data', () => {
          response.pause();
          resolve();
        });
      });
      page.on('error', reject);
      page.end();
    });
    const before = heapAfterGc();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1000; i++) worker.oneway.work(i);
      await worker.process();
      await tick();
    }
    // 20,000 calls, each several updates of hundreds of bytes: unbounded, tens of megabytes.
    expect(heapAfterGc() - before).toBeLessThan(8 * 1024 * 1024);
  }, 60_000);

  test('calls refused before they run leave nothing behind in the visualizer', async () => {
    viz = await visualize();
    const worker = new Worker({ inspect: viz.inspect });
    let ids = 0;
    const refused = () => {
      for (let i = 0; i < 20_000; i++)
        worker.ref.send({ type: 'call', id: `bad${++ids}`, method: 'nope', args: [] });
    };
    refused(); // warm up
    const before = heapAfterGc();
    for (let round = 0; round < 5; round++) refused();
    expect(heapAfterGc() - before).toBeLessThan(2 * 1024 * 1024); // 10^5 calls: 20 bytes each would show
  }, 60_000);

  test('closed handlers are forgotten beyond the latest few, as finished runs are', async () => {
    viz = await visualize();
    for (let i = 0; i < 300; i++) new Worker({ name: `w${i}`, inspect: viz.inspect }).close();
    const alive = new Worker({ name: 'alive', inspect: viz.inspect });
    const [reset] = await events(viz.url, (messages) => messages.length > 0);
    const actors = (reset as unknown as { actors: { name: string; handler?: { closed: boolean } }[] }).actors;
    expect(actors.filter((actor) => actor.handler?.closed).length).toBeLessThanOrEqual(20);
    expect(actors.map((actor) => actor.name)).toContain('alive');
    alive.close();
  });
});
