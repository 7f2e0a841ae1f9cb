// Handlers in other threads: a real worker_threads Worker serving a Counter (fixtures/counterWorker.ts),
// MessageChannel ports and BroadcastChannels in one thread, and an endpoint of Node's emitter style.
import { EventEmitter } from 'node:events';
import { BroadcastChannel, MessageChannel, type MessagePort, parentPort, Worker } from 'node:worker_threads';
import {
  AbortError,
  callSync,
  connectHandler,
  DeadlockError,
  type Endpoint,
  exposeHandler,
  HandlerClosedError,
  type OnewayProxy,
  type RemoteHandler,
  type RemoteHandlerRef,
  StateValidationError,
  type SyncProxy,
  TimeoutError,
} from 'greenstate';
import { afterEach, describe, expect, expectTypeOf, test } from 'vitest';
import { waitFor } from 'xstate';
import { ManualClock, watchUnhandledRejections } from '../support/helpers.js';
import { Counter, type CounterEvent, type CustomError } from './fixtures/Counter.js';
import type { Control } from './fixtures/counterWorker.js';

const WORKER_TIMEOUT = 30_000;
const unhandled = watchUnhandledRejections();

/** Whatever a test started, ended after it. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(unhandled).toEqual([]);
});

interface Served {
  worker: Worker;
  remote: RemoteHandler<Counter>;
  /** Steers the worker with a message of the test's own, beside the handler's. */
  control(message: Control): void;
  /** The next event a worker-side method tells. */
  next(event: CounterEvent['event']): Promise<CounterEvent>;
}

/** A worker serving a Counter, and a remote handler connected to it. */
function startWorker(): Served {
  const worker = new Worker(new URL('./fixtures/tsxWorker.mjs', import.meta.url), {
    argv: [new URL('./fixtures/counterWorker.ts', import.meta.url).href],
  });
  const remote = connectHandler<typeof Counter>(worker);
  cleanups.push(() => {
    remote.close();
    return worker.terminate();
  });
  return {
    worker,
    remote,
    control: (message) => worker.postMessage(message),
    next: (event) =>
      new Promise((resolve) => {
        const listener = (message: CounterEvent) => {
          if (message?.event !== event) return;
          worker.off('message', listener);
          resolve(message);
        };
        worker.on('message', listener);
      }),
  };
}

/** A Counter processing in this thread, served over one port of a MessageChannel; a remote handler at the other. */
function inThread() {
  const counter = new Counter();
  const { port1, port2 } = new MessageChannel();
  const served = exposeHandler(counter, port1);
  const processing = counter.process({ forever: true });
  const remote = connectHandler<typeof Counter>(port2);
  cleanups.push(async () => {
    remote.close();
    served.stop();
    counter.close();
    await processing;
    port1.close();
  });
  return { counter, served, remote, port1, port2 };
}

/** Two endpoints of Node's emitter style (`on`, `off`), each message cloned to the other on the next turn. */
function emitterPair() {
  const make = () => Object.assign(new EventEmitter(), { postMessage: (_: unknown) => {} });
  const a = make();
  const b = make();
  a.postMessage = (message) => setImmediate(() => b.emit('message', structuredClone(message)));
  b.postMessage = (message) => setImmediate(() => a.emit('message', structuredClone(message)));
  return [a, b] as const;
}

