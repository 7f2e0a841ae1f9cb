import { defineStates, type StateContext } from 'greenstate';
import { createActor, fromPromise, setup } from 'xstate';

const N = 20000;
async function ours() {
  const g = defineStates({
    ping: { transitionsTo: 'pong', body: (ctx: StateContext<'pong'>, n: number) => ctx.to.pong(n + 1) },
    pong: {
      transitionsTo: 'ping',
      body: (ctx: StateContext<'ping'>, n: number) => (n < N ? ctx.to.ping(n + 1) : n),
    },
  });
  const t = performance.now();
  await g.ping(0).done;
  return ((performance.now() - t) / N) * 1000;
}
async function hand() {
  const m = setup({
    actors: {
      ping: fromPromise(async ({ input }: { input: { n: number } }) => input.n),
      pong: fromPromise(async ({ input }: { input: { n: number } }) => input.n),
    },
  }).createMachine({
    context: { n: 0 },
    initial: 'ping',
    states: {
      ping: {
        invoke: {
          src: 'ping',
          input: ({ context }) => ({ n: context.n }),
          onDone: {
            target: 'pong',
            actions: ({ context, event }) => {
              context.n = (event.output as number) + 1;
            },
          },
        },
      },
      pong: {
        invoke: {
          src: 'pong',
          input: ({ context }) => ({ n: context.n }),
          onDone: [
            {
              guard: ({ context }) => context.n < N,
              target: 'ping',
              actions: ({ context }) => {
                context.n++;
              },
            },
            { target: 'done' },
          ],
        },
      },
      done: { type: 'final' },
    },
  });
  const a = createActor(m);
  const t = performance.now();
  await new Promise<void>((r) => {
    a.subscribe({ complete: () => r() });
    a.start();
  });
  return ((performance.now() - t) / N) * 1000;
}
for (let i = 0; i < 3; i++) console.log({ ours: await ours(), hand: await hand() });
