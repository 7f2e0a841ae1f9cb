// Model-based testing with xstate/graph: greenstate's machines give the paths of their hand-written twins.
import { defineStates, handlerMachine, type StateContext } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { type AnyStateMachine, createMachine, fromPromise } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';

const noop = async (ctx: StateContext) => ctx.state;

/** The plant of the README, as a graph: two ways to die. */
const plant = defineStates(
  {
    sprouting: { transitionsTo: 'growing', body: noop },
    growing: { transitionsTo: 'flowering', body: noop },
    flowering: { transitionsTo: ['withering', 'dead'], body: noop },
    withering: { transitionsTo: 'dead', body: noop },
    dead: noop,
  },
  { id: 'plant' },
);

/** The same graph written by hand in XState: each body an invoked promise, each return the final state. */
const body = fromPromise(async () => undefined);
const invoking = (name: string) => ({ id: `body:${name}`, src: body, onDone: 'done' });
const handWritten = createMachine({
  id: 'plant',
  initial: 'sprouting',
  states: {
    sprouting: { invoke: invoking('sprouting'), on: { growing: 'growing' } },
    growing: { invoke: invoking('growing'), on: { flowering: 'flowering' } },
    flowering: { invoke: invoking('flowering'), on: { withering: 'withering', dead: 'dead' } },
    withering: { invoke: invoking('withering'), on: { dead: 'dead' } },
    dead: { invoke: invoking('dead') },
    done: { type: 'final' },
  },
});

type Paths = ReturnType<typeof getShortestPaths>;
const shapes = (paths: Paths) =>
  paths
    .map(
      (path) =>
        `${JSON.stringify(path.state.value)} <- ${path.steps.map((step) => step.event.type).join(' ')}`,
    )
    .sort();

describe('xstate/graph', () => {
  test.each([
    ['getShortestPaths', getShortestPaths],
    ['getSimplePaths', getSimplePaths],
  ] as const)('%s over graph.machine gives the paths of the same graph written by hand', (_name, paths) => {
    const ours = shapes(paths(plant.machine as unknown as AnyStateMachine));
    expect(ours).toEqual(shapes(paths(handWritten)));
    expect(ours).toContain('"dead" <- xstate.init growing flowering dead');
    expect(ours.length).toBeGreaterThan(5);
  });

  test('it traverses handlerMachine without error, reaching every state a call sequence can reach', () => {
    const shortest = shapes(getShortestPaths(handlerMachine as unknown as AnyStateMachine));
    const simple = shapes(getSimplePaths(handlerMachine as unknown as AnyStateMachine));
    expect(shortest).toEqual(['"closed" <- xstate.init close', '"idle" <- xstate.init']);
    expect(simple).toEqual(shortest);
  });

  test('paths can be replayed on a real actor of the machine (model-based testing)', async () => {
    const { createActor, waitFor } = await import('xstate');
    for (const path of getShortestPaths(plant.machine as unknown as AnyStateMachine)) {
      const events = path.steps
        .map((step) => step.event)
        .filter((event) => !event.type.startsWith('xstate.'));
      if (path.steps.some((step) => step.event.type.startsWith('xstate.done'))) continue; // a body's own return
      const actor = createActor(plant.machine).start();
      for (const event of events) actor.send(event as never);
      await waitFor(actor, (snapshot) => snapshot.value === path.state.value || snapshot.status !== 'active');
      expect(actor.getSnapshot().value).toEqual(path.state.value);
      actor.stop();
    }
  });
});
