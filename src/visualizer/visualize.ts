import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { machineOf } from 'greenstate';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { loadElk } from './loadElk.js';
import { type Client, serve } from './server.js';
import { Tracker } from './Tracker.js';
import type { TimelineEntry } from './views.js';

export type { ActorView, CallView, HandlerView, MachineView, TimelineEntry } from './views.js';

/**
 * Options of `visualize`.
 *
 * @example
 * ```ts
 * import { visualize, type VisualizeOptions } from 'greenstate/visualizer';
 * const options: VisualizeOptions = { port: 4400 };
 * ```
 */
export interface VisualizeOptions {
  /** The port on 127.0.0.1 (default 0: any free port). */
  port?: number;
}

/**
 * A running visualizer: a page on 127.0.0.1 that draws machines and follows actors live.
 *
 * @example
 * ```ts
 * import { visualize } from 'greenstate/visualizer';
 * const viz = await visualize({ port: 4400 });
 * console.log(`open ${viz.url}`);
 * ```
 */
export interface Visualizer {
  /** The page's address, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** An XState inspection observer: pass it as `inspect` to handlers, `defineStates` and `createActor`. */
  readonly inspect: (event: InspectionEvent) => void;
  /**
   * Draws and follows a handler, a state graph (`defineStates`), a run, a class with `@state` methods,
   * an XState machine or an actor. Throws a `TypeError` for anything else.
   */
  add(target: unknown): void;
  /** The latest transitions and calls, oldest first. */
  readonly timeline: readonly TimelineEntry[];
  /** Calls `listener` with each new transition or call; returns the function that stops it. */
  onTimeline(listener: (entry: TimelineEntry) => void): () => void;
  /** Stops the server (the watched program goes on). */
  close(): Promise<void>;
}

/**
 * Starts the live visualizer: a small HTTP server on 127.0.0.1 serving a page that draws every machine
 * it is given and follows running actors through XState inspection events (sent to the page as
 * server-sent events). The page needs no internet.
 *
 * @example
 * ```ts
 * import { defineStates } from 'greenstate';
 * import { visualize } from 'greenstate/visualizer';
 *
 * const viz = await visualize();
 * const graph = defineStates({ idle: () => {} }, { inspect: viz.inspect });
 * graph.idle();
 * console.log(`see it at ${viz.url}`);
 * ```
 */
export async function visualize(options: VisualizeOptions = {}): Promise<Visualizer> {
  // The visualizer uses greenstate's public API only, so it checks its one option itself.
  if (typeof options !== 'object' || options === null || Object.keys(options).some((key) => key !== 'port')) {
    throw new TypeError(
      `visualize(options) takes an options object { port }, got ${JSON.stringify(options)}.`,
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`visualize(options): port must be an integer from 0 to 65535, got ${String(port)}.`);
  }
  await loadElk(); // fails here, saying how to install it, if the optional elkjs is missing
  const tracker = new Tracker();
  const clients = new Set<Client>();
  /** What `add()` subscribed to: the inspection of each followed actor's system. */
  const followed = new Map<object, { unsubscribe(): void }>();
  const state = { closed: false };
  tracker.subscribe((update) => {
    for (const client of clients) client.send(update);
  });

  const server = createServer((request, response) => {
    serve(request, response, tracker, clients, state).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => console.error('greenstate visualizer: server error:', error));
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}/`,
    inspect: tracker.inspect,
    timeline: tracker.timeline,
    add: (target) => {
      if (state.closed) throw new Error('visualize().add: this visualizer is closed.');
      add(tracker, target, followed);
    },
    onTimeline(listener) {
      return tracker.subscribe((update) => {
        if (update.type === 'timeline') listener(update.entry);
      });
    },
    async close() {
      if (state.closed) return;
      state.closed = true;
      tracker.close();
      for (const subscription of followed.values()) subscription.unsubscribe();
      followed.clear();
      for (const client of clients) client.end();
      clients.clear();
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closing;
    },
  };
}

function add(tracker: Tracker, target: unknown, followed: Map<object, { unsubscribe(): void }>): void {
  const t = target as Record<string, unknown> | null;
  if (typeof t === 'function' && typeof (t as { prototype?: unknown }).prototype === 'object') {
    tracker.addMachine(machineOf(t as unknown as abstract new () => object)); // a class with @state methods
    return;
  }
  if (typeof t !== 'object' || t === null) throw notAddable(target);
  const actor = isActor(t.ref) ? t.ref : isActor(t.actor) ? t.actor : isActor(t) ? t : undefined; // handler, run
  if (actor !== undefined) {
    follow(tracker, actor, followed);
    return;
  }
  if (typeof t.start === 'function' && typeof t.machine === 'object' && t.machine !== null) {
    tracker.addMachine(t.machine); // a state graph
    return;
  }
  if (typeof t.toJSON === 'function' && typeof t.root === 'object') {
    tracker.addMachine(t); // an XState machine
    return;
  }
  throw notAddable(target);
}

function notAddable(target: unknown): TypeError {
  let shown: string;
  try {
    shown = typeof target === 'object' && target !== null ? JSON.stringify(target) : String(target);
  } catch {
    shown = String(target);
  }
  return new TypeError(
    `visualize().add takes a handler, a state graph, a run, a class with @state methods, an XState machine or an actor; got ${shown}.`,
  );
}

function isActor(value: unknown): value is AnyActorRef {
  const v = value as Partial<AnyActorRef> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.getSnapshot === 'function' && typeof v.send === 'function'
  );
}

/**
 * Follows an actor from now on: its current snapshot, then its system's inspection events (subscribed
 * once per system; the tracker ignores an event it has seen through another subscription).
 */
function follow(tracker: Tracker, actor: AnyActorRef, followed: Map<object, { unsubscribe(): void }>): void {
  const snapshot = actor.getSnapshot() as { machine?: object };
  if (snapshot?.machine === undefined) throw notAddable(actor);
  tracker.addMachine(snapshot.machine);
  tracker.snapshot(actor, snapshot, 'greenstate.follow');
  if (!followed.has(actor.system)) followed.set(actor.system, actor.system.inspect(tracker.inspect));
}
