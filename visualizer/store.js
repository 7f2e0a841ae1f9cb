// @ts-check
// What the page knows: the machines, the actors (live, or as they were at a chosen moment), the timeline,
// and what the user chose to see. Messages from /api/events change it; the views read it once a frame.

/** @typedef {{ id: string, key: string, parent?: string, type: string, x: number, y: number, width: number, height: number, initialMarker: boolean, details: string[], badge?: { x: number, y: number } }} Node */
/** @typedef {{ id: string, source: string, target: string, label: string, points: {x: number, y: number}[], labelBox?: {x: number, y: number, width: number, height: number} }} Edge */
/** @typedef {{ id: string, width: number, height: number, nodes: Node[], edges: Edge[], rootEvents: string[] }} Layout */
/** @typedef {{ key: string, id: string, kind: 'handler' | 'machine', layout?: Layout, mermaid?: string, error?: string }} Machine */
/** @typedef {{ id: string, method: string, oneway: boolean, caller: string, queuedAt?: number, startedAt?: number }} CallInfo */
/** @typedef {{ name: string, status: 'idle' | 'processing' | 'waiting' | 'closed', pending: number, maxPending?: number, full: boolean, currentCall?: string, running?: CallInfo, whitelist?: string[], queue: CallInfo[], closed: boolean }} HandlerInfo */
/** @typedef {{ id: string, name: string, machineKey: string, active: string[], value: unknown, status: string, startedAt: number, seq: number, result?: string, handler?: HandlerInfo }} Actor */
/** @typedef {{ seq: number, at: number, actor: string, actorId: string, ok: boolean, text: string }} EntryBase */
/** @typedef {EntryBase & ({ kind: 'transition', from: string, to: string, event: string } | { kind: 'call', id: string, method: string, oneway: boolean, caller: string, outcome: string, queuedAt?: number, startedAt?: number, ms?: number })} Entry */

/** Timeline entries the page keeps (as the server does). */
export const TIMELINE = 300;
/** Finished runs and closed handlers the page keeps (as the server does). */
export const FINISHED = 20;

export const store = {
  /** @type {Map<string, Machine>} */
  machines: new Map(),
  /** @type {Map<string, Actor>} */
  actors: new Map(),
  /** @type {Entry[]} */
  timeline: [],
  /** The moment shown instead of now, if the user chose one: its entry's `seq` and the actors then. */
  /** @type {{ seq: number, entry: Entry | undefined, actors: Map<string, Actor> } | undefined} */
  past: undefined,
  /** Why the chosen moment cannot be shown, if it cannot. */
  /** @type {string | undefined} */
  pastError: undefined,
  /** What the timeline and the sequence view show: a kind of entry, and one actor (by name) or all. */
  /** @type {{ kind: 'all' | 'call' | 'transition' | 'error', actor: string }} */
  filter: { kind: 'all', actor: '' },
  /** Machine cards whose finished runs are unfolded. */
  /** @type {Set<string>} */
  unfolded: new Set(),
  /** What changed since the last frame: `machines` (keys), `actors` (machine keys), `timeline`, `all`. */
  dirty: { machines: new Set(), actors: new Set(), timeline: false, all: false },
};

/** The actors the page shows: as they were at the chosen moment, or live. */
export function shownActors() {
  return store.past?.actors ?? store.actors;
}

/** @param {Actor} actor */
export function isFinished(actor) {
  return actor.status !== 'active' || actor.handler?.closed === true;
}

/** @param {Actor} actor */
function setActor(actor) {
  const previous = store.actors.get(actor.id);
  store.actors.set(actor.id, actor);
  store.dirty.actors.add(actor.machineKey);
  if (previous !== undefined && previous.machineKey !== actor.machineKey)
    store.dirty.actors.add(previous.machineKey);
}

/** @param {string} id */
function forget(id) {
  const actor = store.actors.get(id);
  if (actor === undefined) return;
  store.actors.delete(id);
  store.dirty.actors.add(actor.machineKey);
}

/** @param {Entry[]} entries */
function addEntries(entries) {
  if (entries.length === 0) return;
  store.timeline.push(...entries);
  if (store.timeline.length > TIMELINE) store.timeline.splice(0, store.timeline.length - TIMELINE);
  store.dirty.timeline = true;
}

/**
 * Applies one message of /api/events: the whole picture (`reset`), or what changed since the last one.
 * @param {any} message
 */
export function apply(message) {
  if (message.type === 'reset') {
    store.machines = new Map(message.machines.map((/** @type {Machine} */ m) => [m.key, m]));
    store.actors = new Map(message.actors.map((/** @type {Actor} */ a) => [a.id, a]));
    store.timeline = [...message.timeline];
    store.dirty.all = true;
    return;
  }
  if (message.type !== 'batch') return;
  for (const machine of message.machines) {
    store.machines.set(machine.key, machine);
    store.dirty.machines.add(machine.key);
  }
  for (const actor of message.actors) setActor(actor);
  for (const id of message.forget) forget(id);
  addEntries(message.timeline);
}

/** The entries the filter lets through, oldest first. */
export function filteredEntries() {
  const { kind, actor } = store.filter;
  return store.timeline.filter(
    (entry) =>
      (kind === 'all' || (kind === 'error' ? !entry.ok : entry.kind === kind)) &&
      (actor === '' || entry.actor === actor || (entry.kind === 'call' && entry.caller === actor)),
  );
}

/**
 * Shows every actor as it was just after `entry` (asked of the server, which keeps their history), or
 * live again with `undefined`.
 * @param {Entry | undefined} entry
 */
export async function travelTo(entry) {
  store.dirty.all = true;
  if (entry === undefined) {
    store.past = undefined;
    store.pastError = undefined;
    return;
  }
  const response = await fetch(`/api/at?seq=${entry.seq}`);
  const body = await response.json();
  if (!response.ok) {
    store.pastError = body.error;
    store.past = undefined;
  } else {
    store.pastError = undefined;
    store.past = {
      seq: entry.seq,
      entry,
      actors: new Map(body.actors.map((/** @type {Actor} */ a) => [a.id, a])),
    };
  }
  store.dirty.all = true;
}
