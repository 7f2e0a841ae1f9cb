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
  /** Synchronous: it returns no promise, so from its second call on it runs without an async context. */
  maybeSelf(self: boolean) {
    if (self)
      this.refused = this.sync.inner().then(
        () => 'answered',
        (error: unknown) => error,
      );
    return 'ran';
  }
  refused: Promise<unknown> | undefined;
  /** Sometimes a promise, whose task makes a sync call to this handler (and keeps its outcome). */
  sometimesAsync(async: boolean) {
    if (!async) return 'now';
    return tick().then(() => {
      this.inners.push(
        this.sync.inner().then(
          (value) => value,
          (error: unknown) => error,
        ),
      );
    });
  }
  inners: Promise<unknown>[] = [];
}

/** A handler whose call runs another handler's loop, and goes on a little after it. */
class Outer extends DeferredCallHandler {
  constructor(readonly other: Spawner) {
    super();
  }
  async run() {
    this.other.oneway.spawn(this);
    this.other.oneway.spawn(this);
    await this.other.process();
    await tick();
    await tick();
    return 'done';
  }
  inner() {
    return 'inner';
  }
}

class Spawner extends DeferredCallHandler {
  outcomes: Promise<unknown>[] = [];
  /** Synchronous: it starts a task that calls back into `outer`, whose run() is still running then. */
  spawn(outer: Outer) {
    const task = tick().then(() =>
      outer.sync.inner().then(
        (value) => value,
        (error: unknown) => error,
      ),
    );
    this.outcomes.push(task);
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

  test('a method whose last call returned no promise is still refused a sync call from inside it', async () => {
    const loop = new Loop();
    loop.oneway.maybeSelf(false);
    loop.oneway.maybeSelf(true);
    await loop.process();
    expect(await loop.refused).toBeInstanceOf(DeadlockError);
  });

  test('a plain method is followed through its awaits from the call after one that returned a promise', async () => {
    const loop = new Loop();
    loop.oneway.sometimesAsync(true); // its first call: not followed, so its task's call waits
    loop.oneway.sometimesAsync(true); // its last call returned a promise: followed
    loop.oneway.sometimesAsync(false);
    loop.oneway.sometimesAsync(true); // its last call returned none: not followed
    loop.oneway.sometimesAsync(true);
    await loop.process();
    const outcomes = await Promise.all(loop.inners);
    expect(outcomes.map((outcome) => (outcome instanceof DeadlockError ? 'deadlock' : outcome))).toEqual([
      'inner',
      'deadlock',
      'inner',
      'deadlock',
    ]);
  });

  test("a loop runs with no running call of its own: a task that another handler's call waits on is not refused", async () => {
    const spawner = new Spawner();
    const outer = new Outer(spawner);
    const done = outer.sync.run();
    await outer.process();
    expect(await done).toBe('done');
    expect(await Promise.all(spawner.outcomes)).toEqual(['inner', 'inner']);
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
    const done = context.apply(
      'call',
      async () => {
        seen.push(context.get());
        await tick();
        seen.push(context.get());
      },
      undefined,
      [],
    );
    seen.push(context.get());
    await done;
    expect(seen).toEqual(['call', undefined, undefined]);
  });

  test('it restores the outer value after nested runs, even when one throws', () => {
    const context = createSyncOnlyContext<number>();
    context.apply(
      1,
      () => {
        expect(() =>
          context.apply(
            2,
            () => {
              throw new Error('x');
            },
            undefined,
            [],
          ),
        ).toThrow('x');
        expect(context.get()).toBe(1);
      },
      undefined,
      [],
    );
    expect(context.get()).toBeUndefined();
  });
});