describe('a handler in a worker thread', () => {
  test(
    'sync calls resolve with the result, and the remote handler learns the handler’s name',
    async () => {
      const { remote } = startWorker();
      expect(await remote.sync.add(2)).toBe(2);
      expect(await remote.sync({ timeout: 5_000 }).add(3)).toBe(5);
      expect(remote.name).toBe('Counter');
      expect(String(remote.sync)).toBe('[sync proxy of remote Counter]');
      expect(remote.pending).toBe(0);
    },
    WORKER_TIMEOUT,
  );

  test(
    'oneway and sync calls run in the order they were sent',
    async () => {
      const { remote } = startWorker();
      const sent: string[] = [];
      const answers: Promise<void>[] = [];
      for (let i = 0; i < 60; i++) {
        const entry = `${i % 3 === 0 ? 'sync' : 'oneway'} ${i}`;
        sent.push(entry);
        if (i % 3 === 0) answers.push(remote.sync.record(entry));
        else expect(remote.oneway.record(entry)).toBeUndefined();
      }
      await Promise.all(answers);
      expect(await remote.sync.entries()).toEqual(sent);
    },
    WORKER_TIMEOUT,
  );

  test(
    'errors keep their name, message, stack and cause, and instanceof for built-in and greenstate classes',
    async () => {
      const { remote } = startWorker();
      const failure = (kind: string) => remote.sync.fail(kind).catch((error: unknown) => error);

      const type = (await failure('type')) as TypeError;
      expect(type).toBeInstanceOf(TypeError);
      expect(type.message).toBe('bad type');
      expect(type.stack).toContain('errorOf'); // the worker's stack, where it was thrown
      expect(type.stack).toContain('Counter.ts');
      expect(type.cause).toBeInstanceOf(RangeError);
      expect((type.cause as Error).message).toBe('out of range');
      expect((type.cause as Error).cause).toBe('the root');

      const custom = (await failure('custom')) as CustomError;
      expect(custom).toBeInstanceOf(Error); // its own class is the program's: it arrives as an Error…
      expect(custom.name).toBe('CustomError'); // …with its name and its own fields
      expect(custom.code).toBe(42);
      expect((custom as unknown as { extra: number[] }).extra).toEqual([1, 2]);
      expect((custom.cause as Error).message).toBe('why');

      const timeout = (await failure('timeout')) as TimeoutError;
      expect(timeout).toBeInstanceOf(TimeoutError);
      expect([timeout.name, timeout.handler, timeout.method, timeout.timeout]).toEqual([
        'TimeoutError',
        'other',
        'slow',
        5,
      ]);
      const closed = (await failure('closed')) as HandlerClosedError;
      expect(closed).toBeInstanceOf(HandlerClosedError);
      expect([closed.name, closed.message, closed.cause]).toEqual([
        'HandlerClosedError',
        'closed over there',
        'shutdown',
      ]);
      expect(await failure('deadlock')).toBeInstanceOf(DeadlockError);
      expect(await remote.sync.selfCall().catch((error: unknown) => error)).toBeInstanceOf(DeadlockError);
      const abort = (await failure('abort')) as AbortError;
      expect([abort instanceof AbortError, abort.name]).toEqual([true, 'AbortError']);
      const validation = (await failure('validation')) as StateValidationError;
      expect(validation).toBeInstanceOf(StateValidationError);
      expect([validation.from, validation.to, validation.allowed, validation.message]).toEqual([
        'idle',
        'done',
        ['running'],
        'Invalid state transition idle -> done (idle may go to: running)',
      ]);
      const aggregate = (await failure('aggregate')) as AggregateError;
      expect(aggregate).toBeInstanceOf(AggregateError);
      expect(aggregate.errors.map((error: Error) => [error instanceof TypeError, error.name])).toEqual([
        [true, 'TypeError'],
        [false, 'CustomError'],
      ]);
      const dom = (await failure('dom')) as DOMException;
      expect([dom instanceof DOMException, dom.name, dom.message]).toEqual([
        true,
        'AbortError',
        'the operation was aborted',
      ]);
      expect(await failure('string')).toBe('a plain string');
      expect(await failure('object')).toEqual({ code: 7, detail: new Map([['k', 1]]) });
      // An unknown method is refused by the handler's side, as a local handler refuses it.
      const unknown = (await (remote.sync as unknown as Record<string, () => Promise<unknown>>)
        .nope?.()
        .catch((error: unknown) => error)) as TypeError;
      expect(unknown).toBeInstanceOf(TypeError);
      expect(unknown.message).toMatch(
        /^"nope" is not a method of Counter .*its methods are add, awaitAbort, echo/,
      );
    },
    WORKER_TIMEOUT,
  );

  test(
    'arguments and results are structured-cloned: a Map and a Date arrive as such, as copies',
    async () => {
      const { remote } = startWorker();
      const map = new Map<string, Date>([['start', new Date(86_400_000)]]);
      expect(await remote.sync.kinds(map, map.get('start'), [1], { a: 1 })).toEqual([
        'Map',
        'Date',
        'Array',
        'Object',
      ]);
      const back = (await remote.sync.echo(map)) as typeof map; // a generic method: its type parameter is lost, as in a local proxy
      expect(back).not.toBe(map);
      expect(back).toBeInstanceOf(Map);
      expect(back.get('start')).toBeInstanceOf(Date);
      expect(back.get('start')?.getTime()).toBe(86_400_000);
    },
    WORKER_TIMEOUT,
  );

  test(
    'a value that cannot be cloned is refused with a TypeError: an argument at the call site, a result as the answer',
    async () => {
      const { remote } = startWorker();
      expect(await remote.sync.add(1)).toBe(1); // the handler's side has told its name: errors made here use it
      const fn = () => 1;
      await expect(remote.sync.echo(fn)).rejects.toThrow(
        /^Counter\.echo\(\): its arguments must be structured-cloneable/,
      );
      expect(() => remote.oneway.echo(fn)).toThrow(TypeError);
      await expect(remote.sync.returnsFunction()).rejects.toThrow(
        /^Counter\.returnsFunction\(\) returned a value that cannot be structured-cloned to cross to its caller \(.*could not be cloned\)\.$/,
      );
      expect(await remote.sync.add(1)).toBe(2); // the connection goes on
    },
    WORKER_TIMEOUT,
  );

  test(
    'a oneway call’s error goes to the handler’s onOnewayError in the worker, never to the caller',
    async () => {
      const { remote } = startWorker();
      remote.oneway.fail('type');
      remote.oneway.fail('custom');
      expect(await remote.sync.failures()).toEqual([
        { method: 'fail', name: 'TypeError' },
        { method: 'fail', name: 'CustomError' },
      ]);
    },
    WORKER_TIMEOUT,
  );

  test(
    'a deadline withdraws a queued call on the worker’s side: it rejects with TimeoutError and never runs',
    async () => {
      const { remote, control, next } = startWorker();
      const holding = next('holding');
      const held = remote.sync.hold();
      await holding;
      const late = remote.sync({ timeout: 50 }).record('late');
      const error = (await late.catch((e: unknown) => e)) as TimeoutError;
      expect(error).toBeInstanceOf(TimeoutError);
      expect([error.handler, error.method, error.timeout, error.message]).toEqual([
        'Counter',
        'record',
        50,
        'Counter.record() timed out after 50 ms',
      ]);
      control({ control: 'open' }); // sent after the withdrawal, on the same channel
      expect(await held).toBe('released');
      expect(await remote.sync.entries()).toEqual(['held']);
    },
    WORKER_TIMEOUT,
  );

  test(
    'a deadline aborts a running call’s signal on the worker’s side',
    async () => {
      const { remote, next } = startWorker();
      const aborted = next('aborted');
      await expect(remote.sync({ timeout: 50 }).awaitAbort()).rejects.toBeInstanceOf(TimeoutError);
      expect(await aborted).toEqual({ event: 'aborted', reason: 'AbortError' });
      expect(await remote.sync.entries()).toEqual(['aborted: AbortError']);
    },
    WORKER_TIMEOUT,
  );

  test(
    'a signal rejects at once with its very reason, withdrawing a queued call and aborting a running one',
    async () => {
      const { remote, control, next } = startWorker();
      const running = next('running');
      const runningCall = new AbortController();
      const first = remote.sync({ signal: runningCall.signal }).awaitAbort();
      await running;
      const queuedCall = new AbortController();
      const second = remote.sync({ signal: queuedCall.signal }).record('withdrawn');
      const queuedReason = new Error('not wanted any more');
      queuedCall.abort(queuedReason);
      await expect(second).rejects.toBe(queuedReason);
      const aborted = next('aborted');
      const runningReason = { why: 'any value' };
      runningCall.abort(runningReason);
      await expect(first).rejects.toBe(runningReason);
      expect(await aborted).toEqual({ event: 'aborted', reason: 'AbortError' });
      control({ control: 'open' });
      expect(await remote.sync.entries()).toEqual(['aborted: AbortError']);
    },
    WORKER_TIMEOUT,
  );

  test(
    'a signal already aborted never sends the call',
    async () => {
      const { remote } = startWorker();
      const reason = new Error('aborted before');
      await expect(remote.sync({ signal: AbortSignal.abort(reason) }).record('never')).rejects.toBe(reason);
      await expect(
        callSync(remote.ref, 'record', ['never'], { signal: AbortSignal.abort(reason) }),
      ).rejects.toBe(reason);
      expect(remote.pending).toBe(0);
      expect(await remote.sync.entries()).toEqual([]);
    },
    WORKER_TIMEOUT,
  );

  test(
    'when the worker exits mid-call, pending calls reject with HandlerClosedError at once and later calls are refused',
    async () => {
      const { remote, control, next } = startWorker();
      const holding = next('holding');
      const held = remote.sync.hold();
      const queued = remote.sync({ timeout: 60_000 }).add(1);
      await holding;
      control({ control: 'exit', code: 3 });
      const error = (await held.catch((e: unknown) => e)) as HandlerClosedError;
      expect(error).toBeInstanceOf(HandlerClosedError);
      expect(error.message).toBe('Counter.hold() was pending when the worker exited with code 3.');
      await expect(queued).rejects.toThrow('Counter.add() was pending when the worker exited with code 3.');
      expect(remote.closed).toBe(true);
      expect(remote.pending).toBe(0);
      await expect(remote.sync.add(1)).rejects.toThrow(
        /^Counter\.add\(\) was called after the worker exited with code 3\.$/,
      );
      expect(() => remote.oneway.add(1)).toThrow(HandlerClosedError);
      await expect(callSync(remote.ref, 'add', [1])).rejects.toBeInstanceOf(HandlerClosedError);
      expect((await waitFor(remote.ref, (snapshot) => snapshot.value === 'closed')).context).toEqual({
        name: 'Counter',
        closed: true,
      });
    },
    WORKER_TIMEOUT,
  );

  test(
    'an uncaught error in the worker closes the connection, with that error as the cause',
    async () => {
      const { remote, control, next } = startWorker();
      const holding = next('holding');
      const held = remote.sync.hold();
      await holding;
      control({ control: 'crash', message: 'the worker broke' });
      const error = (await held.catch((e: unknown) => e)) as HandlerClosedError;
      expect(error).toBeInstanceOf(HandlerClosedError);
      expect(error.message).toBe('Counter.hold() was pending when the worker failed.');
      expect((error.cause as Error).message).toBe('the worker broke');
      expect(() => remote.oneway.add(1)).toThrow('Counter.add() was called after the worker failed.');
    },
    WORKER_TIMEOUT,
  );

  test(
    'when the handler closes in the worker, its pending calls reject with its HandlerClosedError and later oneway calls throw',
    async () => {
      const { remote, control, next } = startWorker();
      const holding = next('holding');
      const held = remote.sync.hold();
      const queued = remote.sync.add(1);
      await holding;
      control({ control: 'close', reason: 'maintenance' });
      const error = (await held.catch((e: unknown) => e)) as HandlerClosedError;
      expect([error instanceof HandlerClosedError, error.message, error.cause]).toEqual([
        true,
        'Counter.hold() was running when the handler was closed.',
        'maintenance',
      ]);
      await expect(queued).rejects.toThrow('Counter.add() was still queued when the handler was closed.');
      await waitFor(remote.ref, (snapshot) => snapshot.context.closed);
      expect(() => remote.oneway.add(1)).toThrow('Counter.add() was called after the handler was closed.');
      await expect(remote.sync.add(1)).rejects.toMatchObject({ cause: 'maintenance' });
    },
    WORKER_TIMEOUT,
  );

  test(
    'when the worker stops serving, remote handlers close with its reason as the cause',
    async () => {
      const { remote, control, next } = startWorker();
      const holding = next('holding');
      const held = remote.sync.hold();
      await holding;
      control({ control: 'stop', reason: 'moving on' });
      await expect(held).rejects.toThrow(
        "Counter.hold() was pending when the handler's side stopped serving.",
      );
      await expect(held).rejects.toMatchObject({ cause: 'moving on' });
      expect(remote.closed).toBe(true);
    },
    WORKER_TIMEOUT,
  );

  test(
    'callSync on remote.ref makes the same calls, with the same option checks',
    async () => {
      const { remote } = startWorker();
      expect(await callSync(remote.ref, 'add', [4])).toBe(4);
      expect(await callSync(remote.ref, 'entries')).toEqual(['add 4']);
      await expect(callSync(remote.ref, 'awaitAbort', [], { timeout: 20 })).rejects.toBeInstanceOf(
        TimeoutError,
      );
      await expect(callSync(remote.ref, 'add', [1], { timeout: -1 })).rejects.toThrow(
        'callSync: timeout must be a finite number of milliseconds ≥ 0, got -1.',
      );
      await expect(callSync(remote.ref, 'add', [1], { timeot: 5 } as never)).rejects.toThrow(
        'callSync has no option "timeot" (did you mean "timeout"?)',
      );
      await expect(callSync(remote.ref, 'add', 1 as never)).rejects.toThrow(
        'callSync(ref, "add", args): args must be an array, got 1.',
      );
      remote.ref.stop();
      await expect(callSync(remote.ref, 'add', [1])).rejects.toThrow('callSync needs an active actor');
    },
    WORKER_TIMEOUT,
  );

  test(
    'remote.ref speaks the call protocol: replies go to replyTo and are emitted; call.cancel answers with AbortError',
    async () => {
      const { remote, next } = startWorker();
      const replies: unknown[] = [];
      const emitted: unknown[] = [];
      remote.ref.on('call.reply', (reply) => emitted.push(reply));
      const replyTo = { send: (reply: unknown) => replies.push(reply) };
      remote.ref.send({ type: 'call', id: 'a', method: 'add', args: [5], replyTo });
      remote.ref.send({ type: 'call', id: 'b', method: 'record', args: ['oneway'], oneway: true });
      const running = next('running');
      remote.ref.send({ type: 'call', id: 'c', method: 'awaitAbort', args: [], replyTo });
      await running;
      remote.ref.send({ type: 'call.cancel', id: 'c' });
      remote.ref.send({ type: 'call', id: 'd', method: 'add', args: 'x' as never, replyTo });
      expect(await remote.sync.entries()).toEqual(['add 5', 'oneway', 'aborted: AbortError']);
      const byId = (a: unknown, b: unknown) =>
        String((a as { id: string }).id).localeCompare((b as { id: string }).id);
      replies.sort(byId); // each as it came: a refusal at once, the others from the worker
      expect(replies).toMatchObject([
        { type: 'call.reply', id: 'a', ok: true, value: 5 },
        { type: 'call.reply', id: 'c', ok: false, error: expect.any(AbortError) },
        { type: 'call.reply', id: 'd', ok: false, error: expect.any(TypeError) },
      ]);
      expect(emitted.sort(byId)).toEqual(replies);
      remote.ref.send({ type: 'close', reason: 'done' });
      expect(remote.closed).toBe(true);
      remote.ref.send({ type: 'call', id: 'e', method: 'add', args: [1], replyTo });
      expect(replies.at(-1)).toMatchObject({ id: 'e', ok: false, error: expect.any(HandlerClosedError) });
    },
    WORKER_TIMEOUT,
  );

  test(
    'messages of the program’s own on the same endpoint are left alone',
    async () => {
      const { remote, worker, next } = startWorker();
      worker.postMessage(['greenstate.unknown', 1]);
      worker.postMessage({ hello: 'world' });
      const holding = next('holding'); // the worker's own message to this thread
      const held = remote.sync.hold();
      await holding;
      worker.postMessage({ control: 'open' });
      expect(await held).toBe('released');
    },
    WORKER_TIMEOUT,
  );
});

