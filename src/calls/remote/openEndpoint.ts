import { formatValue } from '../../formatValue.js';

// biome-ignore lint/suspicious/noExplicitAny: listeners of any endpoint's own event types
type Listener = (event: any) => void;

/**
 * Where a handler is served and reached: anything with `postMessage` and message events, in either
 * style — `addEventListener('message', …)` with `event.data` (a `MessagePort`, a `BroadcastChannel`, a
 * browser `Worker`, `worker_threads`' `parentPort`), or Node's `on('message', data)` (a `worker_threads`
 * `Worker`).
 *
 * @example
 * ```ts
 * import { connectHandler, type Endpoint } from 'greenstate';
 * import { Worker } from 'node:worker_threads';
 * const endpoint: Endpoint = new Worker(new URL('./manager.worker.js', import.meta.url));
 * const manager = connectHandler(endpoint);
 * ```
 */
export type Endpoint = {
  postMessage(message: unknown): void;
} & (
  | {
      addEventListener(type: string, listener: Listener): void;
      removeEventListener(type: string, listener: Listener): void;
    }
  | { on(type: string, listener: Listener): unknown; off(type: string, listener: Listener): unknown }
);

/** What an open endpoint tells its owner. */
export interface EndpointHost {
  /** A message arrived. */
  message(data: unknown): void;
  /** The endpoint can carry no more messages: `why` completes "… was pending when <why>". */
  lost(why: string, cause: unknown): void;
}

/** An endpoint listened to: `post` sends (throwing what `postMessage` throws), `close` stops listening. */
export interface OpenEndpoint {
  post(message: unknown): void;
  close(): void;
}

/**
 * Listens to `endpoint`'s messages and to whatever says it closed (`close`, a worker's `exit` and
 * `error`, `messageerror`), telling `host`. Throws a `TypeError` naming `where` if it is no endpoint.
 */
export function openEndpoint(endpoint: unknown, where: string, host: EndpointHost): OpenEndpoint {
  const target = endpoint as Record<string, unknown> | null;
  const posts = typeof target?.postMessage === 'function';
  const web =
    posts &&
    typeof target?.addEventListener === 'function' &&
    typeof target.removeEventListener === 'function';
  const node =
    posts &&
    !web &&
    typeof target?.on === 'function' &&
    (typeof target.off === 'function' || typeof target.removeListener === 'function');
  if (!web && !node) {
    throw new TypeError(
      `${where}: endpoint must be a MessagePort, a Worker, a BroadcastChannel or another object with postMessage(message) ` +
        `and message events (addEventListener('message', listener) or on('message', listener)), got ${formatValue(endpoint)}.`,
    );
  }
  const lost = (why: string) => (cause: unknown) => host.lost(why, cause);
  // Each style gets the message's data: from the event (`event.data`), or as Node's emitters give it.
  const listeners: [string, Listener][] = [
    [
      'message',
      web ? (event: { data: unknown }) => host.message(event.data) : (data: unknown) => host.message(data),
    ],
    ['messageerror', lost('a message could not be read (messageerror)')],
    [
      'error',
      web
        ? (event: { error?: unknown }) => host.lost('the worker failed', event.error ?? event)
        : lost('the worker failed'),
    ],
    ['close', () => host.lost('the endpoint closed', undefined)],
  ];
  // A worker_threads Worker's end: its thread exited (after an uncaught error, too: `error` comes first).
  if (node)
    listeners.push(['exit', (code: unknown) => host.lost(`the worker exited with code ${code}`, undefined)]);
  const e = endpoint as Record<string, (type: string, listener: Listener) => unknown> & {
    start?: () => void;
  };
  const add = web ? e.addEventListener : e.on;
  const remove = web ? e.removeEventListener : (e.off ?? e.removeListener);
  for (const [type, listener] of listeners) add?.call(endpoint, type, listener);
  if (typeof e.start === 'function') e.start.call(endpoint); // a MessagePort listened to with addEventListener
  const postMessage = e.postMessage as (message: unknown) => void;
  let open = true;
  return {
    post: (message) => postMessage.call(endpoint, message),
    close() {
      if (!open) return;
      open = false;
      for (const [type, listener] of listeners) remove?.call(endpoint, type, listener);
    },
  };
}
