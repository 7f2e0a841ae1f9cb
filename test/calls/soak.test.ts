// A bounded soak: random calls of every kind, deadlines, cancels, loops, stops and closes across many
// handlers. Every sync call settles exactly once, no timer is left behind, nothing is unhandled.
import { type CallReply, callSync, DeferredCallHandler, type HandlerActorRef } from 'greenstate';
import { expect, test, vi } from 'vitest';
import { ManualClock, tick, watchUnhandledRejections } from '../support/helpers.js';

const unhandled = watchUnhandledRejections();

/** A small seeded generator (mulberry32): the same seed, the same soak. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
  };
}

const clock = new ManualClock();
const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

class Worker extends DeferredCallHandler {
  peers: Worker[] = [];
  fast(n: number) {
    return n;
  }
  async slow(ms: number) {
    await sleep(ms);
    return ms;
  }
  fail(): never {
    throw new RangeError('failed on purpose');
  }
  async failLater(ms: number): Promise<never> {
    await sleep(ms);
    throw new Error('failed later');
  }
  /** A call into another handler, bounded by a deadline (two handlers waiting for each other end there). */
  async ask(i: number) {
    const peer = this.peers[i % this.peers.length];
    return peer === undefined
      ? 0
      : peer
          .sync({ timeout: 20 })
          .fast(i)
          .catch(() => -1);
  }
}

test('random calls, deadlines, cancels, loops and closes across 16 handlers: every sync call settles once', async () => {
  const rng = random(20261201);
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
  const handlers: Worker[] = [];
  const make = () => {
    const worker = new Worker({ clock, onOnewayError: () => {} });
    worker.peers = handlers;
    return worker;
  };
  for (let i = 0; i < 16; i++) handlers.push(make());

  let settledTwice = 0;
  const outcomes: { settled: number }[] = [];
  const track = (promise: Promise<unknown>) => {
    const outcome = { settled: 0 };
    outcomes.push(outcome);
    promise.then(
      () => {
        outcome.settled++;
      },
      () => {
        outcome.settled++;
      },
    );
  };
  /** Protocol calls: replies counted per id, each must come exactly once. */
  const replies = new Map<string, number>();
  const replyTo = {
    send(reply: CallReply) {
      const count = (replies.get(reply.id) ?? 0) + 1;
      replies.set(reply.id, count);
      if (count > 1) settledTwice++;
    },
  };
  const protocolIds: string[] = [];
  let ids = 0;
  const loops: Promise<void>[] = [];

  const methods = ['fast', 'slow', 'fail', 'failLater', 'ask'] as const;
  const argsOf = (method: (typeof methods)[number]) =>
    method === 'fast' || method === 'ask' ? [rng.int(100)] : method === 'fail' ? [] : [rng.int(30)];

  for (let step = 0; step < 30_000; step++) {
    const index = rng.int(handlers.length);
    const worker = handlers[index] as Worker;
    const method = rng.pick(methods);
    const roll = rng.next();
    try {
      if (roll < 0.25) {
        const timeout = rng.next() < 0.4 ? { timeout: rng.int(40) } : undefined;
        const sync = timeout ? worker.sync(timeout) : worker.sync;
        track(
          (sync as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method]?.(
            ...argsOf(method),
          ) as Promise<unknown>,
        );
      } else if (roll < 0.4) {
        (worker.oneway as unknown as Record<string, (...args: unknown[]) => void>)[method]?.(
          ...argsOf(method),
        );
      } else if (roll < 0.5) {
        const options = rng.next() < 0.5 ? { timeout: rng.int(40) } : {};
        const ref: HandlerActorRef = worker.ref; // untyped: the soak names methods at random
        track(callSync(ref, method, argsOf(method), options));
      } else if (roll < 0.6) {
        const id = `p${++ids}`;
        protocolIds.push(id);
        replies.set(id, 0);
        worker.ref.send({ type: 'call', id, method, args: argsOf(method), replyTo });
      } else if (roll < 0.66) {
        const id = rng.pick(protocolIds);
        if (id !== undefined) for (const handler of handlers) handler.ref.send({ type: 'call.cancel', id });
      } else if (roll < 0.8) {
        const whitelist = rng.next() < 0.3 ? { whitelist: [rng.pick(methods)] } : {};
        loops.push(worker.process({ ...whitelist, forever: rng.next() < 0.2 }).catch(() => {}));
      } else if (roll < 0.85) {
        worker.stopProcessing();
      } else if (roll < 0.87) {
        worker.close(`closed at step ${step}`);
        handlers[index] = make();
      } else {
        await clock.advance(rng.int(15));
      }
    } catch {
      // oneway to a closed handler throws at once: expected, and nothing to settle
    }
    if (step % 50 === 0) await tick();
  }

  // Let every loop run out, then close every handler: whatever is still queued or running settles.
  for (let i = 0; i < 20; i++) {
    for (const worker of handlers) void worker.process().catch(() => {});
    await clock.advance(50);
  }
  for (const worker of handlers) worker.close('end of the soak');
  await clock.advance(100);
  await Promise.all(loops);
  await tick();

  expect(outcomes.length).toBeGreaterThan(8000);
  expect(outcomes.filter((outcome) => outcome.settled !== 1)).toEqual([]);
  expect([...replies.values()].filter((count) => count !== 1)).toEqual([]);
  expect(settledTwice).toBe(0);
  expect(clock.active).toBe(0);
  expect(unhandled).toEqual([]);
  quiet.mockRestore();
}, 120_000);
