// Graph extraction from machine.toJSON(), and the Mermaid export.
import {
  DeferredCallHandler,
  defineStates,
  handlerMachine,
  machineGraph,
  type StateContext,
  toMermaid,
} from 'greenstate';
import { describe, expect, test } from 'vitest';
import { createMachine } from 'xstate';
import { plant } from '../examples/plant.js';

describe('machineGraph', () => {
  test("reads the plant's states, initial state and transitions from toJSON()", () => {
    const graph = machineGraph(plant.machine);
    expect(graph.id).toBe('plant');
    expect(graph.initial).toBe('plant.sprouting');
    expect(graph.nodes.map((node) => [node.key, node.type])).toEqual([
      ['sprouting', 'atomic'],
      ['growing', 'atomic'],
      ['flowering', 'atomic'],
      ['withering', 'atomic'],
      ['dead', 'atomic'],
      ['done', 'final'],
    ]);
    expect(graph.nodes.find((node) => node.key === 'dead')?.entry).toEqual(['onStart']);
    expect(
      graph.edges
        .filter((edge) => edge.label !== 'returns')
        .map((e) => `${e.source} -${e.label}-> ${e.target}`),
    ).toEqual([
      'plant.sprouting -growing-> plant.growing',
      'plant.growing -flowering-> plant.flowering',
      'plant.flowering -dead-> plant.dead',
      'plant.flowering -withering-> plant.withering',
      'plant.withering -dead-> plant.dead',
    ]);
    expect(graph.edges.filter((edge) => edge.label === 'returns')).toHaveLength(5);
  });

  test('reads nested states, guards and root transitions of the handler machine, from the machine or its JSON', () => {
    for (const source of [handlerMachine, handlerMachine.toJSON()]) {
      const graph = machineGraph(source);
      expect(graph.nodes.find((node) => node.key === 'processing')).toMatchObject({
        type: 'compound',
        initial: 'DeferredCallHandler.processing.running',
      });
      expect(
        graph.nodes.filter((node) => node.parent === 'DeferredCallHandler.processing').map((n) => n.key),
      ).toEqual(['running', 'waiting']);
      expect(graph.edges.find((edge) => edge.event === 'call')).toMatchObject({
        source: 'DeferredCallHandler.processing.waiting',
        target: 'DeferredCallHandler.processing.running',
        guard: 'whitelisted',
        label: 'call [whitelisted]',
      });
      expect(graph.rootEvents).toEqual(['call', 'call.cancel', 'process.stop', 'close → closed']);
    }
  });

  test('draws a transition without a target as a loop on its state', () => {
    const machine = createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { on: { poke: { actions: () => {} } } } },
    });
    expect(machineGraph(machine).edges).toEqual([
      { id: 'e0', source: 'm.a', target: 'm.a', event: 'poke', guard: undefined, label: 'poke' },
    ]);
  });

  test('anything that is not a machine gets a clear TypeError', () => {
    for (const bad of [
      undefined,
      42,
      { id: 'x' },
      { toJSON: () => ({ nope: true }) },
      new DeferredCallHandler(),
    ]) {
      expect(() => machineGraph(bad)).toThrow(TypeError);
    }
    expect(() => toMermaid({ id: 'x' })).toThrow(
      'Expected an XState machine (or its toJSON()), with an id, states and transitions; got {"id":"x"}.',
    );
  });
});

describe('toMermaid', () => {
  test("exports the plant's graph", () => {
    expect(toMermaid(plant.machine)).toBe(`stateDiagram-v2
  state "sprouting" as s0
  state "growing" as s1
  state "flowering" as s2
  state "withering" as s3
  state "dead" as s4
  state "done" as s5
  [*] --> s0
  s5 --> [*]
  s0 --> s1 : growing
  s0 --> s5 : returns
  s1 --> s2 : flowering
  s1 --> s5 : returns
  s2 --> s4 : dead
  s2 --> s3 : withering
  s2 --> s5 : returns
  s3 --> s4 : dead
  s3 --> s5 : returns
  s4 --> s5 : returns
`);
  });

  test("exports the manager's handler machine, nested states and guards included", () => {
    expect(
      toMermaid(new DeferredCallHandler({ name: 'manager' }).ref.getSnapshot().machine),
    ).toBe(`stateDiagram-v2
  state "idle" as s0
  state "processing" as s1 {
    state "running" as s2
    state "waiting" as s3
    [*] --> s2
  }
  state "closed" as s4
  [*] --> s0
  s0 --> s1 : loop.start [ownLoop]
  s2 --> s3 : loop.wait [ownLoop]
  s3 --> s2 : call [whitelisted]
  s3 --> s2 : process.stop
  s1 --> s0 : loop.end [ownLoop]
  note "DeferredCallHandler handles in every state: call, call.cancel, process.stop, close → closed" as rootEvents
`);
  });

  test('quotes what Mermaid would misread', () => {
    const graph = defineStates({
      'say "hi"; go': { transitionsTo: 'b', body: (ctx: StateContext<'b'>) => ctx.to.b() },
      b: () => {},
    });
    expect(toMermaid(graph.machine)).toContain('state "say ″hi″； go" as s0');
  });
});
