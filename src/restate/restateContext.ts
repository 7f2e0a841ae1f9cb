import type { ObjectSharedContext } from '@restatedev/restate-sdk';
import { runningBody } from '../states/Body.js';
import type { StateContext } from '../states/stateTypes.js';
import { DurableBody } from './DurableBody.js';

/**
 * The Restate context of a state's body running on Restate: `ctx` for a body of `defineStates`, nothing
 * for a decorated method (the body running now). Its `run` journals a step, so that a retried body
 * replays the step's result instead of doing it again.
 *
 * @example
 * ```ts
 * import { defineStates } from 'greenstate';
 * import { restateContext } from 'greenstate/restate';
 * const order = defineStates({
 *   paying: {
 *     transitionsTo: 'shipped',
 *     body: async (ctx, id: string) => {
 *       const receipt = await restateContext(ctx).run('charge', () => charge(id));
 *       return ctx.to.shipped(receipt);
 *     },
 *   },
 *   shipped: (_ctx, receipt: string) => receipt,
 * });
 * ```
 */
export function restateContext(ctx?: StateContext): ObjectSharedContext {
  const body = ctx ?? runningBody.get();
  if (body instanceof DurableBody) return body.restate;
  throw new TypeError(
    ctx === undefined
      ? 'restateContext() was called outside a state body running on Restate: call it from the body of a state ' +
          'served with restateStates, or pass the body its ctx.'
      : 'restateContext(ctx) was given the ctx of a body that does not run on Restate: serve the graph with restateStates.',
  );
}
