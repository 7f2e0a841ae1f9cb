import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
import { visualize } from 'greenstate/visualizer';

const viz = await visualize({ port: 0 }); // port 0: any free port on 127.0.0.1
console.log(`open ${viz.url}`);

// Pass viz.inspect where you create handlers and graphs (or XState actors): the page follows them live,
// with every call of a handler in its timeline.
class Kitchen extends DeferredCallHandler {
  cook(dish: string) {
    return `${dish} is ready`;
  }
}
const kitchen = new Kitchen({ inspect: viz.inspect });
const door = defineStates(
  {
    closed: { transitionsTo: 'open', body: (ctx: StateContext<'open'>) => ctx.to.open() },
    open: () => 'open',
  },
  { id: 'door', inspect: viz.inspect },
);

const dinner = kitchen.sync.cook('soup');
await kitchen.process();
console.log(await dinner);
await door.closed().done;

// Or add what exists already: a handler, a run, a graph, a class with @state methods, a machine, an actor.
viz.add(new Kitchen({ name: 'second kitchen' }));
console.log(viz.timeline.map((entry) => entry.text).join('; ')); // cook() sync → ok in 0 ms; started in closed; …

await viz.close(); // the program goes on without it
