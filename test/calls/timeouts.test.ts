import { DeferredCallHandler, TimeoutError } from 'greenstate';
import { TimeoutError as PQueueTimeoutError } from 'p-queue';
import pTimeout, { TimeoutError as PTimeoutError } from 'p-timeout';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { deferred, ManualClock, tick } from '../support/helpers.js';

class Worker extends DeferredCallHandler {
  ran: string[] = [];
  gate = deferred<string>();
  signals: AbortSignal[] = [];

  quick(label: string) {
    this.ran.push(label);
    return label;
  }
  async held(label: string) {
    this.ran.push(label);
    const call = this.currentCall;
    if (call) this.signals.push(call.signal);
    return this.gate.promise;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('deadlines', () => {
  test('sync rejects with TimeoutError naming the handler, the method and the timeout', async () => {
    const clock = new ManualClock();
    const worker = new Worker({ name: 'w1', clock });
    const call = worker.sync({ timeout: 250 }).quick('never processed');
    const outcome = expect(call).rejects.toThrow('w1.quick() timed out after 250 ms');
    await clock.advance(250);
    await outcome;
    await expect(call).rejects.toBeInstanceOf(TimeoutError);
    await expect(call).rejects.toMatchObject({
      name: 'TimeoutError',
      handler: 'w1',
      method: 'quick',
      timeout: 250,
    });
  });

  test("its TimeoutError is p-timeout's and p-queue's too: one instanceof catches all three", async () => {
    const clock = new ManualClock();
    const worker = new Worker({ clock });
    const call = worker
      .sync({ timeout: 1 })
      .quick('late')
      .catch((error: unknown) => error);
    await clock.advance(1);
    const error = await call;
    expect(error).toBeInstanceOf(PTimeoutError);
    expect(error).toBeInstanceOf(PQueueTimeoutError);
    const fromPTimeout = await pTimeout(new Promise(() => {}), { milliseconds: 1 }).catch((e: unknown) => e);
    expect(fromPTimeout).toBeInstanceOf(PTimeoutError);
    expect(fromPTimeout).not.toBeInstanceOf(TimeoutError); // greenstate's is the more precise one
  });

  test('a timeout belongs to its call only: the plain proxy keeps no deadline', async () => {
    const clock = new ManualClock();
    const worker = new Worker({ clock });
    const timed = worker.sync({ timeout: 10 });
    const outcome = expect(timed.quick('a')).rejects.toBeInstanceOf(TimeoutError);
    const untimed = worker.sync.quick('b');
    await clock.advance(10_000);
    await outcome;
    expect(clock.active).toBe(0);
    await worker.process();
    expect(await untimed).toBe('b');
  });

  test('a queued call whose deadline passes is withdrawn and never runs', async () => {
    const clock = new ManualClock();
    const worker = new Worker({ clock });
    const late = worker.sync({ timeout: 5 }).quick('late');
    worker.oneway.quick('kept');
    expect(worker.pending).toBe(2);
    const outcome = expect(late).rejects.toBeInstanceOf(TimeoutError);
    await clock.advance(5);
    await outcome;
    expect(worker.pending).toBe(1);
    await worker.process();
    expect(worker.ran).toEqual(['kept']);
  });

  test('a running call past its deadline has its signal aborted, its result discarded, and is awaited', async () => {
    const clock = new ManualClock();
    const worker = new Worker({ clock });
    const replies: unknown[] = [];
    worker.ref.on('call.reply', (reply) =>
      replies.push(reply.ok ? reply.value : (reply.error as Error).name),
    );
    const held = worker.sync({ timeout: 20 }).held('held');
    const next = worker.sync.quick('next');
    const outcome = expect(held).rejects.toBeInstanceOf(TimeoutError);
    const processing = worker.process();
    await tick();
    await clock.advance(20);
    await outcome;
    const [signal] = worker.signals;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);
    // still running: the loop waits for it, one call at a time
    expect(worker.currentCall?.method).toBe('held');
    expect(worker.currentCall?.signal.aborted).toBe(true);
    expect(worker.ran).toEqual(['held']);
    worker.gate.resolve('late result');
    await processing;
    expect(worker.ran).toEqual(['held', 'next']);
    expect(await next).toBe('next');
    expect(replies).toEqual(['TimeoutError', 'next']);
  });

  test('a call that settles before its deadline resolves and leaves no timer behind', async () => {
    const clock = new ManualClock();
    const worker = new Worker({ clock });
    const answer = worker.sync({ timeout: 1000 }).quick('fast');
    expect(clock.active).toBe(1);
    await worker.process();
    expect(await answer).toBe('fast');
    expect(clock.active).toBe(0);
  });

  test('timeout 0 expires at the first timer turn (1 ms, as setTimeout) unless the call has settled', async () => {
    vi.useFakeTimers();
    const worker = new Worker();
    const processing = worker.process({ forever: true });
    await vi.advanceTimersByTimeAsync(0);
    const answered = worker.sync({ timeout: 0 }).quick('in time'); // the waiting loop runs it at once
    await vi.advanceTimersByTimeAsync(0);
    expect(await answered).toBe('in time');
    worker.stopProcessing();
    await processing;
    const expired = worker.sync({ timeout: 0 }).quick('no loop');
    const outcome = expect(expired).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
    expect(worker.ran).toEqual(['in time']);
  });

  test('works with fake global timers when no clock is injected', async () => {
    vi.useFakeTimers();
    const worker = new Worker();
    const call = worker.sync({ timeout: 60_000 }).quick('x');
    const outcome = expect(call).rejects.toThrow('Worker.quick() timed out after 60000 ms');
    await vi.advanceTimersByTimeAsync(60_000);
    await outcome;
    expect(vi.getTimerCount()).toBe(0);
  });

  test('closing the handler clears the deadlines of the calls it rejects', async () => {
    const clock = new ManualClock();
    const worker = new Worker({ clock });
    const calls = [1, 2, 3].map((i) => worker.sync({ timeout: 100 * i }).quick(String(i)));
    const settled = Promise.allSettled(calls);
    expect(clock.active).toBe(3);
    worker.close();
    await settled;
    expect(clock.active).toBe(0);
  });
});
