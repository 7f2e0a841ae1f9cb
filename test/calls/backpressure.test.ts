// Backpressure: `maxPending` bounds the queue, a call beyond it is refused loudly (never dropped), and
// `ready()` tells a producer when there is room again.
import { DeferredCallHandler, HandlerClosedError, QueueFullError } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { deferred, tick } from '../support/helpers.js';

class Sink extends DeferredCallHandler {
  got: number[] = [];
  gate = deferred();
  put(n: number) {
    this.got.push(n);
  }
  async slow(n: number) {
    await this.gate.promise;
    this.got.push(n);
  }
}

describe('maxPending', () => {
  test('takes a positive integer or Infinity; anything else is refused, saying what it must be', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => new Sink({ maxPending: bad })).toThrow(
        new RangeError(
          `new Sink(options): maxPending must be a positive integer, or Infinity for no bound, got ${bad}.`,
        ),
      );
    expect(() => new Sink({ maxPending: '3' as never })).toThrow(TypeError);
    expect(new Sink({ maxPending: Number.POSITIVE_INFINITY }).pending).toBe(0);
  });

  test('with n calls queued, a oneway throws and a sync rejects with QueueFullError naming handler, method and bound', async () => {
    const sink = new Sink({ name: 'sink', maxPending: 2 });
    sink.oneway.put(1);
    const second = sink.sync.put(2);
    expect(() => sink.oneway.put(3)).toThrow(QueueFullError);
    expect(() => (sink.oneway.put as (...args: unknown[]) => void)(3, 4, 5)).toThrow(QueueFullError);
    const refused = sink.sync.put(3);
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({
      name: 'QueueFullError',
      handler: 'sink',
      method: 'put',
      maxPending: 2,
      message: expect.stringContaining("sink.put() was refused: sink's queue holds 2 calls, its maxPending."),
    });
    await sink.process();
    await second;
    expect(sink.got).toEqual([1, 2]); // nothing refused ran, nothing queued was lost
  });

  test('only queued calls count: not the running call, not stop markers', async () => {
    const sink = new Sink({ maxPending: 1 });
    sink.oneway.slow(1);
    const processing = sink.process({ forever: true });
    await tick();
    expect(sink.currentCall?.method).toBe('slow');
    sink.oneway.put(2); // the running call leaves room for one
    expect(() => sink.oneway.put(3)).toThrow(QueueFullError);
    sink.gate.resolve();
    await tick();
    sink.stopProcessing();
    await processing;
    const marked = new Sink({ maxPending: 1 });
    marked.stopProcessing();
    marked.oneway.put(1); // a stop marker takes no room
    expect(marked.pending).toBe(1);
  });

  test('a protocol call to a full handler gets the error in its reply; a oneway one goes to onOnewayError', async () => {
    const errors: unknown[] = [];
    const sink = new Sink({ maxPending: 1, onOnewayError: (error) => errors.push(error) });
    sink.oneway.put(1);
    const replies: { ok: boolean; error?: unknown }[] = [];
    sink.ref.send({
      type: 'call',
      id: 'p1',
      method: 'put',
      args: [2],
      replyTo: { send: (reply) => replies.push(reply) },
    });
    sink.ref.send({ type: 'call', id: 'p2', method: 'put', args: [3], oneway: true });
    expect(replies).toEqual([expect.objectContaining({ ok: false, error: expect.any(QueueFullError) })]);
    expect(errors).toEqual([expect.any(QueueFullError)]);
    await sink.process();
    expect(sink.got).toEqual([1]);
  });
});

describe('ready()', () => {
  test('resolves at once with room, and always without a bound', async () => {
    await new Sink().ready();
    const sink = new Sink({ maxPending: 2 });
    sink.oneway.put(1);
    await sink.ready();
  });

  test('a producer that awaits ready() before each call never hits a full queue', async () => {
    const sink = new Sink({ maxPending: 3 });
    const processing = sink.process({ forever: true });
    const producer = (async () => {
      for (let n = 0; n < 100; n++) {
        await sink.ready();
        sink.oneway.put(n);
      }
    })();
    await producer;
    sink.stopProcessing();
    await processing;
    expect(sink.got).toEqual(Array.from({ length: 100 }, (_, n) => n));
  });

  test('waits while the queue is full, and resolves once a call leaves it (run or withdrawn)', async () => {
    const sink = new Sink({ maxPending: 1 });
    const controller = new AbortController();
    const withdrawn = sink.sync({ signal: controller.signal }).put(1);
    let ready = false;
    const room = sink.ready().then(() => {
      ready = true;
    });
    await tick();
    expect(ready).toBe(false);
    controller.abort(new Error('gone'));
    await expect(withdrawn).rejects.toThrow('gone');
    await room;
    sink.oneway.put(2);
    let again = false;
    const second = sink.ready().then(() => {
      again = true;
    });
    await tick();
    expect(again).toBe(false);
    await sink.process();
    await second;
  });

  test('rejects with HandlerClosedError on close, and after it', async () => {
    const sink = new Sink({ maxPending: 1, onOnewayError: () => {} });
    sink.oneway.put(1);
    const waiting = sink.ready();
    sink.close('done');
    await expect(waiting).rejects.toBeInstanceOf(HandlerClosedError);
    await expect(sink.ready()).rejects.toBeInstanceOf(HandlerClosedError);
  });

  test('is the handler’s own member, not a method the proxies call', async () => {
    const sink = new Sink();
    expect(() => (sink.oneway as unknown as { ready(): void }).ready()).toThrow(TypeError);
  });
});
