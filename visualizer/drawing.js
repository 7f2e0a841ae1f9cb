// @ts-check
// A machine's drawing, from its server-side layout: boxes for states (compound states around their
// children), routed edges with their labels, a dot for each initial state, a badge counting the actors in
// each state, and a note for the events the machine handles in every state.
import { svg } from './dom.js';

/** @typedef {import('./store.js').Layout} Layout */
/** @typedef {import('./store.js').Node} Node */

// Inside each drawing, so that a downloaded SVG looks the same.
const DRAWING_STYLE = `
  .state rect { fill: #f3faf5; stroke: #2f7a4f; stroke-width: 1.5; }
  .state.compound > rect, .state.parallel > rect { fill: #fbfdfb; stroke-dasharray: 4 3; }
  .state.active > rect { fill: #ffe38a; stroke: #b37b00; stroke-width: 3; }
  .state text { font: 13px system-ui, sans-serif; fill: #1d2b22; }
  .state text.detail { font-size: 11px; fill: #5a6b60; }
  .state .count { font-size: 11px; fill: #8a5a00; font-weight: bold; }
  .initial { fill: #1d2b22; }
  .edge path { fill: none; stroke: #4b5d52; stroke-width: 1.3; }
  .edge text { font: 11px system-ui, sans-serif; fill: #33443a; }
  .edge .label-box { fill: white; fill-opacity: 0.9; stroke: none; }
  .edge.ending path { stroke: #9aa89f; stroke-dasharray: 5 4; }
  .edge.ending text { fill: #8a978e; }
  .root-events { font: 11px system-ui, sans-serif; fill: #5a6b60; }
`;

let drawings = 0;

/**
 * The SVG of a layout. Each drawing has marker ids of its own, so that several on one page (or one
 * downloaded alone) never share them.
 * @param {Layout} layout
 */
export function drawing(layout) {
  const uid = `d${++drawings}`;
  const notes = rootNotes(layout.rootEvents);
  const extra = notes.length * 16 + (notes.length > 0 ? 6 : 0);
  const height = layout.height + extra;
  const root = svg('svg', {
    viewBox: `0 0 ${layout.width} ${height}`,
    width: layout.width,
    height,
    role: 'img',
    'aria-label': layout.id,
    // Scaled down to fit its card, and up by a quarter at most: a small machine stays its size.
    style: `max-width: ${Math.round(layout.width * 1.25)}px`,
  });
  root.append(svg('style', {}, DRAWING_STYLE));
  const defs = svg('defs');
  const marker = svg('marker', {
    id: `${uid}-arrow`,
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#4b5d52' }));
  defs.append(marker);
  root.append(defs);
  // Compound states first, so that their children are drawn on top.
  const nodes = [...layout.nodes].sort((a, b) => depth(layout, a) - depth(layout, b));
  for (const node of nodes) root.append(stateOf(node));
  for (const edge of layout.edges) {
    if (edge.points.length < 2) continue;
    // A body returning ends the run: drawn dashed, apart from the declared transitions.
    const group = svg('g', {
      class: edge.label === 'returns' ? 'edge ending' : 'edge',
      'data-edge': edge.id,
    });
    group.append(
      svg('path', {
        d: edge.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' '),
        'marker-end': `url(#${uid}-arrow)`,
      }),
    );
    const box = edge.labelBox;
    if (box && edge.label) {
      group.append(svg('rect', { class: 'label-box', ...box, rx: 3 }));
      group.append(
        svg(
          'text',
          { x: box.x + box.width / 2, y: box.y + box.height - 4, 'text-anchor': 'middle' },
          edge.label,
        ),
      );
    }
    root.append(group);
  }
  notes.forEach((note, i) => {
    root.append(svg('text', { class: 'root-events', x: 8, y: layout.height + 14 + i * 16 }, note));
  });
  return root;
}

/** @param {Node} node */
function stateOf(node) {
  if (node.initialMarker) {
    return svg('circle', {
      class: 'initial',
      cx: node.x + node.width / 2,
      cy: node.y + node.height / 2,
      r: 6,
    });
  }
  const compound = node.type === 'compound' || node.type === 'parallel';
  const group = svg('g', { class: `state ${node.type}`, 'data-state': node.id });
  group.append(svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 8 }));
  if (node.type === 'final') {
    group.append(
      svg('rect', { x: node.x + 4, y: node.y + 4, width: node.width - 8, height: node.height - 8, rx: 6 }),
    );
  }
  const x = node.x + (compound ? 10 : node.width / 2);
  const anchor = compound ? 'start' : 'middle';
  group.append(svg('text', { class: 'name', x, y: node.y + 20, 'text-anchor': anchor }, node.key));
  node.details.forEach((line, i) => {
    group.append(svg('text', { class: 'detail', x, y: node.y + 36 + i * 15, 'text-anchor': anchor }, line));
  });
  // Beside the name, never over it: where the layout left room for it.
  const badge = node.badge ?? { x: node.x + node.width - 34, y: node.y + 20 };
  group.append(svg('text', { class: 'count', x: badge.x, y: badge.y, 'text-anchor': 'start' }, ''));
  return group;
}

/**
 * The machine's own transitions, which apply in every state, in words that say where each leads:
 * `in every state, close → closed`, and `handled in every state, staying there: call, call.cancel`.
 * @param {string[]} rootEvents
 */
function rootNotes(rootEvents) {
  const moving = rootEvents.filter((event) => event.includes(' → '));
  const staying = rootEvents.filter((event) => !event.includes(' → '));
  return [
    ...(moving.length > 0 ? [`in every state: ${moving.join('; ')}`] : []),
    ...(staying.length > 0 ? [`handled in every state, staying in it: ${staying.join(', ')}`] : []),
  ];
}

/** @param {Layout} layout @param {Node} node */
function depth(layout, node) {
  let d = 0;
  for (let parent = node.parent; parent; parent = layout.nodes.find((n) => n.id === parent)?.parent) d++;
  return d;
}

/**
 * Highlights the states that actors are in, with a count where more than one is.
 * @param {Element} root @param {Map<string, number>} counts
 */
export function highlight(root, counts) {
  for (const group of root.querySelectorAll('g.state')) {
    const count = counts.get(group.getAttribute('data-state') ?? '') ?? 0;
    group.classList.toggle('active', count > 0);
    const badge = group.querySelector('.count');
    if (badge) badge.textContent = count > 1 ? `×${count}` : '';
  }
}