describe('a handler served to a worker thread', () => {
  test(
    'a worker reaches a handler of this thread over its parentPort; its exit stops the serving',
    async () => {
      const counter = new Counter();
      const processing = counter.process({ forever: true });
      const worker = new Worker(new URL('./fixtures/tsxWorker.mjs', import.meta.url), {
        argv: [new URL('./fixtures/callerWorker.ts', import.meta.url).href],
      });
      const served = exposeHandler(counter, worker);
      cleanups.push(async () => {
        counter.close();
        await processing;
        await worker.terminate();
      });
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      const result = await new Promise((resolve) => {
        const listener = (message: { result?: unknown }) => {
          if (message?.result === undefined) return; // the remote handler's own messages, say
          worker.off('message', listener);
          resolve(message.result);
        };
        worker.on('message', listener);
      });
      expect(result).toEqual({
        total: 5,
        entries: ['from the worker', 'add 5'],
        name: 'Counter',
        error: [true, 'bad type'],
      });
      expect(await exited).toBe(0);
      expect(served.stopped).toBe(true);
    },
    WORKER_TIMEOUT,
  );
});

describe('other endpoints', () => {
  test('MessageChannel ports in one thread: sync, oneway, errors, and close of a port', async () => {
    const { counter, remote, port1 } = inThread();
    remote.oneway.add(1);
    expect(await remote.sync.add(2)).toBe(3);
    expect(counter.total).toBe(3);
    await expect(remote.sync.fail('validation')).rejects.toBeInstanceOf(StateValidationError);
    const holding = remote.sync.hold();
    port1.close(); // either end's close reaches both
    await expect(holding).rejects.toThrow('Counter.hold() was pending when the endpoint closed.');
    expect(remote.closed).toBe(true);
  });

  test('a served handler that is closed: its server says it stopped, and its pending calls reject at once', async () => {
    const counter = new Counter();
    const { port1, port2 } = new MessageChannel();
    const served = exposeHandler(counter, port1);
    const remote = connectHandler<typeof Counter>(port2);
    cleanups.push(() => {
      served.stop();
      port1.close();
    });
    const pending = remote.sync.add(1);
    await waitFor(counter.ref, (snapshot) => snapshot.context.pending === 1);
    expect(served.stopped).toBe(false);
    counter.close('gone');
    await expect(pending).rejects.toBeInstanceOf(HandlerClosedError);
    expect(served.stopped).toBe(true);
  });

  test('remote.close() rejects pending calls with HandlerClosedError, withdraws them on the handler’s side, refuses later calls', async () => {
    const counter = new Counter();
    const { port1, port2 } = new MessageChannel();
    const served = exposeHandler(counter, port1);
    const remote = connectHandler<typeof Counter>(port2);
    cleanups.push(() => {
      served.stop();
      port1.close();
    });
    const first = remote.sync.entries();
    await waitFor(counter.ref, (snapshot) => snapshot.context.pending === 1);
    await counter.process();
    expect(await first).toEqual([]); // with its answer came the handler's name, which errors made here use
    const pending = remote.sync.add(1);
    await waitFor(counter.ref, (snapshot) => snapshot.context.pending === 1); // queued over there, not processed
    remote.close('done here');
    await expect(pending).rejects.toMatchObject({
      name: 'HandlerClosedError',
      message: 'Counter.add() was pending when the connection was closed.',
      cause: 'done here',
    });
    await waitFor(counter.ref, (snapshot) => snapshot.context.pending === 0);
    await counter.process();
    expect(counter.total).toBe(0); // withdrawn: it never ran
    expect(() => remote.oneway.add(1)).toThrow('Counter.add() was called after the connection was closed.');
    expect(served.stopped).toBe(false); // the handler's side serves on, for others
  });

  test('stopping the server rejects the pending calls with its reason as the cause, and withdraws them', async () => {
    const { counter, served, remote } = inThread();
    counter.stopProcessing(); // nothing runs: the calls stay queued
    const pending = remote.sync.add(1);
    await waitFor(counter.ref, (snapshot) => snapshot.context.pending === 1);
    served.stop(new RangeError('no more'));
    const error = (await pending.catch((e: unknown) => e)) as HandlerClosedError;
    expect(error).toBeInstanceOf(HandlerClosedError);
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(served.stopped).toBe(true);
    expect(counter.pending).toBe(0);
  });

  test('BroadcastChannel: remote handlers on one channel each get their own answers', async () => {
    const counter = new Counter();
    const channels = [1, 2, 3].map(() => new BroadcastChannel('greenstate-remote-test'));
    const [own, ...others] = channels as [BroadcastChannel, ...BroadcastChannel[]];
    const served = exposeHandler(counter, own);
    const [a, b] = others.map((channel) => connectHandler<typeof Counter>(channel));
    const processing = counter.process({ forever: true });
    cleanups.push(async () => {
      served.stop();
      counter.close();
      await processing;
    });
    expect(await a?.sync.add(1)).toBe(1);
    expect(await b?.sync.add(10)).toBe(11);
    const answers = await Promise.all([a?.sync.echo('a'), b?.sync.echo('b'), a?.sync.add(100)]);
    expect(answers).toEqual(['a', 'b', 111]);
    served.stop('gone');
    for (const remote of [a, b] as RemoteHandler<Counter>[]) // every remote handler on the channel closes
      await waitFor(remote.ref, (snapshot) => snapshot.context.closed);
    for (const channel of channels) channel.close();
  });

  test('an endpoint in Node’s emitter style (on, off); messageerror closes the connection', async () => {
    const [serverEnd, clientEnd] = emitterPair();
    const counter = new Counter();
    const served = exposeHandler(counter, serverEnd);
    const remote = connectHandler<typeof Counter>(clientEnd, { name: 'counter over emitters' });
    const processing = counter.process({ forever: true });
    cleanups.push(async () => {
      served.stop();
      counter.close();
      await processing;
    });
    expect(await remote.sync.add(7)).toBe(7);
    expect(remote.name).toBe('counter over emitters');
    const held = remote.sync.hold();
    const unreadable = new Error('could not deserialize');
    clientEnd.emit('messageerror', unreadable);
    await expect(held).rejects.toMatchObject({
      message: 'counter over emitters.hold() was pending when a message could not be read (messageerror).',
      cause: unreadable,
    });
    expect(clientEnd.listenerCount('message')).toBe(0); // it stopped listening
    counter.open();
  });

  test('a messageerror on the handler’s side stops serving and tells the remote handlers: none waits', async () => {
    const [serverEnd, clientEnd] = emitterPair();
    const counter = new Counter();
    const served = exposeHandler(counter, serverEnd);
    const remote = connectHandler<typeof Counter>(clientEnd);
    const pending = remote.sync.add(1); // queued over there: the handler does not process
    await waitFor(counter.ref, (snapshot) => snapshot.context.pending === 1);
    serverEnd.emit('messageerror', new Error('could not deserialize'));
    expect(served.stopped).toBe(true);
    await expect(pending).rejects.toThrow(
      "Counter.add() was pending when the handler's side stopped serving: a message could not be read (messageerror).",
    );
    expect(counter.pending).toBe(0); // withdrawn: nobody would take its answer
    counter.close();
  });

  test('deadlines run on the clock given to connectHandler', async () => {
    const clock = new ManualClock();
    const [serverEnd, clientEnd] = emitterPair();
    const counter = new Counter();
    const served = exposeHandler(counter, serverEnd);
    const remote = connectHandler<typeof Counter>(clientEnd, { name: 'counter', clock });
    cleanups.push(() => {
      served.stop();
      counter.close();
    });
    const late = remote.sync({ timeout: 1_000 }).add(1);
    expect(clock.active).toBe(1);
    await clock.advance(999);
    expect(remote.pending).toBe(1);
    const rejected = expect(late).rejects.toThrow('counter.add() timed out after 1000 ms');
    await clock.advance(1);
    await rejected;
    expect(clock.active).toBe(0);
    await waitFor(counter.ref, (snapshot) => snapshot.context.pending === 0); // withdrawn over there
  });
});

