import { type MachineGraph, machineGraph } from 'greenstate';
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

const CHAR = 7.2; // px per character of the 12px label font
const LINE = 16;

interface ElkShape {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: ElkShape[];
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  layoutOptions?: Record<string, string>;
  edges?: ElkEdgeShape[];
}

interface ElkEdgeShape {
  id: string;
  sources: string[];
  targets: string[];
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  sections?: { startPoint: Point; endPoint: Point; bendPoints?: Point[] }[];
}

interface Point {
  x: number;
  y: number;
}

/**
 * Lays a machine out with ELK's layered algorithm: every state gets a box (compound states contain
 * their children), every transition a routed polyline with a labelled box, initial states a marker.
 *
 * @internal
 */
export async function layoutMachine(machine: unknown): Promise<MachineLayout> {
  const graph = machineGraph(machine);
  // Left to right suits chains, top to bottom suits wide fans: keep whichever fits a page column best.
  const [right, down] = await Promise.all([layoutGraph(graph, 'RIGHT'), layoutGraph(graph, 'DOWN')]);
  const overflow = (layout: MachineLayout) => Math.max(layout.width / 900, layout.height / 600);
  return overflow(down) < overflow(right) ? down : right;
}

async function layoutGraph(graph: MachineGraph, direction: 'RIGHT' | 'DOWN'): Promise<MachineLayout> {
  const initialOf = (parent: string | undefined) =>
    parent === undefined ? graph.initial : graph.nodes.find((node) => node.id === parent)?.initial;
  const details = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id);
    if (!node) return [];
    // Every state of a greenstate graph invokes its body as `body:<state>`: only other actors are listed.
    const invokes = node.invoke.filter((invoke) => invoke !== `body:${node.key}`);
    return [
      ...node.entry.map((action) => `entry / ${action}`),
      ...invokes.map((invoke) => `invoke ${invoke}`),
    ];
  };

  const shapeOf = (parent: string | undefined): ElkShape[] => {
    const shapes: ElkShape[] = [];
    const initial = initialOf(parent);
    if (initial !== undefined) shapes.push({ id: `initial:${parent ?? ''}`, width: 12, height: 12 });
    for (const node of graph.nodes.filter((n) => n.parent === parent)) {
      const lines = [node.key, ...details(node.id)];
      const width = Math.max(80, ...lines.map((line) => line.length * CHAR + 24));
      const children = shapeOf(node.id);
      shapes.push(
        children.length > 0
          ? {
              id: node.id,
              children,
              layoutOptions: {
                'elk.padding': `[top=${lines.length * LINE + 14},left=16,bottom=16,right=16]`,
              },
              labels: [{ text: node.key, width, height: LINE }],
            }
          : { id: node.id, width, height: lines.length * LINE + 18 },
      );
    }
    return shapes;
  };

  const edges: ElkEdgeShape[] = graph.edges.map((edge) => ({
    id: edge.id,
    sources: [edge.source],
    targets: [edge.target],
    labels: [{ text: edge.label, width: edge.label.length * CHAR + 8, height: LINE }],
  }));
  const markerEdges: ElkEdgeShape[] = [undefined, ...graph.nodes.map((node) => node.id)].flatMap((parent) => {
    const initial = initialOf(parent);
    return initial === undefined
      ? []
      : [{ id: `initial-edge:${parent ?? ''}`, sources: [`initial:${parent ?? ''}`], targets: [initial] }];
  });

  const elk = await loadElk();
  const root = (await elk.layout({
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
  } as never)) as unknown as ElkShape;

  const nodes: LaidOutNode[] = [];
  const collect = (shapes: ElkShape[] | undefined) => {
    for (const shape of shapes ?? []) {
      const node = graph.nodes.find((n) => n.id === shape.id);
      const isMarker = shape.id.startsWith('initial:');
      nodes.push({
        id: shape.id,
        key: node?.key ?? '',
        parent: isMarker ? shape.id.slice('initial:'.length) || undefined : node?.parent,
        type: isMarker ? 'initial' : (node?.type ?? 'atomic'),
        x: shape.x ?? 0,
        y: shape.y ?? 0,
        width: shape.width ?? 0,
        height: shape.height ?? 0,
        initialMarker: isMarker,
        details: node ? details(node.id) : [],
      });
      collect(shape.children);
    }
  };
  collect(root.children);

  // ELK gives sections in root coordinates (as asked), but labels relative to the edge's container: the
  // innermost state containing both ends (or the root).
  const parentOf = (id: string) => nodes.find((node) => node.id === id)?.parent;
  const ancestors = (id: string) => {
    const chain: string[] = [];
    for (let parent = parentOf(id); parent !== undefined; parent = parentOf(parent)) chain.push(parent);
    return chain;
  };
  const containerOf = (source: string, target: string) => {
    const above = ancestors(target);
    if (above.includes(source)) return source;
    const sourceAbove = ancestors(source);
    if (sourceAbove.includes(target)) return target;
    return sourceAbove.find((id) => above.includes(id));
  };
  const laidOutEdges: LaidOutEdge[] = [];
  const collectEdges = (shape: ElkShape) => {
    for (const edge of shape.edges ?? []) {
      const section = edge.sections?.[0];
      const label = edge.labels?.[0];
      const source = edge.sources[0] ?? '';
      const target = edge.targets[0] ?? '';
      const container = nodes.find((node) => node.id === containerOf(source, target));
      laidOutEdges.push({
        id: edge.id,
        source,
        target,
        label: graph.edges.find((e) => e.id === edge.id)?.label ?? '',
        points: section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [],
        labelBox: label && {
          x: (label.x ?? 0) + (container?.x ?? 0),
          y: (label.y ?? 0) + (container?.y ?? 0),
          width: label.width,
          height: label.height,
        },
      });
    }
    for (const child of shape.children ?? []) collectEdges(child);
  };
  collectEdges(root);

  return {
    id: graph.id,
    width: root.width ?? 0,
    height: root.height ?? 0,
    nodes,
    edges: laidOutEdges,
    rootEvents: [...graph.rootEvents],
  };
}
