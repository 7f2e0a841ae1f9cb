// @ts-check
// The cards: one per machine (its drawing, its live runs, its finished runs folded into a count), and one
// per handler (its drawing, status, running call, whitelist and queued calls), in a grid.
import { clockTime, describeValue, duration, html, syncRows } from './dom.js';
import { drawing, highlight } from './drawing.js';
import { isFinished, shownActors, store } from './store.js';

/** @typedef {import('./store.js').Machine} Machine */
/** @typedef {import('./store.js').Actor} Actor */
/** @typedef {import('./store.js').HandlerInfo} HandlerInfo */

/** Queued calls a handler card lists; the rest are counted. */
const QUEUE_SHOWN = 5;

/** @type {Map<string, { card: HTMLElement, drawn: Element | undefined, machine: Machine }>} */
const cards = new Map();

/** Renders what changed: every card when `all`, else those of the given machines. */
export function renderCards() {
  const { dirty } = store;
  const grid = document.getElementById('machines');
  if (!grid) return;
  const keys = dirty.all ? new Set(store.machines.keys()) : new Set([...dirty.machines, ...dirty.actors]);
  if (dirty.all) {
    for (const [id, entry] of cards) if (!store.machines.has(entry.machine.key)) removeCard(id);
  }
  for (const key of keys) {
    const machine = store.machines.get(key);
    if (machine === undefined) continue;
    if (machine.kind === 'handler') renderHandlers(grid, machine, dirty.all || dirty.machines.has(key));
    else
      renderMachine(
        grid,
        machine,
        machine.key,
        [...shownActors().values()].filter((a) => a.machineKey === key),
        dirty.all || dirty.machines.has(key),
      );
  }
}

/** @param {string} id */
function removeCard(id) {
  cards.get(id)?.card.remove();
  cards.delete(id);
}

/**
 * A card (made once, redrawn when its machine's layout changes) with its title, tools and drawing.
 * @param {HTMLElement} grid @param {Machine} machine @param {string} id @param {string} title @param {boolean} redraw
 */
function cardFor(grid, machine, id, title, redraw) {
  let entry = cards.get(id);
  if (entry === undefined) {
    const card = html('article', {
      class: `card ${machine.kind}`,
      'data-card': id,
      'data-machine': machine.key,
    });
    grid.append(card);
    entry = { card, drawn: undefined, machine };
    cards.set(id, entry);
    redraw = true;
  }
  if (redraw) {
    entry.machine = machine;
    const { card } = entry;
    card.replaceChildren(html('header', {}, html('h2', {}, title), tools(machine, card)));
    if (machine.error) card.append(html('p', { class: 'error' }, machine.error));
    else if (machine.layout) {
      entry.drawn = drawing(machine.layout);
      // A long chain of states reads best across the whole grid.
      card.classList.toggle(
        'wide',
        machine.kind === 'machine' && machine.layout.width > 1.8 * machine.layout.height,
      );
      card.append(html('div', { class: 'drawing' }, entry.drawn));
    } else card.append(html('p', { class: 'laying-out' }, 'laying out…'));
    card.append(html('div', { class: 'body' }));
  }
  return entry;
}

/** @param {Machine} machine @param {HTMLElement} card */
function tools(machine, card) {
  const copy = html('button', { type: 'button', class: 'copy-code' }, 'Copy as XState code');
  copy.addEventListener('click', () => void copyCode(machine, card));
  const save = html('button', { type: 'button' }, 'SVG');
  save.addEventListener('click', () => downloadSvg(machine, card));
  return html(
    'div',
    { class: 'tools' },
    html('a', { href: `/api/machines/${machine.key}.mmd`, download: `${machine.id}.mmd` }, 'Mermaid'),
    save,
    copy,
  );
}

