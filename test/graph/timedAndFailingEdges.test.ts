// Labels of delayed (`after`) and error (`onError`) transitions in machineGraph and the Mermaid export.
import { defineStates, machineGraph, type StateContext, toMermaid } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { createMachine, fromPromise, setup } from 'xstate';
import { getSimplePaths } from 'xstate/graph';

const edgesOf = (machine: unknown) =>
  machineGraph(machine).edges.map((edge) => `${edge.source} -${edge.label}-> ${edge.target}`);

describe('timed and failing edges', () => {
  test('a state graph: its timeout reads "after <ms> ms", its onError "error", its return "returns"', () => {
    const call = defineStates(
      {
        dialing: {
          transitionsTo: ['talking', 'busy'],
          timeout: { after: 30_000, to: 'busy' },
          onError: 'busy',
          body: (ctx: StateContext<'talking'>) => ctx.to.talking(),
        },
        talking: () => 'bye',
        busy: () => 'busy',
      },
      { id: 'call' },
    );
    expect(edgesOf(call.machine)).toEqual([
      'call.dialing -talking-> call.talking',
      'call.dialing -busy-> call.busy',
      'call.dialing -returns-> call.done',
      'call.dialing -error-> call.busy',
      'call.dialing -after 30000 ms-> call.busy',
      'call.talking -returns-> call.done',
      'call.busy -returns-> call.done',
    ]);
    // The timer XState raises on entry is the after edge, not an entry action of the state.
    expect(machineGraph(call.machine).nodes.find((node) => node.key === 'dialing')?.entry).toEqual([]);
    const mermaid = toMermaid(call.machine);
    expect(mermaid).toContain('s0 --> s2 : error');
    expect(mermaid).toContain('s0 --> s2 : after 30000 ms');
    // xstate/graph walks them too: busy is reached by a transition, an error and a timeout.
    const events = new Set(
      getSimplePaths(call.machine).flatMap((path) => path.steps.map((step) => step.event.type)),
    );
    expect(events).toContain('xstate.error.actor.body:dialing');
    expect(events).toContain('xstate.after.30000.call.dialing');
  });

  test("a hand-written machine: a named delay, a fractional one, and another actor's error keep their names", () => {
    const machine = setup({
      actors: { fetcher: fromPromise(async () => 1) },
      delays: { patience: 500 },
    }).createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: { after: { patience: 'b', 0.5: 'c' } },
        b: { invoke: { id: 'fetch', src: 'fetcher', onError: 'c' } },
        c: { entry: () => {}, after: { 10: 'a' } },
      },
    });
    expect(edgesOf(machine)).toEqual([
      'm.a -after patience-> m.b',
      'm.a -after 0.5 ms-> m.c',
      'm.b -error: fetch-> m.c',
      'm.c -after 10 ms-> m.a',
    ]);
    const entry = machineGraph(machine).nodes.find((node) => node.key === 'c')?.entry;
    expect(entry).toHaveLength(1); // its own inline action; the raise behind its after edge is left out
    expect(entry).not.toContain('xstate.raise');
    expect(edgesOf(machine.toJSON())).toEqual(edgesOf(machine));
  });

  test('an entry raise of a machine with no delayed transition stays an entry action', () => {
    const machine = createMachine({
      id: 'r',
      initial: 'a',
      states: { a: { entry: { type: 'xstate.raise' } as never, on: { go: 'b' } }, b: {} },
    });
    expect(machineGraph(machine).nodes.find((node) => node.key === 'a')?.entry).toEqual(['xstate.raise']);
  });
});
