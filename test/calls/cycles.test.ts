// Deadlocks across handlers: a sync call that would close a cycle of handlers waiting on each other
// (A's running call waits on B, B's running call calls A) is refused at once, naming the whole cycle.
import { DeadlockError, DeferredCallHandler } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { tick } from '../support/helpers.js';

const open: DeferredCallHandler[] = [];
afterEach(() => {
  for (const handler of open.splice(0)) handler.close();
});

/** Each handler runs a forever loop, as a service would. */
function serve<T extends DeferredCallHandler>(handler: T): T {
  open.push(handler);
  handler.process({ forever: true }).catch(() => {});
  return handler;
}

class Planner extends DeferredCallHandler {
  lookups?: Lookup;
  async plan() {
    return this.lookups?.sync.lookup();
  }
  async report() {
    return 'report';
  }
}

class Lookup extends DeferredCallHandler {
  next: { sync: { report(): Promise<string> } } | undefined;
  last: unknown;
  async lookup() {
    try {
      this.last = await this.next?.sync.report();
    } catch (error) {
      this.last = error;
    }
    return this.last;
  }
}

describe('cycles of waiting handlers', () => {
  test('A waits on B, and B calls A: refused at once with DeadlockError naming A.plan → B.lookup → A.report', async () => {
    const a = serve(new Planner({ name: 'A' }));
    const b = serve(new Lookup({ name: 'B' }));
    a.lookups = b;
    b.next = a;
    const refused = (await a.sync.plan()) as Error;
    expect(refused).toBeInstanceOf(DeadlockError);
    expect(refused.message).toContain('A.plan → B.lookup → A.report');
    expect(refused.message).toMatch(/^A\.report\(\) was called through sync from inside B\.lookup\(\)/);
  });

  test('any length: A → B → C → A', async () => {
    class Middle extends DeferredCallHandler {
      next?: { sync: { lookup(): Promise<unknown> } };
      async check() {
        return this.next?.sync.lookup();
      }
    }
    const a = serve(new Planner({ name: 'A' }));
    const b = serve(new Middle({ name: 'B' }));
    const c = serve(new Lookup({ name: 'C' }));
    a.lookups = b as unknown as Lookup;
    (b as Middle).next = c;
    c.next = a;
    (a as unknown as { plan(): Promise<unknown> }).plan = async function (this: Planner) {
      return b.sync.check();
    };
    const refused = (await a.sync.plan()) as Error;
    expect(refused).toBeInstanceOf(DeadlockError);
    expect(refused.message).toContain('A.plan → B.check → C.lookup → A.report');
  });

  test('no false positive once the waiting has ended', async () => {
    const a = serve(new Planner({ name: 'A' }));
    const b = serve(new Lookup({ name: 'B' }));
    a.lookups = b;
    // A's plan waits on B and finishes: nothing waits any more.
    b.next = undefined;
    await a.sync.plan();
    // Then B, in a call of its own, calls A: an ordinary call.
    b.next = a;
    expect(await b.sync.lookup()).toBe('report');
  });

  test('a oneway call waits on nothing: no cycle through it', async () => {
    class Sender extends DeferredCallHandler {
      peer?: Lookup;
      async send() {
        this.peer?.oneway.lookup(); // does not wait
        await new Promise((resolve) => setTimeout(resolve, 20));
        return 'sent';
      }
      async report() {
        return 'report';
      }
    }
    const a = serve(new Sender({ name: 'A' }));
    const b = serve(new Lookup({ name: 'B' }));
    a.peer = b;
    b.next = a;
    const sent = a.sync.send();
    await tick();
    // B's lookup calls A while A is busy with send: it waits in A's queue, and is answered after it.
    expect(await sent).toBe('sent');
    await vi.waitFor(() => expect(b.last).toBe('report'));
  });

  test('a handler calling itself from inside its own call is still the plain deadlock', async () => {
    class Self extends DeferredCallHandler {
      async outer() {
        return this.sync.inner().catch((error: Error) => error);
      }
      async inner() {
        return 'inner';
      }
    }
    const self = serve(new Self({ name: 'S' }));
    const refused = (await self.sync.outer()) as Error;
    expect(refused).toBeInstanceOf(DeadlockError);
    expect(refused.message).toContain('S.inner() was called through sync from inside S.outer()');
  });
});
