import {
  AbortError,
  type CallReply,
  callSync,
  DeferredCallHandler,
  type HandlerActorRef,
  HandlerClosedError,
  handlerMachine,
  TimeoutError,
} from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  type AnyActorRef,
  assign,
  createActor,
  createMachine,
  fromPromise,
  type InspectionEvent,
  sendTo,
  setup,
  waitFor,
} from 'xstate';
import { deferred, ManualClock, tick } from '../support/helpers.js';

class Manager extends DeferredCallHandler {
  readings: number[] = [];
  gate = deferred<string>();
  signal: AbortSignal | undefined;

  update(reading: number) {
    this.readings.push(reading);
  }
  total() {
    return this.readings.reduce((a, b) => a + b, 0);
  }
  async held() {
    this.signal = this.currentCall?.signal;
    return this.gate.promise;
  }
  fail(): never {
    throw new RangeError('out of range');
  }
}

const collector = () => {
  const replies: CallReply[] = [];
  return { replies, send: (reply: CallReply) => replies.push(reply) };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the call protocol', () => {
  test('another XState actor calls the handler with replyTo and receives call.reply', async () => {
    const manager = new Manager();
    const client = setup({
      types: {} as {
        context: { manager: HandlerActorRef; total: unknown };
        events: CallReply;
        input: { manager: HandlerActorRef };
      },
    }).createMachine({
      context: ({ input }) => ({ manager: input.manager, total: undefined }),
      initial: 'asking',
      states: {
        asking: {
          entry: [
            sendTo(({ context }) => context.manager, {
              type: 'call',
              id: 'u1',
              method: 'update',
              args: [5],
              oneway: true,
            }),
            sendTo(
              ({ context }) => context.manager,
              ({ self }) => ({
                type: 'call' as const,
                id: 't1',
                method: 'total',
                args: [],
                replyTo: self,
              }),
            ),
          ],
          on: {
            'call.reply': {
              target: 'answered',
              actions: assign({ total: ({ event }) => event.ok && event.value }),
            },
          },
        },
        answered: { type: 'final' },
      },
    });
    const actor = createActor(client, { input: { manager: manager.ref } }).start();
    expect(manager.pending).toBe(2);
    await manager.process();
    await waitFor(actor, (snapshot) => snapshot.status === 'done');
    expect(actor.getSnapshot().context.total).toBe(5);
  });

  test('every sync reply is emitted on the handler actor, for proxy calls too', async () => {
    const manager = new Manager();
    const seen: CallReply[] = [];
    manager.ref.on('call.reply', (reply) => seen.push(reply));
    const direct = collector();
    manager.ref.send({ type: 'call', id: 'a', method: 'fail', args: [], replyTo: direct });
    const viaProxy = manager.sync.total();
    manager.oneway.update(1);
    await manager.process();
    expect(await viaProxy).toBe(0);
    expect(direct.replies).toEqual([
      { type: 'call.reply', id: 'a', ok: false, error: expect.any(RangeError) },
    ]);
    expect(seen).toEqual([
      { type: 'call.reply', id: 'a', ok: false, error: expect.any(RangeError) },
      { type: 'call.reply', id: expect.any(String), ok: true, value: 0 },
    ]);
  });

  test('call.cancel withdraws a queued call: it never runs, and its AbortError reply is sent at once', async () => {
    const manager = new Manager();
    const to = collector();
    manager.ref.send({ type: 'call', id: 'c1', method: 'update', args: [7], replyTo: to });
    manager.ref.send({ type: 'call.cancel', id: 'c1' });
    expect(to.replies).toEqual([{ type: 'call.reply', id: 'c1', ok: false, error: expect.any(AbortError) }]);
    expect(manager.pending).toBe(0);
    await manager.process();
    expect(manager.readings).toEqual([]);
  });

  test('call.cancel of a running call aborts its signal, replies at once, and the loop waits for it', async () => {
    const manager = new Manager();
    const to = collector();
    manager.ref.send({ type: 'call', id: 'h', method: 'held', args: [], replyTo: to });
    manager.oneway.update(1);
    const processing = manager.process();
    await tick();
    manager.ref.send({ type: 'call.cancel', id: 'h' });
    expect(to.replies).toEqual([{ type: 'call.reply', id: 'h', ok: false, error: expect.any(AbortError) }]);
    expect(manager.signal?.aborted).toBe(true);
    expect(manager.currentCall?.method).toBe('held');
    expect(manager.readings).toEqual([]);
    manager.gate.resolve('late');
    await processing;
    expect(manager.readings).toEqual([1]);
    expect(to.replies).toHaveLength(1); // the late result is discarded
  });

  test('a cancel for an unknown or settled id is ignored; a withdrawn oneway call is dropped', async () => {
    const manager = new Manager();
    const onOnewayError = vi.fn();
    const quiet = new Manager({ onOnewayError });
    manager.ref.send({ type: 'call.cancel', id: 'nobody' });
    quiet.ref.send({ type: 'call', id: 'o', method: 'update', args: [3], oneway: true });
    quiet.ref.send({ type: 'call.cancel', id: 'o' });
    await quiet.process();
    expect(quiet.readings).toEqual([]);
    expect(onOnewayError).not.toHaveBeenCalled();
    const to = collector();
    manager.ref.send({ type: 'call', id: 's', method: 'total', args: [], replyTo: to });
    await manager.process();
    manager.ref.send({ type: 'call.cancel', id: 's' });
    expect(to.replies).toEqual([{ type: 'call.reply', id: 's', ok: true, value: 0 }]);
  });

  test('a call that cannot be queued is answered at once with an error reply', () => {
    const manager = new Manager();
    const to = collector();
    manager.ref.send({ type: 'call', id: 'x', method: 'nope', args: [], replyTo: to });
    manager.ref.send({ type: 'call', id: 'y', method: 'update', args: 5 as never, replyTo: to });
    manager.ref.send({ type: 'call', id: 'dup', method: 'total', args: [], replyTo: to });
    manager.ref.send({ type: 'call', id: 'dup', method: 'total', args: [], replyTo: to });
    manager.ref.send({ type: 'call', id: 7 as never, method: 'total', args: [], replyTo: to });
    const errors = to.replies.map((reply) => [reply.id, !reply.ok && String(reply.error)]);
    expect(errors).toEqual([
      ['x', expect.stringContaining('TypeError: "nope" is not a method of Manager')],
      ['y', 'TypeError: The call event "y" to Manager.update() needs args as an array, got 5.'],
      ['dup', 'TypeError: The call id "dup" is already used by an unsettled call to Manager: use a new id.'],
      [7, 'TypeError: A call event needs a string id, got 7.'],
    ]);
    manager.close('closed');
    manager.ref.send({ type: 'call', id: 'late', method: 'total', args: [], replyTo: to });
    expect(to.replies.at(-1)).toMatchObject({ id: 'late', ok: false, error: expect.any(HandlerClosedError) });
  });

  test('a oneway call that cannot be queued goes to onOnewayError', () => {
    const onOnewayError = vi.fn();
    const manager = new Manager({ onOnewayError });
    manager.ref.send({ type: 'call', id: 'z', method: 'nope', args: [1], oneway: true });
    expect(onOnewayError).toHaveBeenCalledWith(expect.any(TypeError), { method: 'nope', args: [1] });
  });

  test('protocol calls and proxy calls share one FIFO queue', async () => {
    const manager = new Manager();
    manager.oneway.update(1);
    manager.ref.send({ type: 'call', id: 'p', method: 'update', args: [2], oneway: true });
    manager.oneway.update(3);
    await manager.process();
    expect(manager.readings).toEqual([1, 2, 3]);
  });

  test('loop events sent by anyone but the handler are ignored', () => {
    const manager = new Manager();
    manager.ref.send({ type: 'loop.start', whitelist: undefined, forever: false } as never);
    expect(manager.ref.getSnapshot().value).toBe('idle');
  });
});

