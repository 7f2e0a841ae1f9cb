// What greenstate/restate refuses at the call site, before anything reaches a server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeferredCallHandler, defineStates, machineOf, state } from 'greenstate';
import { restateHandler, restateObject, restateRun, restateStates } from 'greenstate/restate';
import { describe, expect, test } from 'vitest';

const graph = defineStates({ only: (_ctx, n: number) => n }, { id: 'only' });

class Lamp {
  @state()
  on() {
    return 'lit';
  }
}

class Counter extends DeferredCallHandler {
  add(n: number) {
    return n;
  }
}

describe('restateStates', () => {
  test('serves a graph, its machine, or a class, named by the machine’s id unless named', () => {
    expect(restateStates(graph).name).toBe('only');
    expect(restateStates(graph.machine, { name: 'doubler' }).name).toBe('doubler');
    expect(restateStates(Lamp).name).toBe('Lamp');
  });

  test('refuses what is not a graph, naming it', () => {
    expect(() => restateStates({} as never)).toThrow(
      'restateStates takes a graph of defineStates, its machine, or a class with @state methods, got {}.',
    );
  });

  test('refuses an initial state the graph does not have, listing its states', () => {
    expect(() => restateStates(graph, { initial: 'other' })).toThrow(
      'restateStates: the initial state "other" is not a state of defineStates (its states: only).',
    );
  });

  test('refuses the class machine of an object without a way to make objects', () => {
    expect(() => restateStates(machineOf(Lamp))).toThrow(
      /runs an object's methods: give the class itself, or \{ create \}/,
    );
    expect(restateStates(machineOf(Lamp), { create: () => new Lamp() }).name).toBe('Lamp');
  });

  test('refuses unknown and ill-typed options', () => {
    expect(() => restateStates(graph, { nmae: 'x' } as never)).toThrow(/nmae/);
    expect(() => restateStates(graph, { finalStateTTL: -1 })).toThrow(/finalStateTTL/);
  });
});

describe('restateObject', () => {
  test('serves a handler class with one handler per method, and one that cancels calls', () => {
    const service = restateObject(Counter) as unknown as { name: string; object: Record<string, unknown> };
    expect(service.name).toBe('Counter');
    expect(Object.keys(service.object).sort()).toEqual(['_cancel', 'add']);
  });

  test('refuses what is not a class, and a method named like its cancelling handler', () => {
    expect(() => restateObject(42 as never)).toThrow(
      'restateObject takes a DeferredCallHandler class, got 42.',
    );
    class Clash extends DeferredCallHandler {
      _cancel() {}
    }
    expect(() => restateObject(Clash)).toThrow(/has a method _cancel, the name its served object keeps/);
  });
});

describe('the clients', () => {
  test('restateHandler and restateRun need an ingress URL, a key and the served name', () => {
    expect(() => restateHandler(42 as never, 'k', { name: 'Counter' })).toThrow(
      'restateHandler takes the ingress URL (http://host:8080), got 42.',
    );
    expect(() => restateHandler('http://127.0.0.1:1', '', { name: 'Counter' })).toThrow(
      /non-empty string other than "." and "..", got ""/,
    );
    expect(() => restateHandler('http://127.0.0.1:1', 'k', {} as never)).toThrow(
      /needs the name the object is served under/,
    );
    expect(() => restateRun('http://127.0.0.1:1', 'k', {} as never)).toThrow(
      /needs the name the graph is served under/,
    );
    expect(() =>
      restateHandler('http://127.0.0.1:1', 'k', { name: 'C', headers: { a: 1 } as never }),
    ).toThrow(/headers/);
  });

  test('a sync call whose arguments are not JSON rejects at once, and sends nothing', async () => {
    const counter = restateHandler<typeof Counter>('http://127.0.0.1:1', 'k', { name: 'Counter' });
    await expect(counter.sync.add(1n as never)).rejects.toThrow(
      /Counter\/k\.add\(\) was given arguments that are not JSON .*calls through Restate carry JSON/,
    );
    expect(() => counter.oneway.add(1n as never)).toThrow(/not JSON/);
    await expect(counter.sync.add((() => 1) as never)).rejects.toThrow(/not JSON/);
    await expect(restateRun('http://127.0.0.1:1', 'k', { name: 'g' }).start(1n)).rejects.toThrow(
      /^g\/k\.start\(\) was given arguments that are not JSON/,
    );
    expect(counter.pending).toBe(0);
  });

  test('an ingress nobody listens on rejects a sync call with a RestateCallError of status 0', async () => {
    const counter = restateHandler<typeof Counter>('http://127.0.0.1:1', 'k', { name: 'Counter' });
    await expect(counter.sync.add(1)).rejects.toMatchObject({
      name: 'RestateCallError',
      status: 0,
      handler: 'Counter/k',
      method: 'add',
      message:
        'Counter/k.add(): the Restate ingress at http://127.0.0.1:1/Counter/k/add could not be reached.',
    });
  });

  test('an ingress URL in capitals is understood (HTTPS:// goes over https)', async () => {
    const counter = restateHandler<typeof Counter>('HTTPS://127.0.0.1:1', 'k', { name: 'Counter' });
    await expect(counter.sync.add(1)).rejects.toMatchObject({ name: 'RestateCallError', status: 0 });
  });

  test('done() does not ask again at once when a round ends at once, and reads the run before it gives up', async () => {
    const asked: string[] = [];
    const ingress = createServer((req, res) => {
      asked.push(req.url ?? '');
      const snapshot = req.url?.endsWith('/snapshot');
      res.writeHead(snapshot ? 200 : 408, { 'content-type': 'application/json' });
      res.end(snapshot ? JSON.stringify({ status: 'active', value: 'only', context: { args: [] } }) : '{}');
    });
    await new Promise<void>((resolve) => ingress.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = ingress.address() as AddressInfo;
      const run = restateRun(`http://127.0.0.1:${port}`, 'r', { name: 'only' });
      await expect(run.done({ timeout: 300 })).rejects.toMatchObject({
        name: 'RestateCallError',
        status: 408,
      });
      expect(asked.filter((url) => url.endsWith('/waitFor')).length).toBeLessThan(10);
      expect(asked.at(-1)).toBe('/only/r/snapshot');
    } finally {
      await new Promise((resolve) => ingress.close(resolve));
    }
  });

  test('a sync call given an aborted signal rejects with its reason, and sends nothing', async () => {
    const counter = restateHandler<typeof Counter>('http://127.0.0.1:1', 'k', { name: 'Counter' });
    const reason = new Error('no');
    await expect(counter.sync({ signal: AbortSignal.abort(reason) }).add(1)).rejects.toBe(reason);
    expect(() => counter.sync({ timeout: -1 })).toThrow(/timeout/);
  });
});
