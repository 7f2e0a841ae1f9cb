import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { type GraphNode, type MachineGraph, machineGraph } from 'greenstate';
import { loadElk } from './loadElk.js';

/** A positioned state box (absolute coordinates). */
export interface LaidOutNode {
  id: string;
  key: string;
  parent: string | undefined;
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The small dot that points at this compound state's (or the machine's) initial state. */
  initialMarker: boolean;
  details: string[];
  /**
   * Where the state's count badge goes (`×12`, up to 4 characters in an 11px bold font): the anchor of a
   * `text-anchor: start` text on the name's baseline, just after the name (as wide as 7.2 px a character
   * of its 13px font), inside the box, which is wide enough for the badge.
   */
  badge: { x: number; y: number };
}

/** A routed transition: its polyline and its label's box. */
export interface LaidOutEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  points: { x: number; y: number }[];
  labelBox: { x: number; y: number; width: number; height: number } | undefined;
}

/** A machine laid out for drawing. */
export interface MachineLayout {
  id: string;
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  rootEvents: string[];
}

const CHAR = 7.2; // px per character of the 13px name font (generous for the 11px label font)
const LINE = 16;
const BASELINE = 20; // the name's baseline, below the box's top
const INDENT = 10; // where a compound state's name starts in its box (an atomic state's is centred)
const GAP = 6; // between the name and its badge
const BADGE = GAP + 4 * 7 + 8; // the gap, 4 characters of 11px bold, a margin to the box's border

/**
 * Lays a machine out with ELK's layered algorithm: every state gets a box (compound states contain
 * their children) with room for a count badge after its name, every transition a routed polyline with a
 * labelled box that no other label, no state it is not inside and no other edge overlaps, self-loops
 * included, and initial states a marker.
 *
 * @internal
 */
export async function layoutMachine(machine: unknown): Promise<MachineLayout> {
  const graph = machineGraph(machine);
  // Left to right suits chains, top to bottom suits wide fans: keep whichever fits a row of the page's
  // grid best (a card across it, a drawing at most 20rem high).
  const [right, down] = await Promise.all([layoutGraph(graph, 'RIGHT'), layoutGraph(graph, 'DOWN')]);
  const overflow = (layout: MachineLayout) => Math.max(layout.width / 960, layout.height / 320);
  return overflow(down) < overflow(right) ? down : right;
}

