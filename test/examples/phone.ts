import { createTestClock, defineStates, type StateContext } from 'greenstate';

const clock = createTestClock();
const phone = defineStates(
  {
    ringing: {
      transitionsTo: ['talking', 'voicemail'],
      timeout: { after: 20_000, to: 'voicemail', args: ['no answer'] }, // XState `after`
      onExit: (state, reason) => console.log(`${state} ended:`, reason),
      body: (ctx) => ctx.sleep(Number.POSITIVE_INFINITY), // nobody picks up
    },
    talking: {
      onError: 'voicemail', // the invoke's onError: voicemail gets the very error
      body: async (ctx: StateContext<never>) => {
        await ctx.sleep(60_000);
        throw new Error('line dropped');
      },
    },
    voicemail: (_ctx, why: unknown) => `message left (${why instanceof Error ? why.message : why})`,
  },
  { clock },
);

const run = phone.ringing();
await clock.advance(20_000); // logs: ringing ended: { type: 'timeout', to: 'voicemail' }
console.log(await run.done); // message left (no answer)

const call = phone.talking();
await clock.advance(60_000);
console.log(await call.done); // message left (line dropped)