describe('bad input', () => {
  test('an endpoint without postMessage, a handler that is none, unknown options: a TypeError naming them', () => {
    expect(() => connectHandler({} as never)).toThrow(
      "connectHandler(endpoint): endpoint must be a MessagePort, a Worker, a BroadcastChannel or another object with postMessage(message) and message events (addEventListener('message', listener) or on('message', listener)), got {}.",
    );
    expect(() => connectHandler({ postMessage() {} } as never)).toThrow(TypeError);
    expect(() => exposeHandler(new Counter(), null as never)).toThrow(
      /^exposeHandler\(handler, endpoint\): endpoint must be .*got null\.$/,
    );
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => port1.close());
    expect(() => exposeHandler({ name: 'fake' } as never, port1)).toThrow(
      'exposeHandler(handler, endpoint): handler must be a DeferredCallHandler, got {"name":"fake"}.',
    );
    expect(() => connectHandler(port2, { nmae: 'x' } as never)).toThrow(
      'connectHandler(endpoint, options) has no option "nmae" (did you mean "name"?); its options are name, clock.',
    );
    expect(() => connectHandler(port2, { name: '' })).toThrow(
      'connectHandler(endpoint, options): name must be a non-empty string, got "".',
    );
    const remote = connectHandler<typeof Counter>(port2, { name: 'counter' });
    cleanups.push(() => remote.close());
    expect(() => remote.sync({ timeot: 5 } as never)).toThrow(
      'counter.sync(options) has no option "timeot" (did you mean "timeout"?)',
    );
    expect(() => remote.sync({ timeout: Number.NaN })).toThrow(RangeError);
    expect(() => remote.sync({ signal: 'no' as never })).toThrow(
      'counter.sync(options): signal must be an AbortSignal, got "no".',
    );
    expect(() => (remote.oneway as unknown as () => void)()).toThrow('counter.oneway takes no options');
    expect(Reflect.set(remote.sync, 'add', 1)).toBe(false);
    expect((remote.sync as unknown as { then?: unknown }).then).toBeUndefined();
  });
});

