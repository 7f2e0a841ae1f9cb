// @ts-check
// The timeline panel: every transition and call in words, newest first, coloured by kind, filtered by
// kind and actor. Selecting an entry shows every machine and handler as they were just after it.
import { clockTime, html } from './dom.js';
import { filteredEntries, store, travelTo } from './store.js';

/** Entries the list shows (the latest; the store keeps more, for the filters and the sequence view). */
const SHOWN = 120;

/** @typedef {import('./store.js').Entry} Entry */

/** The newest entry drawn, so that a frame adds only what is new (while the filter stays the same). */
let newest = -1;
/** The actor names the actor filter offers, to rebuild it only when they change. */
let offered = '';

/** @param {() => void} changed called when the user changes what is shown */
export function setUpTimeline(changed) {
  const filters = document.getElementById('filters');
  filters?.addEventListener('change', (event) => {
    const target = /** @type {HTMLInputElement | HTMLSelectElement} */ (event.target);
    if (target.name === 'kind') store.filter.kind = /** @type {any} */ (target.value);
    if (target.name === 'actor') store.filter.actor = target.value;
    newest = -1; // redraw the list whole
    store.dirty.timeline = true;
    changed();
  });
  document.getElementById('timeline')?.addEventListener('click', (event) => {
    const item = /** @type {Element} */ (event.target).closest('li[data-seq]');
    if (!item) return;
    const seq = Number(item.getAttribute('data-seq'));
    void select(
      store.timeline.find((entry) => entry.seq === seq),
      changed,
    );
  });
  document.getElementById('live')?.addEventListener('click', () => void select(undefined, changed));
}

/** @param {Entry | undefined} entry @param {() => void} changed */
export async function select(entry, changed) {
  await travelTo(entry);
  store.dirty.timeline = true;
  newest = -1;
  changed();
}

/** Renders the list (only its new entries, when it can) and the actor filter's choices. */
export function renderTimeline() {
  const list = document.getElementById('timeline');
  if (!list) return;
  if (store.dirty.all) newest = -1;
  const entries = filteredEntries();
  const fresh = entries.filter((entry) => entry.seq > newest).slice(-SHOWN);
  // A busy program brings more new entries a frame than the list shows: then it is made afresh, once.
  if (newest === -1 || fresh.length === SHOWN) list.replaceChildren();
  const items = fresh.map(itemOf).reverse();
  list.prepend(...items);
  while (list.children.length > SHOWN) list.lastElementChild?.remove();
  newest = Math.max(newest, ...fresh.map((entry) => entry.seq));
  for (const item of list.querySelectorAll('li.selected')) item.classList.remove('selected');
  if (store.past) list.querySelector(`li[data-seq="${store.past.seq}"]`)?.classList.add('selected');
  renderActorFilter();
  renderBanner();
}

/** @param {Entry} entry */
function itemOf(entry) {
  const kind = entry.ok ? entry.kind : 'error';
  return html(
    'li',
    {
      'data-kind': entry.kind,
      'data-seq': String(entry.seq),
      class: `${kind}${entry.ok ? '' : ' failed'}`,
      title: 'show everything as it was just after this',
    },
    html('time', {}, clockTime(entry.at)),
    ' ',
    html('span', { class: 'actor' }, entry.actor),
    ' ',
    html('span', { class: 'text' }, entry.text),
  );
}

function renderActorFilter() {
  const select = /** @type {HTMLSelectElement | null} */ (
    document.querySelector('#filters select[name="actor"]')
  );
  if (!select) return;
  const names = [
    ...new Set(
      store.timeline.flatMap((entry) => [entry.actor, ...(entry.kind === 'call' ? [entry.caller] : [])]),
    ),
  ].sort();
  const key = names.join('\n');
  if (key === offered) return;
  offered = key;
  const chosen = store.filter.actor;
  select.replaceChildren(
    html('option', { value: '' }, 'every actor'),
    ...names.map((name) => html('option', { value: name }, name)),
  );
  select.value = names.includes(chosen) ? chosen : '';
}

/** Says which moment the page shows, when it is not now. */
function renderBanner() {
  const banner = document.getElementById('travel');
  if (!banner) return;
  const { past, pastError } = store;
  banner.hidden = past === undefined && pastError === undefined;
  const text = banner.querySelector('.what');
  if (text)
    text.textContent =
      pastError ??
      (past?.entry
        ? `as it was at ${clockTime(past.entry.at)}, just after: ${past.entry.actor} ${past.entry.text}`
        : '');
}
