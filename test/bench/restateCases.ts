// What the Restate benchmark serves (restateService.ts) and also runs in-process, to compare.
import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';

export class Tally extends DeferredCallHandler {
  total = 0;

  add(n: number) {
    this.total += n;
    return this.total;
  }
}

/** `n` self-transitions, then the run ends with 0. */
export const countdown = defineStates(
  {
    tick: {
      transitionsTo: 'tick',
      body: (ctx: StateContext<'tick'>, n: number) => (n > 0 ? ctx.to.tick(n - 1) : n),
    },
  },
  { id: 'countdown' },
);
