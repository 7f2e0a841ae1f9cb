// @ts-check
// The visualizer page: follows the program through the server-sent events of /api/events, and draws what
// changed at most once per animation frame, however many updates came meanwhile.
import { renderCards } from './cards.js';
import { renderSequence, setUpSequence } from './sequence.js';
import { apply, store } from './store.js';
import { renderTimeline, select, setUpTimeline } from './timeline.js';

/** How long each frame's drawing took (ms), the latest few hundred: the page's own cost, for tests. */
const renders = /** @type {number[]} */ ([]);
/** @type {any} */ (window).greenstate = { renders, store };

let scheduled = false;
function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(render);
}

function render() {
  scheduled = false;
  const started = performance.now();
  const { dirty } = store;
  const timelineChanged = dirty.timeline || dirty.all;
  renderCards();
  if (timelineChanged) {
    renderTimeline();
    renderSequence();
  }
  dirty.machines.clear();
  dirty.actors.clear();
  dirty.timeline = false;
  dirty.all = false;
  renders.push(performance.now() - started);
  if (renders.length > 600) renders.splice(0, renders.length - 600);
}

setUpTimeline(schedule);
setUpSequence((entry) => void select(entry, schedule), schedule);

// A running call's elapsed time and queued calls' ages move on even when nothing else happens.
setInterval(() => {
  if (store.past !== undefined) return;
  for (const actor of store.actors.values()) {
    if (actor.handler && (actor.handler.currentCall || actor.handler.pending > 0))
      store.dirty.actors.add(actor.machineKey);
  }
  if (store.dirty.actors.size > 0) schedule();
}, 500);

/** @param {string} text @param {string} className */
function showConnection(text, className) {
  const connection = document.getElementById('connection');
  if (!connection) return;
  connection.textContent = text;
  connection.className = className;
}

const events = new EventSource('/api/events');
events.addEventListener('open', () => showConnection('live', 'connection live'));
events.addEventListener('error', () => showConnection('disconnected: retrying…', 'connection lost'));
events.addEventListener('message', (message) => {
  apply(JSON.parse(message.data));
  schedule();
});
