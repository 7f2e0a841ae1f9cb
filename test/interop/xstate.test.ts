// greenstate's machines and actors in XState's own hands: created, invoked, spawned, awaited, persisted
// and found through systems exactly as hand-written ones are.
import {
  callSync,
  DeferredCallHandler,
  defineStates,
  HandlerClosedError,
  handlerMachine,
  machineOf,
  runOf,
  type StateContext,
  state,
} from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  type AnyActorRef,
  assign,
  createActor,
  fromPromise,
  getInitialSnapshot,
  type Snapshot,
  setup,
  spawnChild,
  toPromise,
  waitFor,
} from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { deferred, tick } from '../support/helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const gates = () => {
  const waiting: Array<() => void> = [];
  return {
    wait: () => new Promise<void>((resolve) => waiting.push(resolve)),
    open: async () => {
      while (waiting.length === 0) await tick();
      waiting.shift()?.();
    },
  };
};

/** A lamp that lights, dims and goes out: each body waits for its gate. */
function lampGraph(gate = gates(), starts: string[] = []) {
  const lamp = defineStates(
    {
      off: {
        transitionsTo: 'on',
        body: async (ctx: StateContext<'on'>, watts: number) => {
          starts.push(`off(${watts})`);
          await gate.wait();
          return ctx.to.on(watts * 2);
        },
      },
      on: {
        transitionsTo: 'dim',
        onStart: (_state, watts: number) => starts.push(`onStart on(${watts})`),
        body: async (ctx: StateContext<'dim'>, watts: number) => {
          starts.push(`on(${watts})`);
          await gate.wait();
          return ctx.to.dim(watts / 4);
        },
      },
      dim: async (_ctx, watts: number) => {
        starts.push(`dim(${watts})`);
        await gate.wait();
        if (watts < 0) throw new RangeError('negative watts');
        return `out after ${watts} W`;
      },
    },
    { id: 'lamp' },
  );
  return { lamp, gate, starts };
}

const jsonRoundTrip = (snapshot: Snapshot<unknown>) =>
  JSON.parse(JSON.stringify(snapshot)) as Snapshot<unknown>;

