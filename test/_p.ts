import { defineStates, type StateContext } from 'greenstate';

const N = 50000;
const g = defineStates({
  ping: { transitionsTo: 'pong', body: (ctx: StateContext<'pong'>, n: number) => ctx.to.pong(n + 1) },
  pong: {
    transitionsTo: 'ping',
    body: (ctx: StateContext<'ping'>, n: number) => (n < N ? ctx.to.ping(n + 1) : n),
  },
});
const t = performance.now();
await g.ping(0).done;
console.log(((performance.now() - t) / N) * 1000);
