// @ts-check
// The sequence view: one lane per actor, an arrow for each call from its caller (or "outside") to its
// handler and its answer back (outcome and time), and each run's transitions as marks on its lane, newest
// at the top as in the timeline. It shows the latest entries that the timeline's filter lets through.
// It reads no layout while drawing (its width comes from a ResizeObserver), so that a frame never waits
// for the page to be laid out again.
import { clockTime, html, svg } from './dom.js';
import { filteredEntries, store } from './store.js';

/** @typedef {import('./store.js').Entry} Entry */

/** Entries drawn, and lanes at most (the later actors are counted, not drawn). */
const ROWS = 40;
const LANES = 10;
/** The widest a lane gets; lanes narrow to fit the panel. */
const LANE = 170;
const TOP = 8;

/** The panel's width, as last laid out. */
let panelWidth = 900;

/** @param {(entry: Entry) => void} choose called with the entry the user clicks @param {() => void} changed */
export function setUpSequence(choose, changed) {
  const host = document.getElementById('sequence');
  if (host) {
    new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? panelWidth;
      if (Math.abs(width - panelWidth) < 1) return;
      panelWidth = width;
      store.dirty.timeline = true;
      changed();
    }).observe(host);
  }
  host?.addEventListener('click', (event) => {
    const row = /** @type {Element} */ (event.target).closest('[data-seq]');
    if (!row) return;
    const seq = Number(row.getAttribute('data-seq'));
    const entry = store.timeline.find((e) => e.seq === seq);
    if (entry) choose(entry);
  });
}

export function renderSequence() {
  const host = document.getElementById('sequence');
  if (!host) return;
  const entries = filteredEntries().slice(-ROWS).reverse();
  /** @type {string[]} */
  const lanes = [];
  const laneOf = (/** @type {string} */ name) => {
    if (!lanes.includes(name) && lanes.length < LANES) lanes.push(name);
    return lanes.indexOf(name);
  };
  // Callers first, then the handlers they call, then runs, each in order of appearance: call arrows stay
  // short and cross no run's lane.
  for (const entry of entries) if (entry.kind === 'call') laneOf(entry.caller);
  for (const entry of entries) if (entry.kind === 'call') laneOf(entry.actor);
  for (const entry of entries) laneOf(entry.actor);
  const rows = entries.filter(
    (entry) => lanes.includes(entry.actor) && (entry.kind !== 'call' || lanes.includes(entry.caller)),
  );
  const heightOf = (/** @type {Entry} */ entry) => (entry.kind === 'call' ? 36 : 24);
  const height = TOP + rows.reduce((sum, entry) => sum + heightOf(entry), 0) + 10;
  const lane = Math.max(90, Math.min(LANE, (panelWidth - 240) / Math.max(1, lanes.length)));
  const width = Math.max(1, lanes.length) * lane + 70 + 150; // room for the last lane's marks' text
  const x = (/** @type {number} */ index) => 70 + index * lane + lane / 2;
  const root = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': 'sequence of calls and transitions',
  });
  const defs = svg('defs');
  const arrow = svg('marker', {
    id: 'seq-arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto-start-reverse',
  });
  arrow.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#2b5fa8' }));
  defs.append(arrow);
  root.append(defs);
  // The lanes' names stay in view above the rows, which scroll.
  const names = svg('svg', { width, height: 22, class: 'lane-names' });
  lanes.forEach((name, index) => {
    names.append(
      svg(
        'text',
        { class: 'lane-name', x: x(index), y: 15, 'text-anchor': 'middle', 'data-lane': name },
        shorten(name, Math.floor(lane / 8)),
      ),
    );
    root.append(svg('line', { class: 'lane', x1: x(index), y1: 0, x2: x(index), y2: height }));
  });
  let y = TOP;
  let selectedAt = -1;
  for (const entry of rows) {
    if (store.past?.seq === entry.seq) selectedAt = y;
    const h = heightOf(entry);
    const group = svg('g', {
      class: `row ${entry.kind}${entry.ok ? '' : ' failed'}${store.past?.seq === entry.seq ? ' selected' : ''}`,
      'data-seq': String(entry.seq),
    });
    group.append(svg('rect', { class: 'back', x: 0, y, width, height: h }));
    group.append(svg('text', { class: 'time', x: 4, y: y + 14 }, clockTime(entry.at).slice(3)));
    const to = x(lanes.indexOf(entry.actor));
    if (entry.kind === 'call') {
      const from = x(lanes.indexOf(entry.caller));
      const mid = (from + to) / 2;
      group.append(
        svg('line', { x1: from, y1: y + 12, x2: to, y2: y + 12, 'marker-end': 'url(#seq-arrow)' }),
      );
      group.append(
        svg(
          'text',
          { x: mid, y: y + 9, 'text-anchor': 'middle' },
          `${entry.method}() ${entry.oneway ? 'oneway' : 'sync'}`,
        ),
      );
      group.append(
        svg('line', {
          class: 'answer',
          x1: to,
          y1: y + 28,
          x2: from,
          y2: y + 28,
          'marker-end': 'url(#seq-arrow)',
        }),
      );
      const answer = `${entry.ok ? 'ok' : entry.outcome}${entry.ms === undefined ? '' : ` · ${entry.ms} ms`}`;
      group.append(
        svg(
          'text',
          { class: 'answer', x: mid, y: y + 25, 'text-anchor': 'middle' },
          answer.length > 40 ? `${answer.slice(0, 39)}…` : answer,
        ),
      );
    } else {
      group.append(svg('circle', { cx: to, cy: y + 12, r: 4 }));
      group.append(
        svg(
          'text',
          { x: to + 8, y: y + 16 },
          entry.text.length > 40 ? `${entry.text.slice(0, 39)}…` : entry.text,
        ),
      );
    }
    root.append(group);
    y += h;
  }
  const box = html('div', { class: 'rows' }, root);
  host.replaceChildren(names, box);
  if (selectedAt >= 0) box.scrollTop = Math.max(0, selectedAt - 120); // the chosen moment, in view
}

/**
 * `text` in at most `max` characters: its end kept (a run's start time and number tell runs apart).
 * @param {string} text @param {number} max
 */
function shorten(text, max) {
  return text.length > max ? `…${text.slice(-Math.max(1, max - 1))}` : text;
}
