import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toXStateCode } from 'greenstate';
import { TIMELINE, type Tracker } from './Tracker.js';
import type { ActorView, MachineView, TimelineEntry, Update } from './views.js';

const PAGE = new URL('../../visualizer/', import.meta.url);
/** The only files the server sends: the page's own. Anything else is a 404, whatever the path says. */
const FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
  ...Object.fromEntries(
    ['app', 'store', 'dom', 'drawing', 'cards', 'timeline', 'sequence'].map((name) => [
      `/${name}.js`,
      [`${name}.js`, 'text/javascript; charset=utf-8'],
    ]),
  ),
};
/** A page is sent what changed at most this often (ms): a busy program sends many snapshots a frame. */
const BATCH_MS = 50;
/** Bytes waiting for a page beyond which it is behind: it gets nothing more until it has read them. */
const BEHIND = 1 << 20;
/** What one batch sends: every machine and actor changed since the last one (latest view only). */
interface Batch {
  machines: Map<string, MachineView>;
  actors: Map<string, ActorView>;
  forget: Set<string>;
  timeline: TimelineEntry[];
}

/**
 * One page's event stream. Updates are sent in batches (each actor's latest view, every timeline entry),
 * at most one per `BATCH_MS`. A page that reads slower than batches come is not buffered without bound:
 * while its socket is full, batches are dropped, and once it drains it gets the whole picture afresh.
 */
export class Client {
  #lagging = false;
  #batch: Batch | undefined = undefined;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(
    readonly response: ServerResponse,
    readonly reset: () => Reset,
  ) {}

  /** Adds an update to the next batch. */
  send(update: Update): void {
    if (this.#lagging) return;
    this.#batch ??= { machines: new Map(), actors: new Map(), forget: new Set(), timeline: [] };
    const batch = this.#batch;
    if (update.type === 'machine') batch.machines.set(update.machine.key, update.machine);
    else if (update.type === 'actor') batch.actors.set(update.actor.id, update.actor);
    else if (update.type === 'forget') {
      batch.actors.delete(update.id);
      batch.forget.add(update.id);
    } else {
      batch.timeline.push(update.entry);
      if (batch.timeline.length > TIMELINE) batch.timeline.shift(); // the page keeps no more
    }
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), BATCH_MS);
      this.#timer.unref?.(); // a page's next batch never keeps the program alive
    }
  }

  #flush(): void {
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = undefined;
    if (batch === undefined || this.#lagging) return;
    this.write({
      type: 'batch',
      machines: [...batch.machines.values()],
      actors: [...batch.actors.values()],
      forget: [...batch.forget],
      timeline: batch.timeline,
    });
  }

  /** Writes one message now. */
  write(message: { type: string; [key: string]: unknown }): void {
    try {
      this.response.write(`data: ${JSON.stringify(message)}\n\n`);
      // A message larger than the socket's buffer is normal (a reset, a busy batch); a page is behind
      // only once what waits for it outgrows that.
      if (this.response.writableLength > BEHIND) {
        this.#lagging = true;
        this.#batch = undefined;
        this.response.once('drain', () => {
          this.#lagging = false;
          this.write(this.reset());
        });
      }
    } catch {
      // a client that cannot take it is closed by its own 'close' event
    }
  }

  end(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.response.end();
  }
}

export type Reset = { type: 'reset'; [key: string]: unknown };

export async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  tracker: Tracker,
  clients: Set<Client>,
  state: { closed: boolean },
): Promise<void> {
  // A page from another site that rebinds its name to 127.0.0.1 would send its own Host: refused.
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  if (host !== '127.0.0.1' && host !== 'localhost') {
    response.writeHead(403, { 'content-type': 'text/plain' }).end('this server answers for 127.0.0.1 only');
    return;
  }
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  if (request.method !== 'GET') {
    response.writeHead(405, { 'content-type': 'text/plain', allow: 'GET' }).end('only GET');
    return;
  }
  const file = FILES[path];
  if (file) {
    const body = await readFile(new URL(file[0], PAGE));
    response.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(body);
    return;
  }
  if (path === '/api/events') {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.flushHeaders(); // the page knows at once that it is connected
    await tracker.settled();
    // The visualizer may have closed while the machines were being laid out.
    if (state.closed) {
      response.end();
      return;
    }
    const reset = (): Reset => ({
      type: 'reset',
      seq: tracker.seq,
      machines: [...tracker.machines.values()],
      actors: [...tracker.actors.values()],
      timeline: tracker.timeline,
    });
    const client = new Client(response, reset);
    client.write(reset());
    clients.add(client);
    // A page that goes away is forgotten; the program goes on.
    request.on('close', () => {
      clients.delete(client);
      client.end();
    });
    return;
  }
  if (path === '/api/at') {
    // Time travel: every actor as it was just after the change numbered `seq`.
    const seq = Number(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('seq'));
    const actors = Number.isInteger(seq) ? tracker.history.at(seq, tracker.actors) : undefined;
    const [status, body] = !Number.isInteger(seq)
      ? [400, { error: 'seq must be an integer: /api/at?seq=N' }]
      : actors === undefined
        ? [
            410,
            {
              error: `change ${seq} is older than the history kept (it reaches back to ${tracker.history.since})`,
            },
          ]
        : [200, { seq, actors }];
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
    return;
  }
  const exported = /^\/api\/machines\/(m\d+)\.(mmd|js)$/.exec(path);
  const machine = exported && tracker.machines.get(exported[1] as string);
  if (machine !== undefined && machine !== null && exported !== null) {
    const file = machine.id.replace(/[^\w.-]/g, '_');
    if (exported[2] === 'mmd' && machine.mermaid !== undefined) {
      response
        .writeHead(200, {
          'content-type': 'text/plain; charset=utf-8',
          'content-disposition': `attachment; filename="${file}.mmd"`,
        })
        .end(machine.mermaid);
      return;
    }
    // The machine as XState source, for Stately's editor ("Copy as XState code").
    const source = exported[2] === 'js' ? tracker.machineOf(machine.key) : undefined;
    if (source !== undefined) {
      response
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' })
        .end(toXStateCode(source));
      return;
    }
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}