describe('callSync', () => {
  test('resolves with the value, rejects with the error of the method', async () => {
    const manager = new Manager();
    const processing = manager.process({ forever: true });
    manager.oneway.update(4);
    expect(await callSync(manager.ref, 'total')).toBe(4);
    await expect(callSync(manager.ref, 'fail', [])).rejects.toThrow(new RangeError('out of range'));
    manager.stopProcessing();
    await processing;
  });

  test('works from an actor that holds only the ref', async () => {
    const manager = new Manager();
    manager.oneway.update(3);
    const asker = createActor(
      setup({
        actors: { ask: fromPromise(({ input }: { input: HandlerActorRef }) => callSync(input, 'total')) },
      }).createMachine({
        invoke: { src: 'ask', input: () => manager.ref, onDone: { target: '.answered' } },
        initial: 'asking',
        states: { asking: {}, answered: {} },
      }),
    ).start();
    await manager.process({ forever: false });
    await manager.process();
    await waitFor(asker, (snapshot) => snapshot.matches('answered'));
  });

  test('with a timeout it rejects with TimeoutError and withdraws the call', async () => {
    vi.useFakeTimers();
    try {
      const manager = new Manager();
      const answer = callSync(manager.ref, 'update', [9], { timeout: 50 });
      const outcome = expect(answer).rejects.toThrow(TimeoutError);
      await vi.advanceTimersByTimeAsync(50);
      await outcome;
      expect(manager.pending).toBe(0);
      await manager.process();
      expect(manager.readings).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('rejects at once when the ref is not an active handler actor, or the timeout is bad', async () => {
    const manager = new Manager();
    const other = createActor(createMachine({})).start();
    await expect(callSync(other, 'total')).rejects.toThrow(
      'callSync needs the actor of a DeferredCallHandler',
    );
    await expect(callSync(undefined as unknown as AnyActorRef, 'total')).rejects.toThrow(TypeError);
    await expect(callSync(manager.ref, 'total', [], { timeout: -1 })).rejects.toThrow(RangeError);
    manager.ref.stop();
    await expect(callSync(manager.ref, 'total')).rejects.toThrow(
      /needs an active actor, but the handler actor/,
    );
  });
});

describe('the handler machine', () => {
  test('has the states idle, processing (running, waiting) and closed, and the named guard whitelisted', () => {
    const json = JSON.stringify(handlerMachine.toJSON());
    expect(Object.keys(handlerMachine.root.states)).toEqual(['idle', 'processing', 'closed']);
    expect(Object.keys(handlerMachine.root.states.processing?.states ?? {})).toEqual(['running', 'waiting']);
    expect(json).toContain('"guard":"whitelisted"');
    expect(handlerMachine.root.on.call).toBeDefined();
  });

  test('an inspect observer in the options sees the actor, its events and its snapshots', async () => {
    const events: InspectionEvent[] = [];
    const manager = new Manager({ name: 'inspected', inspect: (event) => events.push(event) });
    const answer = manager.sync.total();
    await manager.process();
    await answer;
    const ofManager = events.filter((event) => event.actorRef === manager.ref);
    expect(ofManager.some((event) => event.type === '@xstate.actor')).toBe(true);
    const seenEvents = ofManager.flatMap((event) =>
      event.type === '@xstate.event' ? [event.event.type] : [],
    );
    expect(seenEvents).toEqual(expect.arrayContaining(['loop.start', 'loop.end']));
    const values = ofManager.flatMap((event) => (event.type === '@xstate.snapshot' ? [event.snapshot] : []));
    expect(
      values.map((snapshot) => JSON.stringify((snapshot as unknown as { value: unknown }).value)),
    ).toContain('{"processing":"running"}');
    expect(manager.ref.id).toBe('inspected');
  });

  test("a snapshot made without a transition pass has every field of XState's own snapshots", () => {
    const manager = new Manager();
    const own = handlerMachine.resolveState({ value: 'idle', context: manager.ref.getSnapshot().context });
    manager.oneway.update(1); // answered without a transition pass
    const ours = manager.ref.getSnapshot();
    expect(ours).not.toBe(own);
    expect(Object.keys(ours)).toEqual(Object.keys(own));
    expect(ours.matches('idle')).toBe(true);
    expect(ours.can({ type: 'close' })).toBe(true);
  });

  test("a snapshot's JSON shows the handler's name, queue length and running call", () => {
    const manager = new Manager({ name: 'm' });
    manager.oneway.update(1);
    const json = JSON.parse(JSON.stringify(manager.ref.getSnapshot()));
    expect(json.context).toEqual({ name: 'm', pending: 1, closed: false });
    expect(new ManualClock().active).toBe(0);
  });
});

describe('tracing', () => {
  const eventsOf = (events: InspectionEvent[], ref: unknown) =>
    events.flatMap((e) => (e.type === '@xstate.event' && e.actorRef === ref ? [e.event] : []));

  test('a handler with inspect sends each call through its actor: call, call.start, call.settle', async () => {
    const events: InspectionEvent[] = [];
    const manager = new Manager({ inspect: (event) => events.push(event) });
    manager.oneway.update(2);
    const failed = manager.sync.fail().catch(() => 'failed');
    await manager.process();
    expect(await failed).toBe('failed');
    const seen = eventsOf(events, manager.ref).filter((e) => e.type.startsWith('call'));
    expect(seen).toEqual([
      expect.objectContaining({ type: 'call', method: 'update', oneway: true }),
      expect.objectContaining({ type: 'call', method: 'fail', oneway: false }),
      { type: 'call.start', id: expect.any(String), method: 'update' },
      { type: 'call.settle', id: expect.any(String), method: 'update', oneway: true, ok: true },
      { type: 'call.start', id: expect.any(String), method: 'fail' },
      {
        type: 'call.settle',
        id: expect.any(String),
        method: 'fail',
        oneway: false,
        ok: false,
        error: expect.any(RangeError),
      },
    ]);
  });

  test('every call reaches the actor as events, so its subscribers see each change as a new snapshot', async () => {
    const manager = new Manager();
    const seen: Array<{ value: unknown; pending: number; currentCall: string | undefined }> = [];
    const snapshots = new Set<unknown>();
    manager.ref.subscribe((snapshot) => {
      snapshots.add(snapshot);
      const { pending, currentCall } = snapshot.context;
      seen.push({ value: snapshot.value, pending, currentCall });
    });
    manager.oneway.update(2);
    manager.oneway.update(3);
    await manager.process();
    expect(seen).toEqual([
      { value: 'idle', pending: 1, currentCall: undefined },
      { value: 'idle', pending: 2, currentCall: undefined },
      { value: { processing: 'running' }, pending: 2, currentCall: undefined },
      { value: { processing: 'running' }, pending: 1, currentCall: 'update' },
      { value: { processing: 'running' }, pending: 1, currentCall: undefined },
      { value: { processing: 'running' }, pending: 0, currentCall: 'update' },
      { value: { processing: 'running' }, pending: 0, currentCall: undefined },
      { value: 'idle', pending: 0, currentCall: undefined },
    ]);
    expect(snapshots.size).toBe(seen.length);
    expect(manager.readings).toEqual([2, 3]);
  });
});

describe('an unobserved handler', () => {
  test('reads as current whenever its snapshot is read, though nobody watches its calls go by', async () => {
    const manager = new Manager({ name: 'quiet' });
    manager.oneway.update(1);
    manager.oneway.update(2);
    expect(manager.ref.getSnapshot().context).toEqual({
      name: 'quiet',
      pending: 2,
      currentCall: undefined,
      closed: false,
    });
    expect(manager.ref.getPersistedSnapshot()).toMatchObject({ context: { pending: 2 } });
    await manager.process();
    expect(manager.ref.getSnapshot()).toMatchObject({ value: 'idle', context: { pending: 0 } });
  });

  test('its state is read as the handler is: waiting in a forever loop, running a call, closed', async () => {
    const manager = new Manager();
    const loop = manager.process({ forever: true });
    await tick();
    expect(manager.ref.getSnapshot().value).toEqual({ processing: 'waiting' });
    const held = manager.sync.held();
    await tick();
    expect(manager.ref.getSnapshot()).toMatchObject({
      value: { processing: 'running' },
      context: { currentCall: 'held' },
    });
    manager.gate.resolve('released');
    expect(await held).toBe('released');
    manager.close();
    await loop;
    expect(manager.ref.getSnapshot().value).toBe('closed');
  });

  test('a call event from another actor wakes its loop, though the actor never saw the loop wait', async () => {
    const manager = new Manager();
    const loop = manager.process({ forever: true });
    await tick();
    const { replies, send } = collector();
    manager.ref.send({ type: 'call', id: 'w1', method: 'total', args: [], replyTo: { send } });
    await tick();
    expect(replies).toEqual([{ type: 'call.reply', id: 'w1', ok: true, value: 0 }]);
    manager.stopProcessing();
    await loop;
  });

  test('a subscriber or an inspector that comes later sees every change from then on', async () => {
    const manager = new Manager();
    manager.oneway.update(1); // nobody watches yet
    const pendings: number[] = [];
    const subscription = manager.ref.subscribe((snapshot) => pendings.push(snapshot.context.pending));
    manager.oneway.update(2);
    await manager.process();
    expect(pendings.filter((count, i) => count !== pendings[i - 1])).toEqual([2, 1, 0]);
    subscription.unsubscribe();
    subscription.unsubscribe(); // twice is harmless
    const seen: string[] = [];
    manager.ref.system.inspect((event) => {
      if (event.type === '@xstate.event') seen.push(event.event.type);
    });
    manager.oneway.update(3);
    await manager.process();
    expect(seen).toEqual(['call', 'loop.start', 'call.start', 'call.settle', 'loop.end']);
  });
});
