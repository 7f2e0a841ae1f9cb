// Behaviour ported from gevent_async's own tests and README (deferred calls).
import { DeferredCallHandler } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { deferred, tick } from '../support/helpers.js';

class Handler extends DeferredCallHandler {
  executed = false;
  args: unknown[] = [];
  log: string[] = [];

  doSomething() {
    this.executed = true;
  }
  doSomethingWithParams(...args: unknown[]) {
    this.executed = true;
    this.args = args;
  }
  theAnswer() {
    return 42;
  }
  async theAnswerLater() {
    await tick();
    return 42;
  }
  record(label: string) {
    this.log.push(label);
    return label;
  }
  kaboom(): never {
    throw new Kaboom('kaboom');
  }
}

class Kaboom extends Error {}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('deferred calls, as in gevent_async', () => {
  test('direct calls bypass the queue', () => {
    const handler = new Handler();
    handler.doSomething();
    expect(handler.executed).toBe(true);
    expect(handler.pending).toBe(0);
  });

  test('sync passes positional arguments and resolves with the return value', async () => {
    const handler = new Handler();
    const processing = handler.process({ forever: true });
    await handler.sync.doSomethingWithParams('1', 2, { three: [3] });
    expect(handler.executed).toBe(true);
    expect(handler.args).toEqual(['1', 2, { three: [3] }]);
    expect(await handler.sync.theAnswer()).toBe(42);
    handler.stopProcessing();
    await processing;
  });

  test('sync resolves with the awaited value of an async method', async () => {
    const handler = new Handler();
    const answer = handler.sync.theAnswerLater();
    await handler.process();
    expect(await answer).toBe(42);
  });

  test('sync rejects with the very error object the method threw', async () => {
    const thrown = new Kaboom('mine');
    class Thrower extends DeferredCallHandler {
      now(): never {
        throw thrown;
      }
      async later() {
        await tick();
        throw thrown;
      }
    }
    const handler = new Thrower();
    const outcomes = Promise.allSettled([handler.sync.now(), handler.sync.later()]);
    await handler.process();
    expect(await outcomes).toEqual([
      { status: 'rejected', reason: thrown },
      { status: 'rejected', reason: thrown },
    ]);
    expect((await outcomes).every((o) => o.status === 'rejected' && o.reason === thrown)).toBe(true);
  });

  test('the processing loop goes on after a failing call', async () => {
    const handler = new Handler();
    const failed = handler.sync.kaboom();
    const after = handler.sync.theAnswer();
    await handler.process();
    await expect(failed).rejects.toBeInstanceOf(Kaboom);
    expect(await after).toBe(42);
  });

  test('a fast call under a deadline completes while a slow one times out', async () => {
    vi.useFakeTimers();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    class Timed extends DeferredCallHandler {
      async aboutRight() {
        await sleep(10);
        return 'in time';
      }
      async takesTooLong() {
        await sleep(1000);
      }
    }
    const handler = new Timed();
    const processing = handler.process({ forever: true });
    const fast = handler.sync({ timeout: 100 }).aboutRight();
    await vi.advanceTimersByTimeAsync(10);
    expect(await fast).toBe('in time');
    const slow = handler.sync({ timeout: 100 }).takesTooLong();
    const outcome = expect(slow).rejects.toThrow('Timed.takesTooLong() timed out after 100 ms');
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    handler.stopProcessing();
    await vi.advanceTimersByTimeAsync(1000);
    await processing;
  });

  test('oneway returns undefined and runs only after the caller yields', async () => {
    const handler = new Handler();
    const processing = handler.process({ forever: true });
    await tick();
    expect(handler.oneway.doSomethingWithParams('1', 2)).toBeUndefined();
    expect(handler.oneway.theAnswer()).toBeUndefined();
    expect(handler.executed).toBe(false);
    await tick();
    expect(handler.executed).toBe(true);
    expect(handler.args).toEqual(['1', 2]);
    handler.stopProcessing();
    await processing;
  });

  test('oneway errors are reported to onOnewayError, never thrown to the caller', async () => {
    const reported: unknown[] = [];
    const handler = new Handler({ onOnewayError: (error, call) => reported.push(error, call) });
    expect(() => handler.oneway.kaboom()).not.toThrow();
    await handler.process();
    expect(reported).toEqual([expect.any(Kaboom), { method: 'kaboom', args: [] }]);
  });

  test('by default a oneway error is logged with console.error naming the handler and the method', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = new Handler({ name: 'lemming' });
    handler.oneway.kaboom();
    await handler.process();
    expect(log).toHaveBeenCalledWith('lemming.kaboom() failed in a oneway call:', expect.any(Kaboom));
  });

  test('sync and oneway calls share one FIFO order', async () => {
    const handler = new Handler();
    handler.oneway.record('1');
    const two = handler.sync.record('2');
    handler.oneway.record('3');
    const four = handler.sync.record('4');
    await handler.process();
    expect(handler.log).toEqual(['1', '2', '3', '4']);
    expect(await Promise.all([two, four])).toEqual(['2', '4']);
  });

  test('calls run one at a time: an async method is awaited before the next call starts', async () => {
    const gate = deferred();
    const events: string[] = [];
    class Slow extends DeferredCallHandler {
      async first() {
        events.push('first started');
        await gate.promise;
        events.push('first ended');
      }
      second() {
        events.push('second');
      }
    }
    const handler = new Slow();
    handler.oneway.first();
    handler.oneway.second();
    const processing = handler.process();
    await tick();
    expect(events).toEqual(['first started']);
    gate.resolve();
    await processing;
    expect(events).toEqual(['first started', 'first ended', 'second']);
  });

  test('process() drains the calls enqueued while it runs, then resolves', async () => {
    class Chain extends DeferredCallHandler {
      seen: number[] = [];
      step(n: number) {
        this.seen.push(n);
        if (n < 5) this.oneway.step(n + 1);
      }
    }
    const handler = new Chain();
    handler.oneway.step(1);
    await handler.process();
    expect(handler.seen).toEqual([1, 2, 3, 4, 5]);
    expect(handler.pending).toBe(0);
  });

  test('calls queued before stopProcessing() still run, then the loop returns', async () => {
    const handler = new Handler();
    const processing = handler.process({ forever: true });
    handler.oneway.record('before');
    handler.stopProcessing();
    handler.oneway.record('after');
    await processing;
    expect(handler.log).toEqual(['before']);
    expect(handler.pending).toBe(1);
    await handler.process();
    expect(handler.log).toEqual(['before', 'after']);
  });

  test('stopProcessing() with no loop running stops the next process() at its marker', async () => {
    const handler = new Handler();
    handler.oneway.record('a');
    handler.stopProcessing();
    handler.oneway.record('b');
    await handler.process({ forever: true });
    expect(handler.log).toEqual(['a']);
    await handler.process();
    expect(handler.log).toEqual(['a', 'b']);
  });

  test('process({ forever: true }) keeps waiting for new calls until the stop marker', async () => {
    const handler = new Handler();
    let ended = false;
    const processing = handler.process({ forever: true }).then(() => {
      ended = true;
    });
    for (const label of ['x', 'y', 'z']) {
      await tick();
      handler.oneway.record(label);
    }
    await tick();
    expect(handler.log).toEqual(['x', 'y', 'z']);
    expect(ended).toBe(false);
    handler.stopProcessing();
    await processing;
    expect(ended).toBe(true);
  });
});
