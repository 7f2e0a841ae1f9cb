// The visualizer's layout, checked geometrically over several machines: boxes, routes, labels that
// nothing covers, self-loops that stay readable, and room for each state's count badge.
import { defineStates, handlerMachine, machineOf, state } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { createMachine } from 'xstate';
import { type LaidOutNode, layoutMachine, type MachineLayout } from '../../src/visualizer/layoutMachine.js';
import { plant } from '../examples/plant.js';

// Laying out with ELK can take a while on a loaded machine.
const TIMEOUT = 60_000;

/** test/examples/plantClass.ts's class (that module runs a plant when imported). */
class Plant {
  history: string[] = [];

  @state({ transitionsTo: 'growing', onStart: record })
  async sprouting(eaten: boolean) {
    return this.growing(eaten);
  }

  @state({ transitionsTo: 'flowering', onStart: record })
  async growing(eaten: boolean) {
    return this.flowering(eaten);
  }

  @state({ transitionsTo: ['dead', 'withering'], onStart: record })
  async flowering(eaten: boolean) {
    return eaten ? this.dead(true) : this.withering();
  }

  @state({ transitionsTo: 'dead', onStart: record })
  async withering() {
    return this.dead(false);
  }

  @state({ onStart: record })
  async dead(eaten: boolean) {
    return eaten ? 'eaten' : 'withered';
  }
}

function record(this: Plant, name: string) {
  this.history.push(name);
}

/** Nested and parallel states, with many transitions between the same two states, and a few self-loops. */
const player = createMachine({
  id: 'player',
  initial: 'stopped',
  states: {
    stopped: {
      on: { play: 'active', 'play.fast': 'active.playing.fast', load: 'stopped', eject: 'ejected' },
    },
    ejected: { type: 'final' },
    active: {
      type: 'parallel',
      on: { stop: 'stopped', 'stop.now': 'stopped', 'stop.later': 'stopped', reset: '#player.active' },
      states: {
        playing: {
          initial: 'normal',
          states: {
            normal: { on: { faster: 'fast', 'faster.x2': 'fast', skip: 'fast', pause: 'paused', tick: {} } },
            fast: { on: { slower: 'normal', 'slower.x2': 'normal', back: 'normal', pause: 'paused' } },
            paused: { on: { resume: 'normal', 'resume.fast': 'fast', step: 'paused' } },
          },
        },
        volume: {
          initial: 'unmuted',
          states: {
            unmuted: { on: { mute: 'muted', 'volume.up': {}, 'volume.down': {} } },
            muted: { on: { unmute: 'unmuted', toggle: 'unmuted' } },
          },
        },
      },
    },
  },
});

/** Self-loops (transitions without a target): several on one state, on a nested one, on a compound one. */
const loops = createMachine({
  id: 'loops',
  initial: 'idle',
  states: {
    idle: { on: { tick: {}, 'tick.with.a.long.name': {}, start: 'busy' } },
    busy: {
      initial: 'a',
      on: { progress: {}, 'progress.more': {}, cancel: 'idle' },
      states: {
        a: { on: { next: 'b', again: {}, 'again [twice]': {} } },
        b: { on: { prev: 'a', stay: {} } },
      },
    },
  },
});

const machines: [string, unknown][] = [
  ['handlerMachine', handlerMachine],
  ['plant', plant.machine],
  ['Plant (a class)', machineOf(Plant)],
  ['player', player],
  ['loops', loops],
];

const layouts = new Map<string, Promise<MachineLayout>>();
const layoutOf = (name: string, machine: unknown) => {
  const layout = layouts.get(name) ?? layoutMachine(machine);
  layouts.set(name, layout);
  return layout;
};

