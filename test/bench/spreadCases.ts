// The V8 slow path behind much of XState's cost on Node 20 (see README.md here): on V8 11.3, adding a
// property to an object made by a spread (`{ ...a, b }`, `{ ...a, ...b }`, or a later assignment) costs
// some 500 ns; a lone spread, or the same copy made by Object.assign, costs a tenth of that or less.
import type { TimeCase } from './cases.js';

/** A small object, as XState's default actor options, a snapshot or its children are. */
const base = { clock: 'clock', logger: 'logger', devTools: false };
const withIds = [
  { ...base, id: 'a' },
  { ...base, id: 'b' },
];
let sink = 0;

function time(make: (i: number) => { id: string }): (n: number) => void {
  return (n) => {
    for (let i = 0; i < n; i++) sink += make(i & 1).id.length;
    if (sink < 0) throw new Error('unreachable: the sum keeps the loop from being optimized away');
  };
}

const ids = ['a', 'b'];
const idOf = (i: number) => ids[i] as string;

export const spreadCases: Record<string, TimeCase> = {
  spreadThenMore: {
    kind: 'time',
    description:
      '{ ...base, id }: a spread, then a property (XState: Actor, cloneMachineSnapshot, resolveSpawn)',
    n: [1_000_000, 10_000],
    run: time((i) => ({ ...base, id: idOf(i) })),
  },
  spreadThenSet: {
    kind: 'time',
    description: 'const copy = { ...base }; copy.id = id: a property added to a spread copy later',
    n: [1_000_000, 10_000],
    run: time((i) => {
      const copy: { clock: string; logger: string; devTools: boolean; id?: string } = { ...base };
      copy.id = idOf(i);
      return copy as { id: string };
    }),
  },
  spreadAlone: {
    kind: 'time',
    description: '{ ...withId }: a lone spread of an object that has every property already',
    n: [1_000_000, 10_000],
    run: time((i) => ({ ...(withIds[i] as { id: string }) })),
  },
  assignCopy: {
    kind: 'time',
    description: 'Object.assign({}, base, { id }): the first copy, without a spread',
    n: [1_000_000, 10_000],
    run: time((i) => Object.assign({}, base, { id: idOf(i) })),
  },
};