describe('a state graph machine in XState clients', () => {
  test('createActor(graph.machine) runs it from its first state, with the arguments from its input', async () => {
    const { lamp, gate, starts } = lampGraph();
    const actor = createActor(lamp.machine, { input: { args: [10] } });
    const done = toPromise(actor);
    actor.start();
    expect(actor.getSnapshot().value).toBe('off');
    expect(actor.getSnapshot().context).toEqual({ args: [10] });
    await gate.open();
    await waitFor(actor, (snapshot) => snapshot.value === 'on');
    expect(actor.getSnapshot().context).toEqual({ args: [20] });
    await gate.open();
    await gate.open();
    expect(await done).toBe('out after 5 W');
    expect(starts).toEqual(['off(10)', 'onStart on(20)', 'on(20)', 'dim(5)']);
  });

  test('a first state that takes no arguments needs no input; a bad input fails the actor, saying why', async () => {
    const hello = defineStates({ greet: () => 'hello' });
    expect(await toPromise(createActor(hello.machine).start())).toBe('hello');
    const actor = createActor(hello.machine, { input: { args: 3 } as never });
    const failed = toPromise(actor);
    actor.start();
    await expect(failed).rejects.toThrow('The machine states takes the input { args: [...] }');
    for (const input of [{ arg: [1] }, [1], 'x']) {
      const wrong = createActor(hello.machine, { input: input as never });
      const refusal = toPromise(wrong);
      wrong.start();
      await expect(refusal).rejects.toThrow(/takes the input \{ args: \[\.\.\.\] \}/);
    }
  });

  test('a hand-written parent invokes it from setup({ actors }): onDone gets the output, onError the error', async () => {
    const { lamp, gate } = lampGraph();
    const parent = setup({
      types: {} as { context: { result: unknown; failure: unknown } },
      actors: { lamp: lamp.machine },
    }).createMachine({
      context: { result: undefined, failure: undefined },
      initial: 'lit',
      states: {
        lit: {
          invoke: {
            src: 'lamp',
            input: { args: [8] },
            onDone: { target: 'over', actions: assign({ result: ({ event }) => event.output }) },
            onError: { target: 'over', actions: assign({ failure: ({ event }) => event.error }) },
          },
        },
        over: { type: 'final' },
      },
    });
    const ok = createActor(parent).start();
    for (let i = 0; i < 3; i++) await gate.open();
    await waitFor(ok, (snapshot) => snapshot.status === 'done');
    expect(ok.getSnapshot().context).toEqual({ result: 'out after 4 W', failure: undefined });

    const failing = lampGraph();
    const child = setup({ actors: { lamp: failing.lamp.machine } }).createMachine({
      context: { failure: undefined as unknown },
      initial: 'lit',
      states: {
        lit: {
          invoke: {
            src: 'lamp',
            input: { args: [-8] },
            onError: { target: 'over', actions: assign({ failure: ({ event }) => event.error }) },
          },
        },
        over: { type: 'final' },
      },
    });
    const failed = createActor(child).start();
    for (let i = 0; i < 3; i++) await failing.gate.open();
    await waitFor(failed, (snapshot) => snapshot.status === 'done');
    expect(failed.getSnapshot().context.failure).toEqual(new RangeError('negative watts'));
  });

  test('spawnChild runs it as a child actor of a hand-written machine', async () => {
    const { lamp, gate } = lampGraph();
    const parent = setup({ actors: { lamp: lamp.machine } }).createMachine({
      entry: spawnChild('lamp', { id: 'kitchen', input: { args: [2] } }),
    });
    const actor = createActor(parent).start();
    const kitchen = actor.getSnapshot().children.kitchen as AnyActorRef;
    expect(kitchen.getSnapshot().value).toBe('off');
    for (let i = 0; i < 3; i++) await gate.open();
    await waitFor(kitchen, (snapshot) => snapshot.status === 'done');
    expect(kitchen.getSnapshot().output).toBe('out after 1 W');
  });

  test("a running run's persisted snapshot is JSON, and restores: the body restarts with its arguments", async () => {
    const { lamp, gate, starts } = lampGraph();
    const run = lamp.start('off', 3);
    await gate.open();
    await waitFor(run.actor, (snapshot) => snapshot.value === 'on');
    await tick();
    const persisted = jsonRoundTrip(run.actor.getPersistedSnapshot());
    run.stop();
    expect(await run.done).toBeUndefined();
    expect(persisted).toMatchObject({ status: 'active', value: 'on', context: { args: [6] } });

    const restored = createActor(lamp.machine, { snapshot: persisted }).start();
    expect(restored.getSnapshot().value).toBe('on');
    await gate.open(); // the stopped run's body, which no longer counts
    await gate.open(); // the restored body, from its beginning
    await gate.open();
    expect(await toPromise(restored)).toBe('out after 1.5 W');
    // onStart ran when the state was first entered, not again on restore; the body ran again.
    expect(starts).toEqual(['off(3)', 'onStart on(6)', 'on(6)', 'on(6)', 'dim(1.5)']);
  });

  test('a finished run restores as done, with its output', async () => {
    const hello = defineStates({ greet: (_ctx, name: string) => `hello ${name}` });
    const run = hello.greet('you');
    expect(await run.done).toBe('hello you');
    const persisted = jsonRoundTrip(run.actor.getPersistedSnapshot());
    const restored = createActor(hello.machine, { snapshot: persisted }).start();
    expect(restored.getSnapshot()).toMatchObject({ status: 'done', output: 'hello you' });
    expect(await toPromise(restored)).toBe('hello you');
  });
});

class Plant {
  log: string[] = [];
  @state({ transitionsTo: 'growing' })
  async seed(days: number) {
    this.log.push(`seed ${days}`);
    return this.growing(days + 1);
  }
  @state()
  async growing(days: number) {
    this.log.push(`growing ${days}`);
    return `grown in ${days} days`;
  }
}

