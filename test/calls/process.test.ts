import { DeferredCallHandler } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { deferred, tick } from '../support/helpers.js';

class Store extends DeferredCallHandler {
  log: string[] = [];
  get(key: string) {
    this.log.push(`get ${key}`);
    return key;
  }
  put(key: string) {
    this.log.push(`put ${key}`);
  }
  drop(key: string) {
    this.log.push(`drop ${key}`);
  }
}

const stateOf = (handler: DeferredCallHandler) => handler.ref.getSnapshot().value;

describe('process() and its whitelist', () => {
  test('a whitelist runs only the named methods; the other calls stay queued in their order', async () => {
    const store = new Store();
    store.oneway.put('a');
    const got = store.sync.get('a');
    store.oneway.drop('a');
    store.oneway.put('b');
    await store.process({ whitelist: ['get'] });
    expect(store.log).toEqual(['get a']);
    expect(await got).toBe('a');
    expect(store.pending).toBe(3);
    await store.process({ whitelist: ['drop', 'put'] });
    expect(store.log).toEqual(['get a', 'put a', 'drop a', 'put b']);
  });

  test('sync calls deferred by a whitelist are answered by a later process(), not dropped', async () => {
    const store = new Store();
    const deferredGet = store.sync.get('later');
    await store.process({ whitelist: ['put'] });
    expect(store.pending).toBe(1);
    await store.process();
    expect(await deferredGet).toBe('later');
  });

  test('an empty whitelist runs nothing', async () => {
    const store = new Store();
    store.oneway.put('x');
    await store.process({ whitelist: [] });
    expect(store.log).toEqual([]);
    expect(store.pending).toBe(1);
  });

  test('a forever loop with a whitelist wakes only for the calls it admits', async () => {
    const store = new Store();
    const processing = store.process({ forever: true, whitelist: ['get'] });
    await tick();
    expect(stateOf(store)).toEqual({ processing: 'waiting' });
    store.oneway.put('ignored');
    await tick();
    expect(stateOf(store)).toEqual({ processing: 'waiting' });
    expect(store.log).toEqual([]);
    const got = store.sync.get('k');
    expect(stateOf(store)).toEqual({ processing: 'running' });
    expect(await got).toBe('k');
    store.stopProcessing();
    await processing;
    expect(store.pending).toBe(1);
  });

  test('a whitelist entry that is not a method of the handler is rejected with a TypeError naming it', async () => {
    const store = new Store();
    // @ts-expect-error: 'gett' is not a method of Store
    await expect(store.process({ whitelist: ['get', 'gett'] })).rejects.toThrow(TypeError);
    // @ts-expect-error: 'close' is a member of every handler, not a call
    await expect(store.process({ whitelist: ['close'] })).rejects.toThrow(/"close" is not a method of Store/);
    // @ts-expect-error: a whitelist is an array of names
    await expect(store.process({ whitelist: 'get' })).rejects.toThrow(/whitelist must be an array/);
    await expect(store.process({ whitelist: ['get', 'gett'] as never })).rejects.toThrow(/"gett"/);
  });

  test('only one loop runs at a time: a second process() rejects and the first goes on', async () => {
    const gate = deferred();
    class Busy extends DeferredCallHandler {
      done = 0;
      async work() {
        await gate.promise;
        this.done++;
      }
    }
    const busy = new Busy();
    busy.oneway.work();
    busy.oneway.work();
    const first = busy.process();
    await tick();
    await expect(busy.process()).rejects.toThrow(/only one loop runs at a time/);
    await expect(busy.process({ forever: true })).rejects.toThrow(
      /Busy.process\(\) was called while another/,
    );
    gate.resolve();
    await first;
    expect(busy.done).toBe(2);
    await busy.process(); // free again
  });

  test('the actor shows idle, processing.running, processing.waiting, and idle again', async () => {
    const store = new Store();
    expect(stateOf(store)).toBe('idle');
    const processing = store.process({ forever: true });
    expect(stateOf(store)).toEqual({ processing: 'running' });
    await tick();
    expect(stateOf(store)).toEqual({ processing: 'waiting' });
    store.stopProcessing();
    await processing;
    expect(stateOf(store)).toBe('idle');
  });

  test('the calls of a loop never interleave: a second caller waits for the running call', async () => {
    const gate = deferred();
    const trace: string[] = [];
    class Account extends DeferredCallHandler {
      balance = 0;
      async deposit(amount: number) {
        const before = this.balance;
        trace.push(`start ${amount}`);
        await gate.promise;
        this.balance = before + amount;
        trace.push(`end ${amount}`);
      }
    }
    const account = new Account();
    const deposits = Promise.all([account.sync.deposit(10), account.sync.deposit(5)]);
    const processing = account.process();
    await tick();
    gate.resolve();
    await Promise.all([deposits, processing]);
    expect(trace).toEqual(['start 10', 'end 10', 'start 5', 'end 5']);
    expect(account.balance).toBe(15);
  });

  test('a process() started from inside a call of the same handler rejects; the loop goes on', async () => {
    class Nested extends DeferredCallHandler {
      async inner() {
        return this.process();
      }
      after() {
        return 'after';
      }
    }
    const nested = new Nested();
    const inner = nested.sync.inner();
    const after = nested.sync.after();
    await nested.process();
    await expect(inner).rejects.toThrow(/only one loop runs at a time/);
    expect(await after).toBe('after');
  });
});
