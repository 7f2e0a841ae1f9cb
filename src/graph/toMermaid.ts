import { machineGraph } from './machineGraph.js';

/**
 * The graph of an XState machine as a Mermaid `stateDiagram-v2`: its states (nested ones in blocks),
 * initial and final markers, and its transitions labelled with their events and guards.
 *
 * @example
 * ```ts
 * import { defineStates, toMermaid } from 'greenstate';
 * const door = defineStates({ closed: { transitionsTo: 'open', body: (ctx) => ctx.to.open?.() }, open: () => {} });
 * console.log(toMermaid(door.machine));
 * // stateDiagram-v2
 * //   [*] --> closed
 * //   closed --> open : open
 * //   ...
 * ```
 */
export function toMermaid(machine: unknown): string {
  const graph = machineGraph(machine);
  // Mermaid ids are words: every state gets a short id, and its key as its label.
  const ids = new Map(graph.nodes.map((node, i) => [node.id, `s${i}`]));
  const lines = ['stateDiagram-v2'];
  const write = (parent: string | undefined, indent: string) => {
    const children = graph.nodes.filter((node) => node.parent === parent);
    const initial = parent === undefined ? graph.initial : graph.nodes.find((n) => n.id === parent)?.initial;
    for (const node of children) {
      const id = ids.get(node.id) as string;
      if (node.type === 'compound' || node.type === 'parallel') {
        lines.push(`${indent}state "${mermaidText(node.key)}" as ${id} {`);
        write(node.id, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${mermaidText(node.key)}" as ${id}`);
      }
    }
    if (initial !== undefined && ids.has(initial)) lines.push(`${indent}[*] --> ${ids.get(initial)}`);
    for (const node of children)
      if (node.type === 'final') lines.push(`${indent}${ids.get(node.id)} --> [*]`);
  };
  write(undefined, '  ');
  for (const edge of graph.edges) {
    lines.push(`  ${ids.get(edge.source)} --> ${ids.get(edge.target)} : ${mermaidText(edge.label)}`);
  }
  if (graph.rootEvents.length > 0) {
    lines.push(
      `  note "${mermaidText(`${graph.id} handles in every state: ${graph.rootEvents.join(', ')}`)}" as rootEvents`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid ends a label at `;` and a quoted text at `"`: use lookalikes. */
function mermaidText(text: string): string {
  return text.replaceAll('"', '″').replaceAll(';', '；').replaceAll('#', '＃');
}
