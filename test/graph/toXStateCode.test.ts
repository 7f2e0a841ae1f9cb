// toXStateCode: the source it writes, imported back, is a machine with the original's graph.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DeferredCallHandler,
  defineStates,
  handlerMachine,
  machineGraph,
  type StateContext,
  toXStateCode,
} from 'greenstate';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type AnyStateMachine,
  type AnyStateNode,
  and,
  createActor,
  createMachine,
  fromPromise,
  not,
  or,
  setup,
  stateIn,
} from 'xstate';
import { plant } from '../examples/plant.js';

// The written modules import 'xstate': they live under node_modules/.cache, from where it resolves.
const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'toXStateCode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
/** The machine that the code written for `machine` exports, imported from a module file. */
async function reimported(machine: unknown): Promise<AnyStateMachine> {
  const file = join(dir, `machine${written++}.mjs`);
  writeFileSync(file, toXStateCode(machine));
  const module: { machine: AnyStateMachine } = await import(/* @vite-ignore */ pathToFileURL(file).href);
  return module.machine;
}

/** An action's or a guard's name, XState's combinators shown with their arguments. */
function nameOf(item: unknown): string {
  if (typeof item === 'string') return item;
  const { type, name, guards, stateValue, params } = item as Record<string, unknown>;
  if (typeof item === 'function' && Array.isArray(guards)) return `${name}(${guards.map(nameOf).join(', ')})`;
  if (typeof item === 'function' && stateValue !== undefined) return `stateIn(${JSON.stringify(stateValue)})`;
  if (typeof type === 'string') return params === undefined ? type : `${type}${JSON.stringify(params)}`;
  return typeof name === 'string' && name ? name : 'guard';
}

/**
 * What machineGraph leaves out, read from the live state nodes: every transition (eventless ones too) with
 * its guard, actions, reentry and delay; entry and exit actions; history kinds and defaults; invoked actors;
 * descriptions, tags and meta.
 */
