// @ts-check
// The visualizer page: draws each machine from its server-side layout, and follows actors live through
// the server-sent events of /api/events.

/** @typedef {{ id: string, key: string, parent?: string, type: string, x: number, y: number, width: number, height: number, initialMarker: boolean, details: string[] }} Node */
/** @typedef {{ id: string, source: string, target: string, label: string, points: {x: number, y: number}[], labelBox?: {x: number, y: number, width: number, height: number} }} Edge */
/** @typedef {{ id: string, width: number, height: number, nodes: Node[], edges: Edge[], rootEvents: string[] }} Layout */
/** @typedef {{ key: string, id: string, layout?: Layout, mermaid?: string, error?: string }} Machine */
/** @typedef {{ name: string, pending: number, currentCall?: string, closed: boolean }} HandlerInfo */
/** @typedef {{ id: string, name: string, machineKey: string, active: string[], value: unknown, status: string, handler?: HandlerInfo }} Actor */
/** @typedef {{ kind: 'transition', at: number, actor: string, from: string, to: string, event: string } | { kind: 'call', at: number, actor: string, method: string, oneway: boolean, outcome: string, ms?: number }} Entry */

const SVG = 'http://www.w3.org/2000/svg';
// Inside each drawing, so that a downloaded SVG looks the same.
const DRAWING_STYLE = `
  .state rect { fill: #f3faf5; stroke: #2f7a4f; stroke-width: 1.5; }
  .state.compound > rect { fill: #fbfdfb; stroke-dasharray: 4 3; }
  .state.active > rect { fill: #ffe38a; stroke: #b37b00; stroke-width: 3; }
  .state text { font: 13px system-ui, sans-serif; fill: #1d2b22; }
  .state text.detail { font-size: 11px; fill: #5a6b60; }
  .state .count { font-size: 11px; fill: #b37b00; font-weight: bold; }
  .initial { fill: #1d2b22; }
  .edge path { fill: none; stroke: #4b5d52; stroke-width: 1.3; marker-end: url(#arrow); }
  .edge text { font: 11px system-ui, sans-serif; fill: #33443a; }
  .edge .label-box { fill: white; fill-opacity: 0.85; stroke: none; }
  .edge.ending path { stroke: #9aa89f; stroke-dasharray: 5 4; }
  .edge.ending text { fill: #8a978e; }
  .root-events { font: 11px system-ui, sans-serif; fill: #5a6b60; }
`;

/** @type {Map<string, Machine>} */
const machines = new Map();
/** @type {Map<string, Actor>} */
const actors = new Map();