describe("a decorated object's machine in XState clients", () => {
  test("createActor(machineOf(obj)) runs that object's methods and becomes its run", async () => {
    const plant = new Plant();
    const actor = createActor(machineOf(plant), { input: { args: [2] } });
    actor.start();
    expect(runOf(plant)?.actor).toBe(actor);
    expect(await toPromise(actor)).toBe('grown in 3 days');
    expect(plant.log).toEqual(['seed 2', 'growing 3']);
    expect(runOf(plant)).toBeUndefined();
  });

  test('a parent invokes machineOf(obj, initial); machineOf(Class) alone cannot run, and says why', async () => {
    const plant = new Plant();
    const parent = setup({ actors: { plant: machineOf(plant, 'growing') } }).createMachine({
      context: { result: undefined as unknown },
      initial: 'running',
      states: {
        running: {
          invoke: {
            src: 'plant',
            input: { args: [7] },
            onDone: { target: 'over', actions: assign({ result: ({ event }) => event.output }) },
          },
        },
        over: { type: 'final' },
      },
    });
    const actor = createActor(parent).start();
    await waitFor(actor, (snapshot) => snapshot.status === 'done');
    expect(actor.getSnapshot().context.result).toBe('grown in 7 days');

    const unbound = createActor(machineOf(Plant), { input: { args: [1] } });
    const failed = toPromise(unbound);
    unbound.start();
    await expect(failed).rejects.toThrow(/runs the methods of one object: start machineOf\(obj\)/);
  });

  test("an object's persisted run restores onto another object of its class", async () => {
    const gate = deferred();
    class Kettle {
      heated: number[] = [];
      @state({ transitionsTo: 'boiling' })
      async heating(degrees: number) {
        this.heated.push(degrees);
        await gate.promise;
        return this.boiling();
      }
      @state()
      boiling() {
        return `boiled after ${this.heated.join(', ')}`;
      }
    }
    const first = new Kettle();
    const actor = createActor(machineOf(first), { input: { args: [40] } }).start();
    await tick();
    const persisted = jsonRoundTrip(actor.getPersistedSnapshot());
    actor.stop();
    const second = new Kettle();
    const restored = createActor(machineOf(second), { snapshot: persisted }).start();
    expect(runOf(second)?.actor).toBe(restored);
    gate.resolve();
    expect(await toPromise(restored)).toBe('boiled after 40');
    expect(first.heated).toEqual([40]);
  });

  test('an object runs one machine at a time, whoever starts it', async () => {
    const plant = new Plant();
    const gate = deferred();
    class Slow {
      @state()
      async wait() {
        await gate.promise;
        return 'waited';
      }
    }
    const slow = new Slow();
    const first = createActor(machineOf(slow)).start();
    const second = createActor(machineOf(slow));
    const refused = toPromise(second);
    second.start();
    await expect(refused).rejects.toThrow(/already has a running machine \(in state "wait"\)/);
    gate.resolve();
    expect(await toPromise(first)).toBe('waited');
    expect(plant.log).toEqual([]);
  });
});

class Manager extends DeferredCallHandler {
  readings: number[] = [];
  record(reading: number) {
    this.readings.push(reading);
  }
  total() {
    return this.readings.reduce((sum, reading) => sum + reading, 0);
  }
}