/** Shows the machine as XState source (for Stately's editor), and copies it where the browser lets us. */
async function copyCode(/** @type {Machine} */ machine, /** @type {HTMLElement} */ card) {
  const code = await (await fetch(`/api/machines/${machine.key}.js`)).text();
  card.querySelector('dialog')?.remove();
  const text = html('textarea', { readonly: '', rows: '16', spellcheck: 'false' }, code);
  const note = html(
    'p',
    { class: 'note' },
    'Paste it into Stately’s editor (stately.ai, “Import from code”).',
  );
  const close = html('button', { type: 'button' }, 'Close');
  const dialog = html(
    'dialog',
    { class: 'code' },
    html('h3', {}, `${machine.id} as XState code`),
    text,
    note,
    close,
  );
  close.addEventListener('click', () => dialog.remove());
  card.append(dialog);
  /** @type {HTMLDialogElement} */ (dialog).show();
  /** @type {HTMLTextAreaElement} */ (text).select();
  try {
    await navigator.clipboard.writeText(code);
    note.textContent = `Copied to the clipboard. ${note.textContent}`;
  } catch {
    // no clipboard for this page (permissions): the text is selected for Ctrl-C
  }
}

/** @param {Machine} machine @param {HTMLElement} card */
function downloadSvg(machine, card) {
  const drawn = card.querySelector('svg');
  if (!drawn) return;
  const blob = new Blob([new XMLSerializer().serializeToString(drawn)], { type: 'image/svg+xml' });
  const link = html('a', { href: URL.createObjectURL(blob), download: `${machine.id}.svg` });
  link.click();
  URL.revokeObjectURL(link.getAttribute('href') ?? '');
}