/** @param {string} tag @param {Record<string, string | number>} attributes @param {string} [text] */
function svg(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** @param {string} tag @param {Record<string, string>} [attributes] @param {string} [text] */
function html(tag, attributes = {}, text) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** @param {Layout} layout */
function drawing(layout) {
  const extra = layout.rootEvents.length > 0 ? 22 : 0;
  const height = layout.height + extra;
  const root = svg('svg', {
    viewBox: `0 0 ${layout.width} ${height}`,
    width: layout.width,
    height,
    role: 'img',
    'aria-label': layout.id,
  });
  root.append(svg('style', {}, DRAWING_STYLE));
  const defs = svg('defs', {});
  const marker = svg('marker', {
    id: 'arrow',
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
  for (const node of nodes) {
    if (node.initialMarker) {
      root.append(
        svg('circle', { class: 'initial', cx: node.x + node.width / 2, cy: node.y + node.height / 2, r: 6 }),
      );
      continue;
    }
    const compound = node.type === 'compound' || node.type === 'parallel';
    const group = svg('g', { class: `state ${node.type}`, 'data-state': node.id });
    group.append(svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 8 }));
    if (node.type === 'final') {
      group.append(
        svg('rect', { x: node.x + 4, y: node.y + 4, width: node.width - 8, height: node.height - 8, rx: 6 }),
      );
    }
    const title = svg(
      'text',
      {
        x: node.x + (compound ? 10 : node.width / 2),
        y: node.y + 20,
        'text-anchor': compound ? 'start' : 'middle',
      },
      node.key,
    );
    group.append(title);
    node.details.forEach((line, i) => {
      group.append(
        svg(
          'text',
          {
            class: 'detail',
            x: node.x + (compound ? 10 : node.width / 2),
            y: node.y + 36 + i * 15,
            'text-anchor': compound ? 'start' : 'middle',
          },
          line,
        ),
      );
    });
    group.append(
      svg('text', { class: 'count', x: node.x + node.width - 6, y: node.y + 12, 'text-anchor': 'end' }, ''),
    );
    root.append(group);
  }
  for (const edge of layout.edges) {
    if (edge.points.length < 2) continue;
    // A body returning ends the run: drawn dashed, apart from the declared transitions.
    const group = svg('g', {
      class: edge.label === 'returns' ? 'edge ending' : 'edge',
      'data-edge': edge.id,
    });
    group.append(svg('path', { d: edge.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ') }));
    if (edge.labelBox && edge.label) {
      const box = edge.labelBox;
      group.append(
        svg('rect', { class: 'label-box', x: box.x, y: box.y, width: box.width, height: box.height, rx: 3 }),
      );
      group.append(
        svg(
          'text',
          {
            x: edge.labelBox.x + edge.labelBox.width / 2,
            y: edge.labelBox.y + edge.labelBox.height - 4,
            'text-anchor': 'middle',
          },
          edge.label,
        ),
      );
    }
    root.append(group);
  }
  if (extra) {
    root.append(
      svg(
        'text',
        { class: 'root-events', x: 8, y: layout.height + 14 },
        `in every state: ${layout.rootEvents.join(', ')}`,
      ),
    );
  }
  return root;
}

/** @param {Layout} layout @param {Node} node */
function depth(layout, node) {
  let d = 0;
  for (let parent = node.parent; parent; parent = layout.nodes.find((n) => n.id === parent)?.parent) d++;
  return d;
}

/** @param {Machine} machine */
function renderMachine(machine) {
  let card = document.querySelector(`[data-machine="${machine.key}"]`);
  if (!card) {
    card = html('article', { class: 'machine', 'data-machine': machine.key });
    document.getElementById('machines')?.append(card);
  }
  card.replaceChildren();
  const tools = html('div', { class: 'tools' });
  tools.append(
    html('a', { href: `/api/machines/${machine.key}.mmd`, download: `${machine.id}.mmd` }, 'Mermaid'),
  );
  const svgButton = html('button', { type: 'button' }, 'SVG');
  svgButton.addEventListener('click', () => downloadSvg(machine));
  tools.append(svgButton);
  card.append(tools, html('h2', {}, machine.id));
  if (machine.error) card.append(html('p', { class: 'error' }, machine.error));
  else if (machine.layout) {
    const scroller = html('div', { class: 'drawing' });
    scroller.append(drawing(machine.layout));
    card.append(scroller);
  } else card.append(html('p', {}, 'laying out…'));
  card.append(html('table', { class: 'actors' }));
  renderActors(machine.key);
}

/** @param {Machine} machine */
function downloadSvg(machine) {
  const drawn = document.querySelector(`[data-machine="${machine.key}"] svg`);
  if (!drawn) return;
  const blob = new Blob([new XMLSerializer().serializeToString(drawn)], { type: 'image/svg+xml' });
  const link = html('a', { href: URL.createObjectURL(blob), download: `${machine.id}.svg` });
  link.click();
  URL.revokeObjectURL(link.getAttribute('href') ?? '');
}

/** @param {unknown} value @returns {string} */
function describeValue(value) {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value)
    .map(([key, child]) => `${key}.${describeValue(child)}`)
    .join(', ');
}

/** @param {string} machineKey */
function renderActors(machineKey) {
  const card = document.querySelector(`[data-machine="${machineKey}"]`);
  if (!card) return;
  const mine = [...actors.values()].filter((actor) => actor.machineKey === machineKey);
  const counts = new Map();
  for (const actor of mine)
    if (actor.status === 'active') for (const id of actor.active) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const group of card.querySelectorAll('g.state')) {
    const id = group.getAttribute('data-state') ?? '';
    const count = counts.get(id) ?? 0;
    group.classList.toggle('active', count > 0);
    const badge = group.querySelector('.count');
    if (badge) badge.textContent = count > 1 ? `×${count}` : '';
  }
  const table = card.querySelector('table.actors');
  if (!table) return;
  table.replaceChildren();
  if (mine.length === 0) return;
  const head = html('tr');
  for (const title of ['actor', 'state', 'status', 'queue', 'running call'])
    head.append(html('th', {}, title));
  table.append(head);
  for (const actor of mine) {
    const row = html('tr', { 'data-actor': actor.id, class: actor.status === 'active' ? '' : 'finished' });
    row.append(
      html('td', {}, actor.handler?.name ?? actor.name),
      html('td', { 'data-value': '' }, describeValue(actor.value)),
      html('td', {}, actor.handler?.closed ? 'closed' : actor.status),
    );
    row.append(
      html(
        'td',
        actor.handler ? { 'data-pending': String(actor.handler.pending) } : {},
        actor.handler ? String(actor.handler.pending) : '',
      ),
    );
    row.append(html('td', {}, actor.handler?.currentCall ?? ''));
    table.append(row);
  }
}

/** @param {Entry} entry */
function renderEntry(entry) {
  const list = document.getElementById('timeline');
  if (!list) return;
  const time = new Date(entry.at).toISOString().slice(11, 23);
  const text =
    entry.kind === 'transition'
      ? `${time} ${entry.actor}: ${entry.from} → ${entry.to} (${entry.event})`
      : `${time} ${entry.actor}.${entry.method}() ${entry.oneway ? 'oneway' : 'sync'} ${entry.outcome}${entry.ms === undefined ? '' : ` in ${entry.ms} ms`}`;
  const item = html(
    'li',
    { class: entry.kind === 'call' && entry.outcome !== 'ok' ? 'failed' : '', 'data-kind': entry.kind },
    text,
  );
  list.prepend(item);
  while (list.children.length > 300) list.lastElementChild?.remove();
}

/** @param {string} text @param {string} className */
function showConnection(text, className) {
  const connection = document.getElementById('connection');
  if (!connection) return;
  connection.textContent = text;
  connection.className = className;
}

const events = new EventSource('/api/events');
events.addEventListener('open', () => {
  showConnection('live', 'connection live');
});
events.addEventListener('error', () => {
  showConnection('disconnected: retrying…', 'connection lost');
});
events.addEventListener('message', (message) => {
  const update = JSON.parse(message.data);
  if (update.type === 'reset') {
    machines.clear();
    actors.clear();
    document.getElementById('machines')?.replaceChildren();
    document.getElementById('timeline')?.replaceChildren();
    for (const actor of update.actors) actors.set(actor.id, actor);
    for (const machine of update.machines) {
      machines.set(machine.key, machine);
      renderMachine(machine);
    }
    for (const entry of update.timeline) renderEntry(entry);
  } else if (update.type === 'machine') {
    machines.set(update.machine.key, update.machine);
    renderMachine(update.machine);
  } else if (update.type === 'actor') {
    actors.set(update.actor.id, update.actor);
    if (update.actor.status !== 'active') {
      // keep the latest finished ones only, as the server does
      const finished = [...actors.values()].filter((a) => a.status !== 'active');
      for (const old of finished.slice(0, Math.max(0, finished.length - 20))) actors.delete(old.id);
    }
    renderActors(update.actor.machineKey);
  } else if (update.type === 'timeline') {
    renderEntry(update.entry);
  }
});