async function layoutGraph(graph: MachineGraph, direction: 'RIGHT' | 'DOWN'): Promise<MachineLayout> {
  const initialOf = (parent: string | undefined) =>
    parent === undefined ? graph.initial : graph.nodes.find((node) => node.id === parent)?.initial;
  const details = (node: GraphNode) => {
    // Every state of a greenstate graph invokes its body as `body:<state>`: only other actors are listed.
    const invokes = node.invoke.filter((invoke) => invoke !== `body:${node.key}`);
    return [
      ...node.entry.map((action) => `entry / ${action}`),
      ...invokes.map((invoke) => `invoke ${invoke}`),
    ];
  };
  const boxes = (node: GraphNode | undefined) => node?.type === 'compound' || node?.type === 'parallel';
  // An atomic state's self-loops leave and enter it through ports of their own.
  const loops = graph.edges.filter(
    (edge) => edge.source === edge.target && !boxes(graph.nodes.find((node) => node.id === edge.source)),
  );

  const shapeOf = (parent: string | undefined): ElkNode[] => {
    const shapes: ElkNode[] = [];
    const initial = initialOf(parent);
    if (initial !== undefined) shapes.push({ id: `initial:${parent ?? ''}`, width: 12, height: 12 });
    for (const node of graph.nodes.filter((n) => n.parent === parent)) {
      const name = node.key.length * CHAR;
      const lines = details(node).map((line) => line.length * CHAR);
      const header = (lines.length + 1) * LINE;
      if (boxes(node)) {
        // The name and its badge start at the left. ELK swaps a compound node's minimum size when laying
        // out top to bottom (elkjs 0.12): it is given swapped then.
        const width = Math.max(INDENT + name + BADGE, ...lines.map((line) => INDENT + line + INDENT));
        const minimum = direction === 'DOWN' ? [header + 30, width] : [width, header + 30];
        shapes.push({
          id: node.id,
          children: shapeOf(node.id),
          layoutOptions: {
            'elk.padding': `[top=${header + 14},left=16,bottom=16,right=16]`,
            'elk.nodeSize.constraints': 'MINIMUM_SIZE',
            'elk.nodeSize.minimum': `(${minimum.join(',')})`,
          },
        });
        continue;
      }
      // The name is centred: the badge's room after it is mirrored before it.
      const width = Math.max(80, name + 2 * BADGE, ...lines.map((line) => line + 24));
      const shape = { id: node.id, width, height: header + 18 };
      const ports = loops
        .filter((edge) => edge.source === node.id)
        .flatMap((edge) => [`${edge.id}:from`, `${edge.id}:to`])
        .map((id) => ({ id, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'EAST' } }));
      if (ports.length === 0) {
        shapes.push(shape);
        continue;
      }
      // Its self-loops go one above the other, each label beside its loop, the box growing to keep them
      // apart: on the right side when laying out left to right (fixed there: on top, where ELK puts them,
      // a label wider than its loop would be crossed by the next loop), on the left (ELK's choice, free
      // for the edges coming back to reach any side) when laying out top to bottom.
      shapes.push({
        ...shape,
        ports,
        layoutOptions: {
          'elk.portConstraints': direction === 'RIGHT' ? 'FIXED_SIDE' : 'FREE',
          'elk.nodeSize.constraints': 'PORTS MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${shape.width},${shape.height})`,
          'elk.spacing.individual': 'elk.spacing.portPort:16', // each loop 16 px high
        },
      });
    }
    return shapes;
  };

  const edges: ElkExtendedEdge[] = graph.edges.map((edge) => ({
    id: edge.id,
    sources: [loops.includes(edge) ? `${edge.id}:from` : edge.source],
    targets: [loops.includes(edge) ? `${edge.id}:to` : edge.target],
    labels: [{ text: edge.label, width: edge.label.length * CHAR + 8, height: LINE }],
  }));
  const markerEdges: ElkExtendedEdge[] = [undefined, ...graph.nodes.map((node) => node.id)].flatMap(
    (parent) => {
      const initial = initialOf(parent);
      return initial === undefined
        ? []
        : [{ id: `initial-edge:${parent ?? ''}`, sources: [`initial:${parent ?? ''}`], targets: [initial] }];
    },
  );

  const elk = await loadElk();
  const input: ElkNode = {
    id: graph.id,
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '30',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=20,left=20,bottom=20,right=20]',
    },
    children: shapeOf(undefined),
    edges: [...edges, ...markerEdges],
  };
  // For every node: free self-loops on one side, one after the other, well clear of their state.
  const everywhere = {
    'elk.layered.edgeRouting.selfLoopDistribution': 'NORTH',
    'elk.layered.edgeRouting.selfLoopOrdering': 'SEQUENCED',
    'elk.spacing.nodeSelfLoop': '18',
  };
  const root: ElkNode = await elk.layout(input, { layoutOptions: everywhere });

  const nodes: LaidOutNode[] = [];
  const collect = (shapes: ElkNode[] | undefined) => {
    for (const shape of shapes ?? []) {
      const node = graph.nodes.find((n) => n.id === shape.id);
      const isMarker = shape.id.startsWith('initial:');
      const [x, y, width] = [shape.x ?? 0, shape.y ?? 0, shape.width ?? 0];
      const name = (node?.key.length ?? 0) * CHAR;
      nodes.push({
        id: shape.id,
        key: node?.key ?? '',
        parent: isMarker ? shape.id.slice('initial:'.length) || undefined : node?.parent,
        type: isMarker ? 'initial' : (node?.type ?? 'atomic'),
        x,
        y,
        width,
        height: shape.height ?? 0,
        initialMarker: isMarker,
        details: node ? details(node) : [],
        badge: { x: (boxes(node) ? x + INDENT + name : x + width / 2 + name / 2) + GAP, y: y + BASELINE },
      });
      collect(shape.children);
    }
  };
  collect(root.children);

  // With edgeCoords ROOT, ELK gives the sections and the labels of every edge in root coordinates, not
  // relative to the edge's container; an edge is listed where it was given (at the root), but look deeper.
  const elkEdges = (shape: ElkNode): ElkExtendedEdge[] => [
    ...(shape.edges ?? []),
    ...(shape.children ?? []).flatMap(elkEdges),
  ];
  const laidOutEdges = elkEdges(root).map((edge): LaidOutEdge => {
    const label = edge.labels?.[0];
    const drawn = graph.edges.find((e) => e.id === edge.id); // its ends, not a self-loop's ports
    return {
      id: edge.id,
      source: drawn?.source ?? edge.sources[0] ?? '',
      target: drawn?.target ?? edge.targets[0] ?? '',
      label: drawn?.label ?? '',
      points: (edge.sections ?? []).flatMap((section, i) => [
        ...(i === 0 ? [section.startPoint] : []),
        ...(section.bendPoints ?? []),
        section.endPoint,
      ]),
      labelBox: label && {
        x: label.x ?? 0,
        y: label.y ?? 0,
        width: label.width ?? 0,
        height: label.height ?? 0,
      },
    };
  });

  return {
    id: graph.id,
    width: root.width ?? 0,
    height: root.height ?? 0,
    nodes,
    edges: laidOutEdges,
    rootEvents: [...graph.rootEvents],
  };
}
