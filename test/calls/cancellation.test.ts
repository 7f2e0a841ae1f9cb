// Caller cancellation: `sync({ signal })` and `callSync(…, { signal })` reject with the signal's own
// reason, withdraw a queued call, abort a running one, and leave nothing on the caller's signal.
import { getEventListeners } from 'node:events';
import { callSync, DeferredCallHandler, TimeoutError } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { deferred, ManualClock, tick } from '../support/helpers.js';

class Clerk extends DeferredCallHandler {
  ran: string[] = [];
  gate = deferred<string>();
  signals: AbortSignal[] = [];
  settled = false;

  quick(label: string) {
    this.ran.push(label);
    return label;
  }
  async held(label: string) {
    this.ran.push(label);
    const call = this.currentCall;
    if (call) this.signals.push(call.signal);
    const result = await this.gate.promise;
    this.settled = true;
    return result;
  }
}

const reason = () => Object.assign(new Error('the caller gave up'), { name: 'GaveUp' });

describe('caller cancellation', () => {
  test('a signal already aborted: the call is never queued, and rejects with that very reason', async () => {
    const clerk = new Clerk();
    const controller = new AbortController();
    const why = reason();
    controller.abort(why);
    const call = clerk.sync({ signal: controller.signal }).quick('never');
    expect(clerk.pending).toBe(0);
    await expect(call).rejects.toBe(why);
    await clerk.process();
    expect(clerk.ran).toEqual([]);
  });

  test('aborted while queued: the call is withdrawn, never runs, and rejects with the reason', async () => {
    const clerk = new Clerk();
    const controller = new AbortController();
    const withdrawn = clerk.sync({ signal: controller.signal }).quick('withdrawn');
    const kept = clerk.sync.quick('kept');
    expect(clerk.pending).toBe(2);
    const why = reason();
    controller.abort(why);
    await expect(withdrawn).rejects.toBe(why);
    expect(clerk.pending).toBe(1);
    await clerk.process();
    expect(await kept).toBe('kept');
    expect(clerk.ran).toEqual(['kept']);
  });

  test('aborted while running: currentCall.signal aborts, the caller rejects at once, the loop waits for the method', async () => {
    const clerk = new Clerk();
    const controller = new AbortController();
    const running = clerk.sync({ signal: controller.signal }).held('running');
    const next = clerk.sync.quick('next');
    let processed = false;
    const processing = clerk.process().then(() => {
      processed = true;
    });
    await tick();
    expect(clerk.currentCall?.method).toBe('held');
    const why = reason();
    controller.abort(why);
    await expect(running).rejects.toBe(why);
    expect(clerk.signals[0]?.aborted).toBe(true);
    expect(clerk.signals[0]?.reason).toBe(why);
    await tick();
    // The method has not settled yet: the loop still waits for it before the next call.
    expect(clerk.ran).toEqual(['running']);
    expect(processed).toBe(false);
    clerk.gate.resolve('late, discarded');
    await processing;
    expect(clerk.settled).toBe(true);
    expect(await next).toBe('next');
    expect(clerk.ran).toEqual(['running', 'next']);
  });

  test('combined with a timeout, whichever comes first answers the call', async () => {
    const clock = new ManualClock();
    const clerk = new Clerk({ clock });
    const controller = new AbortController();
    const timedOut = clerk.sync({ timeout: 100, signal: controller.signal }).quick('slow');
    const outcome = expect(timedOut).rejects.toBeInstanceOf(TimeoutError);
    await clock.advance(100);
    await outcome;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const cancelled = clerk.sync({ timeout: 100, signal: controller.signal }).quick('cancelled');
    const why = reason();
    controller.abort(why);
    await expect(cancelled).rejects.toBe(why);
    expect(clock.active).toBe(0); // the deadline's timer went with the call
  });

  test('no listener stays on a long-lived signal once its calls settled', async () => {
    const clerk = new Clerk();
    const controller = new AbortController();
    const calls = Array.from({ length: 1000 }, (_, i) =>
      clerk.sync({ signal: controller.signal }).quick(`c${i}`),
    );
    // However many calls wait on it, a signal holds one listener (Node warns past ten).
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await clerk.process();
    await Promise.all(calls);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Calls answered otherwise (a close) leave nothing either.
    const closed = clerk.sync({ signal: controller.signal }).quick('closed');
    clerk.close();
    await expect(closed).rejects.toThrow('closed');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  test('one abort rejects every call pending on the signal, each with its reason, in the order they were made', async () => {
    const clerk = new Clerk();
    const controller = new AbortController();
    const why = reason();
    const order: number[] = [];
    const calls = Array.from({ length: 20 }, (_, i) =>
      clerk
        .sync({ signal: controller.signal })
        .quick(`c${i}`)
        .catch((error: unknown) => {
          order.push(i);
          return error;
        }),
    );
    const alone = clerk.sync({ signal: new AbortController().signal }).quick('alone');
    controller.abort(why);
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 20 }, () => why));
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await clerk.process();
    expect(await alone).toBe('alone');
    expect(clerk.ran).toEqual(['alone']);
  });

  test('callSync takes a signal too', async () => {
    const clerk = new Clerk();
    const controller = new AbortController();
    const call = callSync(clerk.ref, 'quick', ['by ref'], { signal: controller.signal });
    const why = reason();
    controller.abort(why);
    await expect(call).rejects.toBe(why);
    expect(clerk.pending).toBe(0);
  });

  test('a signal that is no AbortSignal is a TypeError at the call site, naming it', () => {
    const clerk = new Clerk();
    expect(() => clerk.sync({ signal: 'stop' as never })).toThrow(
      new TypeError(`${clerk.name}.sync(options): signal must be an AbortSignal, got "stop".`),
    );
  });
});