/** @param {Actor[]} actors */
function countsOf(actors) {
  const counts = new Map();
  for (const actor of actors)
    if (actor.status === 'active') for (const id of actor.active) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/**
 * A machine's card: its live runs, then its finished ones folded into a count. Its tables are made once
 * and their rows kept from frame to frame.
 * @param {HTMLElement} grid @param {Machine} machine @param {string} id @param {Actor[]} actors @param {boolean} redraw
 */
function renderMachine(grid, machine, id, actors, redraw) {
  const entry = cardFor(grid, machine, id, machine.id, redraw);
  if (entry.drawn) highlight(entry.drawn, countsOf(actors));
  const body = entry.card.querySelector('.body');
  if (!body) return;
  if (body.childElementCount === 0) {
    const fold = html('details', { class: 'finished' }, html('summary', {}, ''), runTable());
    if (store.unfolded.has(id)) fold.setAttribute('open', '');
    fold.addEventListener('toggle', () => {
      if (/** @type {HTMLDetailsElement} */ (fold).open) store.unfolded.add(id);
      else store.unfolded.delete(id);
    });
    body.append(runTable('live'), html('p', { class: 'none' }), fold);
  }
  const live = actors.filter((actor) => !isFinished(actor));
  const finished = actors.filter(isFinished).reverse();
  const [liveTable, none, fold] = /** @type {HTMLElement[]} */ ([...body.children]);
  if (!liveTable || !none || !fold) return;
  liveTable.hidden = live.length === 0;
  none.hidden = live.length > 0;
  none.textContent = actors.length > 0 ? 'no live run' : 'no run yet';
  fold.hidden = finished.length === 0;
  const summary = fold.querySelector('summary');
  if (summary) summary.textContent = `${finished.length} finished`;
  const rows = (/** @type {Element} */ table, /** @type {Actor[]} */ list) => {
    const tbody = table.querySelector('tbody');
    if (tbody)
      syncRows(tbody, list, (actor) => actor.id, runCells, runClass, [
        { 'data-name': '' },
        { 'data-value': '' },
      ]);
  };
  rows(liveTable, live);
  const finishedTable = fold.querySelector('table');
  if (finishedTable) rows(finishedTable, finished);
}

/** A table of runs, with its header. @param {string} [kind] */
function runTable(kind = 'finished') {
  return html(
    'table',
    { class: `runs ${kind}` },
    html('thead', {}, html('tr', {}, ...['run', 'state', 'started'].map((t) => html('th', {}, t)))),
    html('tbody'),
  );
}

/** @param {Actor} actor */
function runCells(actor) {
  const state =
    actor.status === 'active'
      ? describeValue(actor.value)
      : actor.status === 'done'
        ? `ended with ${actor.result ?? 'nothing'}`
        : `${actor.status}${actor.result ? `: ${actor.result}` : ''}`;
  return [actor.name, state, clockTime(actor.startedAt).slice(0, 8)];
}

/** @param {Actor} actor */
function runClass(actor) {
  return actor.status === 'error' ? 'failed' : isFinished(actor) ? 'finished' : '';
}

/**
 * A card per open handler, named by the handler; closed ones folded into one card.
 * @param {HTMLElement} grid @param {Machine} machine @param {boolean} redraw
 */
function renderHandlers(grid, machine, redraw) {
  const handlers = [...shownActors().values()].filter((actor) => actor.machineKey === machine.key);
  const open = handlers.filter((actor) => !isFinished(actor));
  const closed = handlers.filter(isFinished);
  const ids = new Set(open.map((actor) => `h:${actor.id}`));
  for (const [id, entry] of cards)
    if (entry.machine.key === machine.key && id.startsWith('h:') && !ids.has(id)) removeCard(id);
  for (const actor of open) {
    const entry = cardFor(grid, machine, `h:${actor.id}`, actor.handler?.name ?? actor.name, redraw);
    entry.card.setAttribute('data-handler', actor.handler?.name ?? actor.name);
    if (entry.drawn) highlight(entry.drawn, countsOf([actor]));
    const body = entry.card.querySelector('.body');
    if (body && actor.handler) body.replaceChildren(handlerPanel(actor.handler));
  }
  if (closed.length > 0 || open.length === 0) {
    const entry = cardFor(
      grid,
      machine,
      `closed:${machine.key}`,
      open.length === 0 && closed.length === 0 ? machine.id : 'closed handlers',
      redraw,
    );
    const body = entry.card.querySelector('.body');
    body?.replaceChildren(
      closed.length === 0
        ? html('p', { class: 'none' }, 'no handler yet')
        : html(
            'p',
            { class: 'closed-list' },
            `${closed.length} closed: ${closed.map((actor) => actor.handler?.name ?? actor.name).join(', ')}`,
          ),
    );
  } else removeCard(`closed:${machine.key}`);
}

/** @param {HandlerInfo} handler */
function handlerPanel(handler) {
  const now = store.past?.entry?.at ?? Date.now();
  const running =
    handler.running ??
    (handler.currentCall
      ? { method: handler.currentCall, oneway: false, caller: '', startedAt: undefined }
      : undefined);
  const runningText = running
    ? `${running.method}() ${running.oneway ? 'oneway' : 'sync'}${running.startedAt === undefined ? '' : ` · running ${duration(now - running.startedAt)}`}${running.caller && running.caller !== 'outside' ? ` · from ${running.caller}` : ''}`
    : 'none';
  const queue = html('table', { class: 'queue', 'data-pending': String(handler.pending) });
  queue.append(html('tr', {}, ...['queued call', 'kind', 'waiting', 'from'].map((t) => html('th', {}, t))));
  for (const call of handler.queue.slice(0, QUEUE_SHOWN)) {
    queue.append(
      html(
        'tr',
        { 'data-call': call.id },
        html('td', {}, `${call.method}()`),
        html('td', {}, call.oneway ? 'oneway' : 'sync'),
        html('td', {}, call.queuedAt === undefined ? '' : duration(now - call.queuedAt)),
        html('td', {}, call.caller),
      ),
    );
  }
  const more = handler.pending - Math.min(handler.queue.length, QUEUE_SHOWN);
  return html(
    'div',
    { class: 'handler-panel' },
    html(
      'dl',
      {},
      html('dt', {}, 'status'),
      html('dd', { class: `status ${handler.status}`, 'data-status': handler.status }, handler.status),
      html('dt', {}, 'running'),
      html('dd', { 'data-running': running?.method ?? '' }, runningText),
      html('dt', {}, 'admits'),
      html('dd', { 'data-whitelist': '' }, handler.whitelist ? handler.whitelist.join(', ') : 'every method'),
      html('dt', {}, 'queue'),
      html(
        'dd',
        { 'data-pending': String(handler.pending), class: handler.full ? 'full' : '' },
        handler.maxPending === undefined
          ? `${handler.pending} call${handler.pending === 1 ? '' : 's'}`
          : `${handler.pending} / ${handler.maxPending}${handler.full ? ' · full: new calls are refused' : ''}`,
      ),
    ),
    ...(handler.pending > 0 ? [queue] : []),
    ...(more > 0 ? [html('p', { class: 'more' }, `+ ${more} more queued`)] : []),
  );
}
