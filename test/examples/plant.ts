import { defineStates, type StateContext } from 'greenstate';

// Each state is a task body; calling the next state ends this one and starts that one (a tail call).
// A plant's day lasts `day` milliseconds; its death is told to `log`.
export const plantLifecycle = (day: number, log = (line: string) => console.log(line)) =>
  defineStates(
    {
      sprouting: {
        transitionsTo: 'growing',
        body: async (ctx: StateContext<'growing'>, eaten: boolean) => {
          await ctx.sleep(day); // germination
          return ctx.to.growing(eaten);
        },
      },
      growing: {
        transitionsTo: 'flowering',
        body: async (ctx: StateContext<'flowering'>, eaten: boolean) => {
          await ctx.sleep(day); // turn CO2 and sunlight into biomass
          return ctx.to.flowering(eaten);
        },
      },
      flowering: {
        transitionsTo: ['dead', 'withering'],
        body: async (ctx: StateContext<'dead' | 'withering'>, eaten: boolean) => {
          await ctx.sleep(day); // grow flowers
          return eaten ? ctx.to.dead(true) : ctx.to.withering();
        },
      },
      withering: {
        transitionsTo: 'dead',
        body: async (ctx: StateContext<'dead'>) => {
          await ctx.sleep(day); // dry up
          return ctx.to.dead(false);
        },
      },
      dead: {
        onStart: (state, eaten) => log(eaten ? `${state}: eaten` : `${state}: cleaning up`),
        body: (_ctx, eaten: boolean) => (eaten ? 'eaten' : 'withered'),
      },
    },
    { id: 'plant' },
  );

export const plant = plantLifecycle(10);