function details(machine: AnyStateMachine): string[] {
  const rows: string[] = [];
  const visit = (node: AnyStateNode) => {
    const { id, type, history, entry, exit, tags, description, meta } = node;
    rows.push(
      `${id} ${type} ${history} in:${entry.map(nameOf)} out:${exit.map(nameOf)} ${tags} ${description}`,
    );
    if (meta !== undefined) rows.push(`${id} meta ${JSON.stringify(meta)} own keys ${Reflect.ownKeys(meta)}`);
    if (type === 'history') rows.push(`${id} defaults to ${JSON.stringify(node.config.target)}`);
    for (const { id: invokeId, src, systemId } of node.invoke)
      rows.push(
        `${id} invokes ${invokeId}: ${String(src).startsWith('xstate.invoke.') ? invokeId : src} ${systemId}`,
      );
    for (const t of [...[...node.transitions.values()].flat(), ...(node.always ?? [])]) {
      const targets = t.target?.map((target) => target.id);
      const guard = t.guard === undefined ? '' : nameOf(t.guard);
      const delay = 'delay' in t ? t.delay : '';
      const actions = t.actions.map(nameOf);
      rows.push(
        `${id} ${t.eventType || '(always)'} -> ${targets} [${guard}] ${actions} ${t.reenter} ${delay}`,
      );
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return rows;
}

/** The code of `machine`, imported back, has the same graph and the same details. */
async function expectRoundTrip(machine: AnyStateMachine): Promise<AnyStateMachine> {
  const back = await reimported(machine);
  expect(machineGraph(back)).toEqual(machineGraph(machine));
  expect(details(back)).toEqual(details(machine));
  return back;
}

const player = setup({
  guards: { online: () => true, hasTrack: () => true, isLooping: () => true },
  actions: { log: () => {}, mark: () => {} },
  actors: { fetchTrack: fromPromise(async () => 'track'), retry: fromPromise(async () => {}) },
  delays: { fade: 50 },
}).createMachine({
  id: 'player',
  initial: 'booting',
  entry: 'log',
  states: {
    booting: { always: [{ guard: 'online', target: 'ready' }, { target: 'offline' }] },
    ready: {
      type: 'parallel',
      on: { quit: '#player.finished', rewind: '.deck.resume', 'volume.*': { actions: 'log' } },
      onDone: 'finished',
      states: {
        deck: {
          initial: 'stopped',
          states: {
            stopped: {
              on: {
                play: [
                  { guard: 'hasTrack', target: 'playing' },
                  { target: 'stopped', reenter: true, actions: 'log' },
                ],
              },
            },
            playing: {
              after: {
                1000: 'stopped',
                fade: { guard: and(['isLooping', not('hasTrack')]), target: 'paused' },
              },
              on: {
                pause: 'paused',
                next: { guard: stateIn('#player.ready.loader.loaded'), target: 'playing', reenter: true },
              },
            },
            paused: { exit: ['log', { type: 'mark', params: { at: 3 } }], on: { play: 'playing' } },
            resume: { type: 'history', history: 'deep', target: 'paused' },
          },
        },
        loader: {
          initial: 'loading',
          states: {
            loading: {
              invoke: {
                id: 'fetch',
                src: 'fetchTrack',
                input: { url: '/track' },
                onDone: 'loaded',
                onError: { target: 'failed', actions: 'log' },
              },
            },
            failed: {
              invoke: [
                { src: 'retry', systemId: 'retrier', onDone: 'loading', onError: '#gave-up' },
                { src: fromPromise(async () => {}), onDone: 'loaded' },
              ],
            },
            loaded: { type: 'final' },
            gaveUp: {
              id: 'gave-up',
              type: 'final',
              description: 'No more retries',
              tags: ['error'],
              meta: { n: 1 },
            },
          },
        },
      },
    },
    offline: {
      on: { retry: { target: 'booting', guard: or(['online', () => true]), description: 'Try again' } },
    },
    finished: { type: 'final' },
  },
});

describe('toXStateCode', () => {
  test('writes the plant as code whose machine has the same states, transitions and actors', async () => {
    const back = await expectRoundTrip(plant.machine);
    expect(Object.keys(back.implementations.actors)).toEqual(['body']);
  });

  test('writes the handler machine with its nested states, guards and root transitions', async () => {
    const back = await expectRoundTrip(handlerMachine);
    expect(machineGraph(back).rootEvents).toEqual(['call', 'call.cancel', 'process.stop', 'close → closed']);
    expect(Object.keys(back.implementations.guards)).toEqual(['ownLoop', 'whitelisted']);
  });

  test('keeps nested, parallel, final, history states, guards, after, always, invoke onDone/onError', async () => {
    const rows = details(player);
    for (const part of [
      '(always)',
      'xstate.after.fade',
      'defaults to "paused"',
      'and(isLooping, not(hasTrack))',
    ])
      expect(rows.some((row) => row.includes(part))).toBe(true); // the fixture has what the test is about
    const back = await expectRoundTrip(player);
    // Where the stubs agree with the original's implementations, the two machines run alike.
    const values = (machine: AnyStateMachine) => {
      const actor = createActor(machine).start();
      const seen = [actor.getSnapshot().value];
      for (const type of ['play', 'pause', 'rewind', 'play', 'next', 'quit']) {
        actor.send({ type });
        seen.push(actor.getSnapshot().value);
      }
      actor.stop();
      return seen;
    };
    expect(values(back)).toEqual(values(player));
  });

  test('writes awkward names so that they stay themselves, __proto__ included', async () => {
    const odd = setup({
      actions: { ['__proto__']: () => {} },
      guards: { ['__proto__']: () => true },
    }).createMachine({
      id: 'odd "machine"',
      initial: '1',
      states: {
        '1': {
          meta: { ['__proto__']: { deep: true } },
          on: {
            'go "there"': 'a\\.b',
            proto: { target: 'constructor', actions: '__proto__', guard: '__proto__' },
            "it's": '#odd "machine".a\\.b',
            back: '#x\\.y',
          },
        },
        'a.b': {
          initial: 'c.d',
          states: {
            'c.d': { on: { up: '#odd "machine".1', hash: '#odd "machine"\\.a\\.b\\.#hash' } },
            '#hash': { on: { line: '#odd "machine"\\.\u2028line' } },
          },
        },
        constructor: { id: 'x.y', on: { next: 'toString' } },
        toString: { on: { spaced: ' spaced ' } },
        ' spaced ': { on: { slash: 'back\\\\slash' } },
        'back\\slash': { on: { line: '\u2028line' } },
        '\u2028line': { on: { 10: '1' } },
      },
    });
    const back = await expectRoundTrip(odd);
    expect(Object.hasOwn(back.implementations.actions, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back.implementations.guards)).toBe(Object.prototype);
    const graph = defineStates({
      'say "hi"; go': { transitionsTo: "it's", body: (ctx: StateContext<"it's">) => ctx.to["it's"]() },
      "it's": () => {},
    });
    await expectRoundTrip(graph.machine);
  });

  test('reads a machine’s toJSON(), even through JSON text, as it reads the machine', () => {
    for (const machine of [plant.machine, handlerMachine]) {
      expect(toXStateCode(machine.toJSON())).toBe(toXStateCode(machine));
      expect(toXStateCode(JSON.parse(JSON.stringify(machine)))).toBe(toXStateCode(machine));
    }
  });

  test('says that implementations are stubs, and imports from xstate only what the code uses', () => {
    const code = toXStateCode(player);
    expect(code.split('\n').slice(0, 3).join(' ')).toMatch(/^\/\/ .*referenced by name.*stub/);
    expect(code).toContain("import { and, fromPromise, not, or, setup, stateIn } from 'xstate';");
    expect(toXStateCode(createMachine({ id: 'm', initial: 'a', states: { a: {} } }))).toContain(
      "import { setup } from 'xstate';",
    );
  });

  test('anything that is not a machine gets a TypeError naming it', () => {
    for (const [bad, shown] of [
      [undefined, 'undefined'],
      [42, '42'],
      ['plant', '"plant"'],
      [{ id: 'x' }, '{"id":"x"}'],
      [{ toJSON: () => ({ nope: true }) }, '{"nope":true}'],
    ] as const) {
      expect(() => toXStateCode(bad)).toThrow(TypeError);
      expect(() => toXStateCode(bad)).toThrow(`got ${shown}.`);
    }
    expect(() => toXStateCode(new DeferredCallHandler())).toThrow(TypeError);
  });
});
