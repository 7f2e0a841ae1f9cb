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

type Message = { type: string; [key: string]: unknown };

/** The first server-sent messages of /api/events, until `until` is true of them. */
export async function events(url: string, until: (messages: Message[]) => boolean): Promise<Message[]> {
  const page = stream(url);
  await page.untilAll(until);
  page.close();
  return page.messages;
}

/** An open /api/events stream: the messages so far, and waits for what they come to. */
export function stream(url: string) {
  const { port } = new URL(url);
  const messages: Message[] = [];
  const waiting = new Set<() => void>();
  let failed: unknown;
  const wakeAll = () => {
    for (const wake of waiting) wake();
  };
  const req = request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        messages.push(JSON.parse(buffer.slice(6, end)));
        buffer = buffer.slice(end + 2);
      }
      wakeAll();
    });
  });
  req.on('error', (error) => {
    failed = error;
    wakeAll();
  });
  req.end();
  /** Resolves once `until` is true of the messages so far (rejects if the stream fails first). */
  const untilAll = (until: (all: Message[]) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (failed !== undefined) reject(failed);
        else if (!until(messages)) return;
        else resolve();
        waiting.delete(check);
      };
      waiting.add(check);
      check();
    });
  return {
    messages,
    untilAll,
    /** Resolves once some message is one that `until` is true of. */
    until: (until: (message: Message) => boolean) => untilAll((all) => all.some(until)),
    close: () => req.destroy(),
  };
}
