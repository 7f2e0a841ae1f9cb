// Types that XState clients see (checked by tsc, as part of `npm test`).
import {
  callSync,
  DeferredCallHandler,
  defineStates,
  type HandlerActorRef,
  type HandlerContext,
  type StateContext,
} from 'greenstate';
import { describe, expectTypeOf, test } from 'vitest';
import { type AnyActorRef, createActor, toPromise } from 'xstate';

const plant = defineStates({
  growing: {
    transitionsTo: 'dead',
    body: async (ctx: StateContext<'dead'>, days: number) => ctx.to.dead(days),
  },
  dead: (_ctx, days: number) => `dead after ${days} days`,
});

class Counter extends DeferredCallHandler {
  n = 0;
  add(k: number) {
    this.n += k;
    return this.n;
  }
  async reset() {
    this.n = 0;
  }
}

/** Type checks call these for their types; their outcome (a closed handler, a stopped run) is not the point. */
const quiet = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => {});
  return promise;
};

describe('types seen by XState clients', () => {
  test("a run's actor snapshot value is the union of its state names, its output the bodies' results", () => {
    const run = plant.growing(3);
    void run.done;
    expectTypeOf(run.actor.getSnapshot().value).toEqualTypeOf<'growing' | 'dead' | 'done'>();
    expectTypeOf(run.state).toEqualTypeOf<'growing' | 'dead' | undefined>();
    const snapshot = run.actor.getSnapshot();
    if (snapshot.value === 'growing') expectTypeOf(snapshot.context.args).toEqualTypeOf<readonly unknown[]>();
    // @ts-expect-error: 'blooming' is no state of this graph
    if (snapshot.value === 'blooming') throw new Error('unreachable');
    expectTypeOf(quiet(toPromise(run.actor))).toEqualTypeOf<Promise<string>>();
    run.stop();
  });

  test("graph.machine's input is optional and carries the first state's arguments", () => {
    expectTypeOf(createActor(plant.machine).getSnapshot().value).toEqualTypeOf<'growing' | 'dead' | 'done'>();
    createActor(plant.machine, { input: { args: [3] } });
    // @ts-expect-error: no state takes a string
    createActor(plant.machine, { input: { args: ['three'] } });
  });

  test("callSync given a handler's ref checks method names and arguments, and returns the method's result", async () => {
    const counter = new Counter();
    expectTypeOf(quiet(callSync(counter.ref, 'add', [1]))).toEqualTypeOf<Promise<number>>();
    expectTypeOf(quiet(callSync(counter.ref, 'reset'))).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error: no such method
    void callSync(counter.ref, 'substract', [1]).catch(() => {});
    // @ts-expect-error: add takes a number
    void callSync(counter.ref, 'add', ['1']).catch(() => {});
    // @ts-expect-error: add takes one argument
    void callSync(counter.ref, 'add').catch(() => {});
    // @ts-expect-error: the handler's own members are not calls
    void callSync(counter.ref, 'process').catch(() => {});
    const found: AnyActorRef = counter.ref;
    expectTypeOf(quiet(callSync(found, 'anything', [1, 2]))).toEqualTypeOf<Promise<unknown>>();
    const untyped: HandlerActorRef = counter.ref;
    expectTypeOf(quiet(callSync(untyped, 'anything'))).toEqualTypeOf<Promise<unknown>>();
    counter.close();
  });

  test("a handler actor's context is plain HandlerContext data", () => {
    const counter = new Counter();
    expectTypeOf(counter.ref.getSnapshot().context).toEqualTypeOf<HandlerContext>();
    expectTypeOf(counter.ref).toExtend<HandlerActorRef<Counter>>();
    counter.close();
  });
});
