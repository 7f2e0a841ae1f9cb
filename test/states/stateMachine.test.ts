// The compiled XState machine: exactly the declared graph, bodies as invoked actors, onStart as entry actions.
import { defineStates, type StateContext } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { createActor, type InspectionEvent, waitFor } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';

const plant = defineStates({
  sprouting: { transitionsTo: 'growing', body: (ctx: StateContext<'growing'>) => ctx.to.growing() },
  growing: {
    transitionsTo: 'flowering',
    onStart: () => {},
    body: (ctx: StateContext<'flowering'>) => ctx.to.flowering(),
  },
  flowering: {
    transitionsTo: ['dead', 'withering'],
    body: (ctx: StateContext<'dead' | 'withering'>, eaten: boolean) =>
      eaten ? ctx.to.dead(true) : ctx.to.withering(),
  },
  withering: { transitionsTo: 'dead', body: (ctx: StateContext<'dead'>) => ctx.to.dead(false) },
  dead: (_ctx, eaten: boolean) => (eaten ? 'eaten' : 'withered'),
});

describe('the compiled machine', () => {
  test('its states are exactly the declared states plus the final state; the first declared is initial', () => {
    const json = JSON.parse(JSON.stringify(plant.machine.toJSON())) as {
      states: Record<string, { type: string }>;
    };
    expect(Object.keys(json.states)).toEqual([
      'sprouting',
      'growing',
      'flowering',
      'withering',
      'dead',
      'done',
    ]);
    expect(json.states.done?.type).toBe('final');
    expect(plant.machine.config.initial).toBe('sprouting');
  });

  test('its transitions are exactly the declared edges, plus each body ending in the final state', () => {
    const edges = toDirectedGraph(plant.machine).children.flatMap((node) =>
      node.edges.map((edge) => `${edge.source.key} -${edge.label.text}-> ${edge.target.key}`),
    );
    const declared = [
      'sprouting -growing-> growing',
      'growing -flowering-> flowering',
      'flowering -dead-> dead',
      'flowering -withering-> withering',
      'withering -dead-> dead',
    ];
    const ending = ['sprouting', 'growing', 'flowering', 'withering', 'dead'].map(
      (name) => `${name} -xstate.done.actor.body:${name}-> done`,
    );
    expect(edges.sort()).toEqual([...declared, ...ending].sort());
  });

  test('each body is an invoked actor with an explicit id; onStart is an entry action', () => {
    const { states } = plant.machine.root;
    expect(states.growing?.invoke.map((invoke) => invoke.id)).toEqual(['body:growing']);
    expect(states.growing?.entry.map((action) => (action as { type: string }).type)).toEqual(['onStart']);
    expect(states.sprouting?.entry).toEqual([]);
  });

  test('an inspect observer sees every transition and every body start', async () => {
    const events: InspectionEvent[] = [];
    const inspected = defineStates(
      {
        a: { transitionsTo: 'b', body: (ctx: StateContext<'b'>) => ctx.to.b(1) },
        b: (_ctx, n: number) => n,
      },
      { inspect: (event) => events.push(event) },
    );
    await inspected.a().done;
    const ids = events.flatMap((e) =>
      e.type === '@xstate.actor' ? [(e.actorRef as unknown as { id: string }).id] : [],
    );
    const bodies = ids.filter((id) => id.startsWith('body:'));
    expect(bodies).toEqual(['body:a', 'body:b']);
    const transitions = events.flatMap((e) =>
      e.type === '@xstate.microstep' ? e._transitions.map((t) => t.eventType) : [],
    );
    expect(transitions).toEqual(['b', 'xstate.done.actor.body:b']);
  });

  test("a run's actor is an actor of graph.machine, started with the first state's arguments as input", async () => {
    const graph = defineStates({ only: (_ctx, n: number) => n * 2 });
    const run = graph.only(21);
    expect((run.actor as unknown as { logic: unknown }).logic).toBe(graph.machine);
    expect(run.actor.getSnapshot().context).toEqual({ args: [21] });
    expect(await run.done).toBe(42);
    const actor = createActor(graph.machine, { input: { args: [4] } }).start();
    expect(actor.getSnapshot().value).toBe('only');
    expect((await waitFor(actor, (snapshot) => snapshot.status === 'done')).output).toBe(8);
  });
});
