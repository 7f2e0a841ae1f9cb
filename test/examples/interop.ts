import { callSync, DeferredCallHandler } from 'greenstate';
import { type AnyActorRef, assign, createActor, fromPromise, setup, toPromise, waitFor } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { plantLifecycle } from './plant.js';

const plant = plantLifecycle(1, () => {}); // days of 1 ms, deaths untold

// Any XState client runs a graph's machine; its input holds the first state's arguments.
const actor = createActor(plant.machine, { input: { args: [false] } }).start();
console.log(await toPromise(actor)); // withered

// A hand-written machine invokes the graph, and hosts a handler that its other actors find by systemId.
class Greenhouse extends DeferredCallHandler {
  planted = 0;
  plant() {
    return ++this.planted;
  }
}
const greenhouse = new Greenhouse({ name: 'greenhouse', hosted: true });
const gardener = fromPromise(async ({ system }) =>
  callSync(system.get('greenhouse') as AnyActorRef, 'plant'),
);
const garden = setup({
  actors: { plant: plant.machine, greenhouse: greenhouse.logic, gardener },
}).createMachine({
  context: { planted: 0 as unknown, outcome: undefined as unknown },
  invoke: { src: 'greenhouse', systemId: 'greenhouse' },
  initial: 'planting',
  states: {
    planting: {
      invoke: {
        src: 'gardener',
        onDone: { target: 'growing', actions: assign({ planted: ({ event }) => event.output }) },
      },
    },
    growing: {
      invoke: {
        src: 'plant',
        input: { args: [true] },
        onDone: { target: 'harvested', actions: assign({ outcome: ({ event }) => event.output }) },
      },
    },
    harvested: { type: 'final' },
  },
});
const gardening = createActor(garden).start();
console.log(greenhouse.ref === gardening.system.get('greenhouse')); // true: the proxies use that actor
await greenhouse.process(); // the greenhouse decides when the gardener's call runs
console.log((await waitFor(gardening, (snapshot) => snapshot.status === 'done')).context); // { planted: 1, outcome: 'eaten' }

// A run's persisted snapshot is JSON; restored, its current state's body starts again from its beginning.
const run = plant.sprouting(false);
await waitFor(run.actor, (snapshot) => snapshot.value === 'growing');
const saved = JSON.stringify(run.actor.getPersistedSnapshot());
run.stop();
const resumed = createActor(plant.machine, { snapshot: JSON.parse(saved) }).start();
console.log(resumed.getSnapshot().value); // growing
console.log(await toPromise(resumed)); // withered

// xstate/graph walks the machine as it would the same graph written by hand.
console.log(getShortestPaths(plant.machine).map((path) => path.state.value)); // sprouting, growing, done, …
