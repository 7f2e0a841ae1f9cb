// Property-based test: random interleavings of calls, deadlines, process/stop and close.
import fc from 'fast-check';
import { DeferredCallHandler, TimeoutError } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { ManualClock, tick } from '../support/helpers.js';

const METHODS = ['now', 'later', 'fails', 'failsLater'] as const;
type Method = (typeof METHODS)[number];

type Op =
  | { t: 'sync'; m: Method; delay: number; timeout: number | undefined }
  | { t: 'oneway'; m: Method; delay: number }
  | { t: 'process'; forever: boolean; whitelist: Method[] | undefined }
  | { t: 'stop' }
  | { t: 'advance'; ms: number }
  | { t: 'tick' }
  | { t: 'close' };

const method = fc.constantFrom(...METHODS);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('sync' as const),
      m: method,
      delay: fc.nat(20),
      timeout: fc.option(fc.nat(30), { nil: undefined }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('oneway' as const), m: method, delay: fc.nat(20) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('process' as const),
      forever: fc.boolean(),
      whitelist: fc.option(fc.subarray([...METHODS]), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('stop' as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.nat(25) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('tick' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('close' as const) }) },
);

interface Start {
  seq: number;
  m: Method;
  loop: number;
  at: number;
}

class Model extends DeferredCallHandler {
  running = 0;
  maxRunning = 0;
  starts: Start[] = [];
  loop = -1;
  clock!: ManualClock;

  #enter(seq: number, m: Method) {
    if (this.starts.some((start) => start.seq === seq)) throw new Error(`call ${seq} ran twice`);
    this.starts.push({ seq, m, loop: this.loop, at: this.clock.now });
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
  }
  #sleep(ms: number) {
    return new Promise<void>((resolve) => this.clock.setTimeout(resolve, ms));
  }
  now(seq: number) {
    this.#enter(seq, 'now');
    this.running--;
    return seq;
  }
  async later(seq: number, delay: number) {
    this.#enter(seq, 'later');
    await this.#sleep(delay);
    this.running--;
    return seq;
  }
  fails(seq: number): never {
    this.#enter(seq, 'fails');
    this.running--;
    throw new Error(`fails ${seq}`);
  }
  async failsLater(seq: number, delay: number) {
    this.#enter(seq, 'failsLater');
    await this.#sleep(delay);
    this.running--;
    throw new Error(`failsLater ${seq}`);
  }
}

describe('random interleavings', () => {
  test('every sync call settles exactly once, admitted calls run in FIFO order one at a time, no timer is left', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const clock = new ManualClock();
        const reportedOneway = new Set<number>();
        const handler = new Model({
          clock,
          onOnewayError: (_, call) => reportedOneway.add(call.args[0] as number),
        });
        handler.clock = clock;
        const replies = new Map<string, number>();
        handler.ref.on('call.reply', (reply) => replies.set(reply.id, (replies.get(reply.id) ?? 0) + 1));

        const loops: (Set<Method> | undefined)[] = [];
        const syncCalls: {
          seq: number;
          at: number;
          timeout: number | undefined;
          outcome: Promise<unknown>;
        }[] = [];
        const onewayCalls: { seq: number; m: Method; refused: boolean }[] = [];
        const processes: Promise<unknown>[] = [];
        const enqueued: Method[] = [];
        let acceptedSync = 0;

        for (const step of ops) {
          switch (step.t) {
            case 'sync': {
              const seq = enqueued.push(step.m) - 1;
              const proxy =
                step.timeout === undefined ? handler.sync : handler.sync({ timeout: step.timeout });
              const closed = handler.ref.getSnapshot().value === 'closed';
              if (!closed) acceptedSync++;
              const outcome = proxy[step.m](seq, step.delay).then(
                (value) => ({ ok: value }),
                (error: Error) => ({ error }),
              );
              syncCalls.push({ seq, at: clock.now, timeout: step.timeout, outcome });
              break;
            }
            case 'oneway': {
              const seq = enqueued.push(step.m) - 1;
              let refused = false;
              try {
                handler.oneway[step.m](seq, step.delay);
              } catch {
                refused = true;
              }
              onewayCalls.push({ seq, m: step.m, refused });
              break;
            }
            case 'process': {
              if (handler.ref.getSnapshot().value === 'idle') {
                loops.push(step.whitelist && new Set(step.whitelist));
                handler.loop = loops.length - 1;
              }
              const options = step.whitelist
                ? { forever: step.forever, whitelist: step.whitelist }
                : { forever: step.forever };
              processes.push(handler.process(options).catch((error: Error) => error));
              break;
            }
            case 'stop':
              handler.stopProcessing();
              break;
            case 'advance':
              await clock.advance(step.ms);
              break;
            case 'tick':
              await tick();
              break;
            case 'close':
              handler.close();
              break;
          }
        }
        handler.close();
        for (let i = 0; i < 10 && clock.active > 0; i++) await clock.advance(100);
        const outcomes = await Promise.all(syncCalls.map((call) => call.outcome));
        await Promise.all(processes);

        // exactly once: one reply per accepted sync call, every promise settled
        expect([...replies.values()].every((count) => count === 1)).toBe(true);
        expect(replies.size).toBe(acceptedSync);
        expect(outcomes).toHaveLength(syncCalls.length);
        // one at a time, never twice (#enter throws on a second run, failing that call)
        expect(handler.maxRunning).toBeLessThanOrEqual(1);
        // FIFO among admitted calls: a later call never started before an earlier one its loop admitted
        const startIndex = new Map(handler.starts.map((start, i) => [start.seq, i]));
        for (const b of handler.starts) {
          const admits = loops[b.loop];
          for (let a = 0; a < b.seq; a++) {
            const method = enqueued[a] as Method;
            if (admits && !admits.has(method)) continue;
            const aIndex = startIndex.get(a);
            if (aIndex !== undefined) expect(aIndex).toBeLessThan(startIndex.get(b.seq) as number);
          }
        }
        // a call that timed out while queued never ran
        syncCalls.forEach((call, i) => {
          const outcome = outcomes[i] as { error?: Error };
          if (!(outcome.error instanceof TimeoutError) || call.timeout === undefined) return;
          const start = handler.starts.find((s) => s.seq === call.seq);
          if (start) expect(start.at).toBeLessThanOrEqual(call.at + Math.max(call.timeout, 1));
        });
        // nothing lost: every accepted oneway call ran or was reported
        for (const call of onewayCalls) {
          if (call.refused) continue;
          expect(startIndex.has(call.seq) || reportedOneway.has(call.seq)).toBe(true);
        }
        // no timer left
        expect(clock.active).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
