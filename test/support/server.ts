// Talking to the visualizer's server as a page would, over raw HTTP.
import { request } from 'node:http';

/** A raw GET, so that paths reach the server exactly as written (no URL normalization). */
export function get(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first server-sent messages of /api/events, until `until` is true of them. */
export function events(
  url: string,
  until: (messages: { type: string; [key: string]: unknown }[]) => boolean,
) {
  const { port } = new URL(url);
  return new Promise<{ type: string; [key: string]: unknown }[]>((resolve, reject) => {
    const messages: { type: string; [key: string]: unknown }[] = [];
    const req = request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          messages.push(JSON.parse(buffer.slice(6, end)));
          buffer = buffer.slice(end + 2);
        }
        if (until(messages)) {
          req.destroy();
          resolve(messages);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** An open /api/events stream: the messages so far, and a wait for one that `until` is true of. */
export function stream(url: string) {
  const { port } = new URL(url);
  const messages: { type: string; [key: string]: unknown }[] = [];
  const waiting = new Set<() => void>();
  const req = request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        messages.push(JSON.parse(buffer.slice(6, end)));
        buffer = buffer.slice(end + 2);
      }
      for (const wake of waiting) wake();
    });
  });
  req.on('error', () => {});
  req.end();
  return {
    messages,
    /** Resolves once some message is one that `until` is true of. */
    until(until: (message: { type: string; [key: string]: unknown }) => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!messages.some(until)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      });
    },
    close: () => req.destroy(),
  };
}
