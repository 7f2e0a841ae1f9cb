import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Tracker } from './Tracker.js';
import type { Update } from './views.js';

const PAGE = new URL('../../visualizer/', import.meta.url);
/** The only files the server sends: the page's own. Anything else is a 404, whatever the path says. */
const FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/**
 * One page's event stream. A page that reads slower than updates come is not buffered without bound:
 * while its socket is full, updates are dropped, and once it drains it gets the whole picture afresh.
 */
export class Client {
  #lagging = false;

  constructor(
    readonly response: ServerResponse,
    readonly reset: () => Reset,
  ) {}

  send(update: Update | Reset): void {
    if (this.#lagging) return;
    try {
      if (!this.response.write(`data: ${JSON.stringify(update)}\n\n`)) {
        this.#lagging = true;
        this.response.once('drain', () => {
          this.#lagging = false;
          this.send(this.reset());
        });
      }
    } catch {
      // a client that cannot take it is closed by its own 'close' event
    }
  }

  end(): void {
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
      machines: [...tracker.machines.values()],
      actors: [...tracker.actors.values()],
      timeline: tracker.timeline,
    });
    const client = new Client(response, reset);
    client.send(reset());
    clients.add(client);
    // A page that goes away is forgotten; the program goes on.
    request.on('close', () => clients.delete(client));
    return;
  }
  const mermaid = /^\/api\/machines\/(m\d+)\.mmd$/.exec(path);
  const machine = mermaid && tracker.machines.get(mermaid[1] as string);
  if (machine?.mermaid !== undefined) {
    response
      .writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': `attachment; filename="${machine.id.replace(/[^\w.-]/g, '_')}.mmd"`,
      })
      .end(machine.mermaid);
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}
