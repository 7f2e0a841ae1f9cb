// The Restate clients' types, inferred from the handler class and the graph with no annotations
// (checked by tsc as part of npm test).
import type { SyncProxy } from 'greenstate';
import { type RestateHandler, type RestateRunSnapshot, restateHandler, restateRun } from 'greenstate/restate';
import { describe, expectTypeOf, test } from 'vitest';
import type { Counter, relay, Seedling } from './fixtures/durable.js';

const ingress = 'http://127.0.0.1:1';

describe('restateHandler', () => {
  test("its proxies are typed exactly like a local handler's", () => {
    const counter = restateHandler<typeof Counter>(ingress, 'k', { name: 'Counter' });
    expectTypeOf(counter).toEqualTypeOf<RestateHandler<Counter>>();
    expectTypeOf(counter.sync).toEqualTypeOf<SyncProxy<Counter>>();
    expectTypeOf(counter.sync.add).toEqualTypeOf<(n: number) => Promise<number>>();
    expectTypeOf(counter.sync({ timeout: 5 }).slowAdd).toEqualTypeOf<
      (n: number, ms: number) => Promise<number>
    >();
    expectTypeOf(counter.oneway.add).toEqualTypeOf<(n: number) => void>();
    if (Math.random() > 1) {
      // @ts-expect-error: add takes a number
      void counter.sync.add('1');
      // @ts-expect-error: no such method
      void counter.sync.subtract(1);
      // @ts-expect-error: process() is the owner's, not a call
      void counter.sync.process();
      // @ts-expect-error: the served name is needed
      restateHandler<typeof Counter>(ingress, 'k');
    }
  });
});

describe('restateRun', () => {
  test("start takes the graph's arguments; done gives its output; snapshot names its states", () => {
    const run = restateRun<typeof relay>(ingress, 'k', { name: 'relay' });
    expectTypeOf(run.start).parameters.toEqualTypeOf<[n: number, ms: number] | [n: number]>();
    expectTypeOf<ReturnType<typeof run.done>>().toEqualTypeOf<Promise<string>>();
    expectTypeOf<ReturnType<typeof run.snapshot>>().toEqualTypeOf<
      Promise<RestateRunSnapshot<string, 'first' | 'second' | 'done'>>
    >();
    const seedling = restateRun<typeof Seedling>(ingress, 'k', { name: 'Seedling' });
    expectTypeOf<ReturnType<typeof seedling.done>>().toEqualTypeOf<Promise<unknown>>();
    if (Math.random() > 1) {
      // @ts-expect-error: relay's first state takes a number
      void run.start('one');
    }
  });
});