interface Point {
  x: number;
  y: number;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

// Boxes that only touch do not overlap; a route along a box's border does not cross it.
const EPSILON = 0.01;

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width - EPSILON &&
  b.x < a.x + a.width - EPSILON &&
  a.y < b.y + b.height - EPSILON &&
  b.y < a.y + a.height - EPSILON;

const inside = (a: Box, b: Box) =>
  a.x >= b.x - EPSILON &&
  a.y >= b.y - EPSILON &&
  a.x + a.width <= b.x + b.width + EPSILON &&
  a.y + a.height <= b.y + b.height + EPSILON;

/** Whether the segment from `p` to `q` passes through the box's interior: the segment clipped to it. */
function crosses(p: Point, q: Point, box: Box): boolean {
  let [enter, leave] = [0, 1];
  const [dx, dy] = [q.x - p.x, q.y - p.y];
  const limits: [number, number][] = [
    [-dx, p.x - (box.x + EPSILON)],
    [dx, box.x + box.width - EPSILON - p.x],
    [-dy, p.y - (box.y + EPSILON)],
    [dy, box.y + box.height - EPSILON - p.y],
  ];
  for (const [toward, room] of limits) {
    if (toward === 0) {
      if (room < 0) return false; // parallel to that side, outside it
      continue;
    }
    const t = room / toward;
    if (toward < 0) enter = Math.max(enter, t);
    else leave = Math.min(leave, t);
  }
  return enter < leave;
}

const segments = (points: Point[]): [Point, Point][] =>
  points.slice(1).map((point, i) => [points[i] as Point, point]);

function pointToSegment(p: Point, [a, b]: [Point, Point]): number {
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const along = dx || dy ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy) : 0;
  const t = Math.max(0, Math.min(1, along));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

function segmentToBox(segment: [Point, Point], box: Box): number {
  if (crosses(...segment, box)) return 0;
  const toBox = (p: Point) =>
    Math.hypot(
      Math.max(box.x - p.x, 0, p.x - box.x - box.width),
      Math.max(box.y - p.y, 0, p.y - box.y - box.height),
    );
  const corners = [0, 1].flatMap((i) =>
    [0, 1].map((j) => ({ x: box.x + i * box.width, y: box.y + j * box.height })),
  );
  return Math.min(...segment.map(toBox), ...corners.map((corner) => pointToSegment(corner, segment)));
}

/** Whether two segments meet (orientation test, collinear overlaps included). */
function meet([a, b]: [Point, Point], [c, d]: [Point, Point]): boolean {
  const turn = (p: Point, q: Point, r: Point) =>
    Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  const within = (p: Point, q: Point, r: Point) =>
    Math.min(p.x, q.x) <= r.x &&
    r.x <= Math.max(p.x, q.x) &&
    Math.min(p.y, q.y) <= r.y &&
    r.y <= Math.max(p.y, q.y);
  const [t1, t2, t3, t4] = [turn(a, b, c), turn(a, b, d), turn(c, d, a), turn(c, d, b)];
  if (t1 !== t2 && t3 !== t4) return true;
  return (
    (t1 === 0 && within(a, b, c)) ||
    (t2 === 0 && within(a, b, d)) ||
    (t3 === 0 && within(c, d, a)) ||
    (t4 === 0 && within(c, d, b))
  );
}

const compound = (node: LaidOutNode) => node.type === 'compound' || node.type === 'parallel';
const NAME_CHAR = 7.2; // px per character of the 13px name font, as the layout assumes
const BADGE_CHAR = 7; // px per character of the 11px bold badge
/** A state's name and details: its first line's baseline is 20 px down, each detail 15 px further. */
const header = (node: LaidOutNode): Box => ({ ...node, height: 24 + 15 * node.details.length });

/** Everything wrong with the edges' labels of a layout, in words. */
function labelProblems(layout: MachineLayout): string[] {
  const problems: string[] = [];
  const byId = new Map(layout.nodes.map((node) => [node.id, node]));
  const ancestry = (id: string) => {
    const chain: string[] = [];
    for (let node = byId.get(id); node; node = node.parent === undefined ? undefined : byId.get(node.parent))
      chain.push(node.id);
    return chain;
  };
  const labelled = layout.edges.filter((edge) => edge.labelBox !== undefined);
  for (const [i, edge] of labelled.entries()) {
    const box = edge.labelBox as Box;
    const name = `label "${edge.label}" (${edge.id})`;
    for (const other of labelled.slice(i + 1))
      if (overlap(box, other.labelBox as Box)) problems.push(`${name} overlaps label "${other.label}"`);
    // A label belongs to the states that contain both ends of its edge (a self-loop's not to its own):
    // it lies inside them, below their name, and overlaps no other state.
    const above = ancestry(edge.target);
    const owners = ancestry(edge.source).filter(
      (id) => above.includes(id) && !(id === edge.source && id === edge.target),
    );
    for (const node of layout.nodes) {
      if (!owners.includes(node.id)) {
        if (overlap(box, node)) problems.push(`${name} overlaps state ${node.id}`);
      } else if (!inside(box, node)) problems.push(`${name} crosses the border of ${node.id}`);
      else if (overlap(box, header(node))) problems.push(`${name} overlaps the name of ${node.id}`);
    }
    for (const other of layout.edges) {
      if (other === edge) continue; // its own edge may pass through it
      if (segments(other.points).some(([p, q]) => crosses(p, q, box)))
        problems.push(`${name} is crossed by edge ${other.id} "${other.label}"`);
    }
    if (!inside(box, { x: 0, y: 0, width: layout.width, height: layout.height }))
      problems.push(`${name} leaves the drawing`);
    // ELK puts a label 4 px beside its edge (in root coordinates, like the edge's route).
    const away = Math.min(...segments(edge.points).map((segment) => segmentToBox(segment, box)));
    if (away > 6) problems.push(`${name} is ${away.toFixed(1)} px away from its edge`);
  }
  return problems;
}

describe('layout', () => {
  test(
    'gives every state a position and every transition a route',
    async () => {
      for (const machine of [plant.machine, handlerMachine]) {
        const layout = await layoutMachine(machine);
        const states = layout.nodes.filter((node) => !node.initialMarker);
        expect(states.length).toBe(machine === handlerMachine ? 5 : 6);
        for (const node of layout.nodes) {
          for (const value of [node.x, node.y, node.width, node.height])
            expect(Number.isFinite(value)).toBe(true);
          expect(node.width).toBeGreaterThan(0);
          const parent = layout.nodes.find((p) => p.id === node.parent);
          if (parent) {
            // nested boxes sit inside their parent's
            expect(node.x).toBeGreaterThanOrEqual(parent.x);
            expect(node.y + node.height).toBeLessThanOrEqual(parent.y + parent.height);
          }
        }
        for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
      }
    },
    TIMEOUT,
  );

  test.each(machines)(
    '%s: finite positive boxes, nested ones inside their parent below its name, every edge routed',
    async (name, machine) => {
      const layout = await layoutOf(name, machine);
      for (const value of [layout.width, layout.height]) expect(value).toBeGreaterThan(0);
      for (const node of layout.nodes) {
        for (const value of [node.x, node.y, node.width, node.height, node.badge.x, node.badge.y])
          expect(Number.isFinite(value), node.id).toBe(true);
        expect(node.width, node.id).toBeGreaterThan(0);
        expect(node.height, node.id).toBeGreaterThan(0);
        expect(inside(node, { x: 0, y: 0, width: layout.width, height: layout.height }), node.id).toBe(true);
        const parent = layout.nodes.find((p) => p.id === node.parent);
        if (parent) {
          expect(inside(node, parent), `${node.id} in ${parent.id}`).toBe(true);
          expect(overlap(node, header(parent)), `${node.id} below the name of ${parent.id}`).toBe(false);
        }
      }
      for (const edge of layout.edges) {
        expect(edge.points.length, edge.id).toBeGreaterThanOrEqual(2);
        for (const point of edge.points) expect(Number.isFinite(point.x + point.y), edge.id).toBe(true);
      }
      // each initial state has its marker, pointing at it
      const markers = layout.nodes.filter((node) => node.initialMarker);
      expect(markers.length).toBeGreaterThan(0);
      for (const marker of markers)
        expect(layout.edges.filter((edge) => edge.source === marker.id).length, marker.id).toBe(1);
    },
    TIMEOUT,
  );

  test.each(machines)(
    '%s: no edge label overlaps another label, a state or another edge',
    async (name, machine) => {
      const layout = await layoutOf(name, machine);
      expect(layout.edges.filter((edge) => edge.labelBox).length).toBeGreaterThan(0);
      expect(labelProblems(layout)).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'handlerMachine: the labels loop.wait, call and process.stop stay clear of each other and of crossing edges',
    async () => {
      const layout = await layoutOf('handlerMachine', handlerMachine);
      const labels = ['loop.wait [ownLoop]', 'call [whitelisted]', 'process.stop'].map(
        (label) => layout.edges.find((edge) => edge.label === label)?.labelBox,
      );
      for (const box of labels) expect(box).toBeDefined();
      expect(labelProblems(layout)).toEqual([]);
    },
    TIMEOUT,
  );

  test.each(machines)(
    '%s: every state has room for its count badge just after its name',
    async (name, machine) => {
      const layout = await layoutOf(name, machine);
      for (const node of layout.nodes.filter((n) => !n.initialMarker)) {
        const width = node.key.length * NAME_CHAR;
        const start = compound(node) ? node.x + 10 : node.x + node.width / 2 - width / 2;
        expect(start, `${node.id}'s name`).toBeGreaterThanOrEqual(node.x + 4);
        // right of the name, on its baseline, and 4 characters ("×999") fit before the border
        expect(node.badge.x, node.id).toBeGreaterThan(start + width);
        expect(node.badge.y, node.id).toBe(node.y + 20);
        expect(node.badge.x + 4 * BADGE_CHAR, node.id).toBeLessThanOrEqual(node.x + node.width - 4);
        expect(node.badge.y - 11, node.id).toBeGreaterThanOrEqual(node.y);
        expect(node.badge.y, node.id).toBeLessThanOrEqual(node.y + node.height);
      }
    },
    TIMEOUT,
  );

  test.each([
    ['loops', loops],
    ['player', player],
  ])(
    "%s: a self-loop leaves its state and comes back outside it; an atomic state's loops never meet",
    async (name, machine) => {
      const layout = await layoutOf(name, machine);
      const selfLoops = layout.edges.filter((edge) => edge.source === edge.target);
      expect(selfLoops.length).toBeGreaterThanOrEqual(name === 'loops' ? 7 : 4);
      for (const edge of selfLoops) {
        const node = layout.nodes.find((n) => n.id === edge.source) as LaidOutNode;
        const [first, last] = [edge.points[0] as Point, edge.points.at(-1) as Point];
        expect(edge.points.length, edge.id).toBeGreaterThanOrEqual(4);
        // both ends on the state's border, far enough apart for the arrowhead
        for (const end of [first, last]) {
          const border = Math.min(
            Math.abs(end.x - node.x),
            Math.abs(end.x - node.x - node.width),
            Math.abs(end.y - node.y),
            Math.abs(end.y - node.y - node.height),
          );
          expect(border, edge.id).toBeLessThan(1);
        }
        expect(Math.hypot(first.x - last.x, first.y - last.y), edge.id).toBeGreaterThanOrEqual(10);
        // out of the box by a visible distance, never through it
        const out = Math.max(
          ...edge.points.map((p) =>
            Math.max(node.x - p.x, p.x - node.x - node.width, node.y - p.y, p.y - node.y - node.height),
          ),
        );
        expect(out, edge.id).toBeGreaterThanOrEqual(12);
        for (const [p, q] of segments(edge.points)) expect(crosses(p, q, node), edge.id).toBe(false);
        expect(overlap(edge.labelBox as Box, node), edge.id).toBe(false);
        // An atomic state's loops go one beside the other (a compound state's go around it, as ELK routes
        // edges leaving and entering it: in a crowded graph they may cross).
        if (compound(node)) continue;
        for (const other of selfLoops.filter((e) => e.source === edge.source && e !== edge))
          for (const mine of segments(edge.points))
            for (const theirs of segments(other.points))
              expect(meet(mine, theirs), `${edge.id} and ${other.id}`).toBe(false);
      }
    },
    TIMEOUT,
  );
});

describe('state timeouts and errors as transitions', () => {
  test('are drawn as labelled edges: "after 500 ms" to the timeout target, "error" to the onError state', async () => {
    const graph = defineStates(
      {
        waiting: {
          transitionsTo: 'late',
          timeout: { after: 500, to: 'late' },
          onError: 'broken',
          body: () => new Promise(() => {}),
        },
        late: () => 'late',
        broken: (_ctx, error: unknown) => String(error),
      },
      { id: 'timed' },
    );
    const layout = await layoutMachine(graph.machine);
    const edge = (label: string) => layout.edges.find((e) => e.label === label);
    expect(edge('after 500 ms')).toMatchObject({ source: 'timed.waiting', target: 'timed.late' });
    expect(edge('error')).toMatchObject({ source: 'timed.waiting', target: 'timed.broken' });
    for (const label of ['after 500 ms', 'error']) expect(edge(label)?.labelBox).toBeDefined();
  }, 60_000);
});