// Never called: only type-checked (tsc --noEmit).
function compileTimeChecks(remote: RemoteHandler<Counter>, worker: Worker, port: MessagePort) {
  // @ts-expect-error: add takes a number
  remote.sync.add('1');
  // @ts-expect-error: no such method
  remote.sync.nope();
  // @ts-expect-error: missing argument
  remote.oneway.add();
  // @ts-expect-error: the handler's own members are not calls
  remote.sync.process();
  // @ts-expect-error: a timeout is a number
  remote.sync({ timeout: '5' });
  // @ts-expect-error: oneway returns nothing to await on
  remote.oneway.add(1).then;
  // @ts-expect-error: callSync checks the method names of a remote handler's ref
  void callSync(remote.ref, 'nope');
  // @ts-expect-error: and its arguments
  void callSync(remote.ref, 'add', ['1']);
  // @ts-expect-error: the type parameter is the handler's class
  connectHandler<number>(worker);
  // @ts-expect-error: an endpoint needs postMessage
  connectHandler({ on() {}, off() {} });
  const endpoints: Endpoint[] = [
    worker,
    port,
    parentPort as MessagePort,
    new BroadcastChannel('x'),
    new globalThis.MessageChannel().port1,
  ];
  return endpoints;
}

describe('types', () => {
  test('remote proxies and refs are typed like local ones', async () => {
    const { remote, counter } = inThread();
    expectTypeOf(remote).toEqualTypeOf<RemoteHandler<Counter>>();
    expectTypeOf(remote.sync).toEqualTypeOf<SyncProxy<Counter>>();
    expectTypeOf(remote.sync).toEqualTypeOf(counter.sync);
    expectTypeOf(remote.oneway).toEqualTypeOf<OnewayProxy<Counter>>();
    expectTypeOf(remote.oneway).toEqualTypeOf(counter.oneway);
    expectTypeOf(remote.sync.add).toEqualTypeOf<(k: number) => Promise<number>>();
    expectTypeOf(remote.sync({ timeout: 5, signal: new AbortController().signal }).entries).toEqualTypeOf<
      () => Promise<string[]>
    >();
    expectTypeOf(remote.ref).toEqualTypeOf<RemoteHandlerRef<Counter>>();
    const added = callSync(remote.ref, 'add', [1]);
    const entries = callSync(remote.ref, 'entries');
    expectTypeOf(added).toEqualTypeOf<Promise<number>>();
    expectTypeOf(entries).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(callSync(counter.ref, 'add', [1])).toEqualTypeOf(added);
    expect(await Promise.all([added, entries])).toEqual([2, ['add 1', 'add 1']]);
    expect(typeof compileTimeChecks).toBe('function');
  });
});
