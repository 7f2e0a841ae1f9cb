import { callSync, DeadlockError, DeferredCallHandler, type HandlerActorRef } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { createAsyncContext as createSyncOnlyContext } from '../../src/asyncContext.js';
import { tick } from '../support/helpers.js';

class Loop extends DeferredCallHandler {
  later: Promise<unknown> | undefined;

  selfSyncAtOnce() {
    return this.sync.inner();
  }
  async selfSyncAfterAwait() {
    await tick();
    return this.sync.inner();
  }
  async selfCallSync(): Promise<unknown> {
    await tick();
    // Inside the class, `this.ref` is typed by the polymorphic `this`: an untyped ref takes any name.
    const ref: HandlerActorRef = this.ref;
    return callSync(ref, 'inner');
  }
  selfOneway() {
    this.oneway.inner();
    return 'queued';
  }
  spawnTask() {
    // A task that outlives this call: by the time it calls, another call may run. Not a deadlock.
    this.later = tick().then(() => this.sync.inner());
  }
  inner() {
    return 'inner';
  }
}

describe('deadlock detection', () => {
  test('a sync call to the handler from inside its running call rejects at once with DeadlockError', async () => {
    const loop = new Loop();
    const outcome = loop.sync.selfSyncAtOnce();
    await loop.process();
    await expect(outcome).rejects.toThrow(DeadlockError);
    await expect(outcome).rejects.toThrow(
      'Loop.inner() was called through sync from inside Loop.selfSyncAtOnce(), which the handler is still running',
    );
    expect(loop.pending).toBe(0);
  });

  test('it is detected after an await inside the call too (Node)', async () => {
    const loop = new Loop();
    const outcome = loop.sync.selfSyncAfterAwait();
    await loop.process();
    await expect(outcome).rejects.toBeInstanceOf(DeadlockError);
  });

  test('a protocol call to the handler from inside its running call is answered with DeadlockError', async () => {
    const loop = new Loop();
    const outcome = loop.sync.selfCallSync();
    await loop.process();
    await expect(outcome).rejects.toBeInstanceOf(DeadlockError);
  });

  test('oneway calls to oneself are fine: they run after the current call', async () => {
    const loop = new Loop();
    const replies: unknown[] = [];
    loop.ref.on('call.reply', (reply) => replies.push(reply.ok && reply.value));
    expect(await Promise.all([loop.sync.selfOneway(), loop.process()])).toEqual(['queued', undefined]);
    expect(loop.pending).toBe(0);
    expect(replies).toEqual(['queued']);
  });

  test('a task that outlives its call may make sync calls: they are queued, not refused', async () => {
    const loop = new Loop();
    await Promise.all([loop.sync.spawnTask(), loop.process()]);
    await tick();
    await tick();
    expect(loop.pending).toBe(1);
    await loop.process();
    expect(await loop.later).toBe('inner');
  });
});

describe('the default (non-Node) build', () => {
  test('its context lasts for the synchronous part of a call only', async () => {
    const context = createSyncOnlyContext<string>();
    const seen: (string | undefined)[] = [];
    const done = context.run('call', async () => {
      seen.push(context.get());
      await tick();
      seen.push(context.get());
    });
    seen.push(context.get());
    await done;
    expect(seen).toEqual(['call', undefined, undefined]);
  });

  test('it restores the outer value after nested runs, even when one throws', () => {
    const context = createSyncOnlyContext<number>();
    context.run(1, () => {
      expect(() =>
        context.run(2, () => {
          throw new Error('x');
        }),
      ).toThrow('x');
      expect(context.get()).toBe(1);
    });
    expect(context.get()).toBeUndefined();
  });
});