describe('handlers in XState systems', () => {
  test('the systemId option registers the actor: system.get finds it, and callSync works on it', async () => {
    const manager = new Manager({ systemId: 'manager' });
    const found = manager.ref.system.get('manager');
    expect(found).toBe(manager.ref);
    manager.oneway.record(4);
    const total = callSync(found, 'total');
    await manager.process();
    expect(await total).toBe(4);
  });

  test('a hand-written machine hosts a handler: siblings reach it through system.get, the proxies use that actor', async () => {
    const manager = new Manager({ name: 'manager', hosted: true });
    expect(() => manager.ref).toThrow(/manager is hosted and no machine hosts it yet/);
    const reporter = fromPromise(async ({ system }) => {
      const ref = system.get('manager') as AnyActorRef;
      return callSync(ref, 'total');
    });
    const app = setup({ actors: { manager: manager.logic, reporter } }).createMachine({
      context: { total: undefined as unknown },
      invoke: { src: 'manager', systemId: 'manager' },
      initial: 'asking',
      states: {
        asking: {
          invoke: {
            src: 'reporter',
            onDone: { target: 'told', actions: assign({ total: ({ event }) => event.output }) },
          },
        },
        told: {},
      },
    });
    manager.oneway.record(5); // queued before any machine hosts it
    const actor = createActor(app).start();
    const hosted = actor.system.get('manager');
    expect(manager.ref).toBe(hosted);
    await tick();
    expect(hosted.getSnapshot().context).toMatchObject({ name: 'manager', pending: 2 });
    await manager.process();
    await waitFor(actor, (snapshot) => snapshot.value === 'told');
    expect(actor.getSnapshot().context.total).toBe(5);

    const late = manager.sync.total();
    actor.stop(); // the host goes; the handler goes on without an actor, and no call is lost
    expect(hosted.getSnapshot().status).toBe('stopped');
    await manager.process();
    expect(await late).toBe(5);
    manager.close();
    await expect(manager.sync.total()).rejects.toThrow(HandlerClosedError);
  });

  test('an actor made and never started takes up nothing: xstate/graph, a discarded createActor', async () => {
    const manager = new Manager({ hosted: true });
    const app = setup({ actors: { manager: manager.logic } }).createMachine({ invoke: { src: 'manager' } });
    createActor(app); // made, never started (React's first render does this)
    getShortestPaths(app);
    getInitialSnapshot(app);
    expect(() => manager.ref).toThrow(/no machine hosts it yet/);
    const actor = createActor(app).start();
    const hosted = Object.values(actor.getSnapshot().children)[0] as AnyActorRef;
    expect(manager.ref).toBe(hosted);
    manager.oneway.record(2);
    const total = callSync(hosted, 'total');
    await manager.process();
    expect(await total).toBe(2);
  });

  test('an actor stopped and started again, as React StrictMode does, takes its handler up again', async () => {
    const manager = new Manager({ hosted: true });
    const app = setup({ actors: { manager: manager.logic } }).createMachine({
      invoke: { id: 'm', src: 'manager' },
    });
    const actor = createActor(app).start();
    const hosted = actor.getSnapshot().children.m as AnyActorRef;
    // What @xstate/react's stopRootWithRehydration does between StrictMode's two mounts.
    const saved = [actor, hosted].map((ref) => [ref, ref.getSnapshot()] as const);
    actor.stop();
    for (const [ref, snapshot] of saved) Object.assign(ref, { _processingStatus: 0, _snapshot: snapshot });
    actor.start();
    manager.oneway.record(3);
    expect(hosted.getSnapshot().context).toMatchObject({ pending: 1, closed: false });
    const total = callSync(hosted, 'total');
    await manager.process();
    expect(await total).toBe(3);
    expect(hosted.getSnapshot().value).toBe('idle');
  });

  test('an actor that starts while its handler already processes shows where the handler is', async () => {
    const gate = deferred();
    class Slow extends DeferredCallHandler {
      async slow() {
        await gate.promise;
        return 'slow';
      }
    }
    const slow = new Slow({ hosted: true });
    const app = setup({ actors: { slow: slow.logic } }).createMachine({ invoke: { id: 's', src: 'slow' } });
    const parent = createActor(app); // hosts it once started
    const processing = slow.process({ forever: true });
    const answer = slow.sync.slow();
    await tick();
    parent.start();
    const hosted = parent.getSnapshot().children.s as AnyActorRef;
    expect(hosted.getSnapshot().value).toEqual({ processing: 'running' });
    expect(hosted.getSnapshot().context).toMatchObject({ currentCall: 'slow', pending: 0 });
    gate.resolve();
    expect(await answer).toBe('slow');
    await tick();
    expect(hosted.getSnapshot().value).toEqual({ processing: 'waiting' });
    slow.stopProcessing();
    await processing;
    expect(hosted.getSnapshot().value).toBe('idle');
  });

  test('a handler has one actor at a time: hosting a handler that has its own is refused', () => {
    const manager = new Manager();
    const app = setup({ actors: { manager: manager.logic } }).createMachine({
      invoke: { src: 'manager' },
    });
    const actor = createActor(app);
    const errors: unknown[] = [];
    actor.subscribe({ error: (error) => errors.push(error) });
    actor.start();
    expect(String(errors[0] ?? actor.getSnapshot().error)).toMatch(
      /Manager already has a running actor \("Manager"\): a handler has one actor at a time/,
    );
  });

  test("a handler's persisted snapshot is JSON; it restores onto a handler's logic, and says how otherwise", async () => {
    const manager = new Manager({ name: 'persisted' });
    manager.oneway.record(1);
    const persisted = jsonRoundTrip(manager.ref.getPersistedSnapshot());
    expect(persisted).toMatchObject({
      status: 'active',
      value: 'idle',
      context: { name: 'persisted', pending: 1, closed: false },
    });

    const again = new Manager({ name: 'again', hosted: true });
    again.oneway.record(2);
    const restored = createActor(again.logic, { snapshot: persisted }).start();
    expect(again.ref).toBe(restored);
    expect(restored.getSnapshot().context).toMatchObject({ name: 'again', pending: 1 });
    const total = again.sync.total();
    await again.process();
    expect(await total).toBe(2);

    const orphan = createActor(handlerMachine, { snapshot: persisted });
    expect(orphan.getSnapshot().status).toBe('error');
    expect(String(orphan.getSnapshot().error)).toMatch(
      /cannot bring its handler back[\s\S]*createActor\(handler\.logic, \{ snapshot \}\)/,
    );
  });

  test('createActor(handlerMachine) runs a handler without methods: every call is answered, none is lost', async () => {
    const bare = createActor(handlerMachine, { input: { name: 'bare' } }).start();
    expect(bare.getSnapshot().context).toEqual({
      name: 'bare',
      pending: 0,
      currentCall: undefined,
      closed: false,
    });
    await expect(callSync(bare, 'anything')).rejects.toThrow(
      '"anything" is not a method of DeferredCallHandler "bare" that sync or oneway can call (it has no methods',
    );
    bare.send({ type: 'close' });
    expect(bare.getSnapshot().value).toBe('closed');
    await expect(callSync(bare, 'anything')).rejects.toThrow(HandlerClosedError);
  });

  test('waitFor and toPromise work on handler actors and runs alike', async () => {
    const manager = new Manager();
    manager.oneway.record(1);
    const waiting = waitFor(manager.ref, (snapshot) => snapshot.context.pending === 0);
    void manager.process();
    expect((await waiting).context.pending).toBe(0);
    const run = defineStates({ only: () => 'only' }).only();
    expect(await toPromise(run.actor)).toBe('only');
  });
});
