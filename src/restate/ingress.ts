import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { deserializeError, type SerializedError } from '../calls/remote/serializeError.js';
import { formatValue } from '../formatValue.js';
import { RestateCallError } from './RestateCallError.js';
import { ERROR_METADATA } from './wire.js';

// Requests to Restate's HTTP ingress, and what its answers mean, for the clients of served objects.

/** What a request is for, as its errors name it: the object (`Counter/c1`) and the handler. */
export interface Target {
  readonly handler: string;
  readonly method: string;
}

/** An answer of the ingress, read whole. */
export interface Answer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
}

/** What a request sends. */
export interface IngressRequest {
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/**
 * One request, over Node's own HTTP client: an answer may take as long as the call it waits for (`fetch`
 * gives up on headers after 5 minutes). Failing to reach the ingress is a `RestateCallError` (status 0)
 * naming the call; an abort rejects with the signal's reason.
 */
export function request(target: Target, url: string, init: IngressRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { signal, body } = init;
    const fail = (error: unknown) =>
      reject(
        signal?.aborted
          ? signal.reason
          : new RestateCallError(
              `${target.handler}.${target.method}(): the Restate ingress at ${url} could not be reached.`,
              { status: 0, handler: target.handler, method: target.method, cause: error },
            ),
      );
    const send = /^https:/i.test(url) ? httpsRequest : httpRequest;
    const headers = {
      ...init.headers,
      ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }),
    };
    const req = send(
      url,
      { method: init.method ?? 'GET', headers, ...(signal && { signal }) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          resolve({
            status,
            ok: status >= 200 && status < 300,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** The JSON value an answer carries (`undefined` for an empty one), or its failure, thrown. */
export function answerOf(target: Target, answer: Answer): unknown {
  if (!answer.ok) throw failureOf(target, answer);
  return answer.text === '' ? undefined : JSON.parse(answer.text);
}

/** The error a failed answer carries: the method's own (class, message, fields), or Restate's. */
export function failureOf(target: Target, answer: Answer): unknown {
  let failure: { message?: unknown; metadata?: Record<string, unknown> };
  try {
    failure = JSON.parse(answer.text) as typeof failure;
  } catch {
    failure = { message: answer.text };
  }
  const record = failure?.metadata?.[ERROR_METADATA];
  if (typeof record === 'string') return deserializeError(JSON.parse(record) as SerializedError);
  const said =
    typeof failure?.message === 'string' && failure.message !== ''
      ? failure.message
      : `HTTP ${answer.status}`;
  return new RestateCallError(`${target.handler}.${target.method}() failed in Restate: ${said}`, {
    status: answer.status,
    handler: target.handler,
    method: target.method,
  });
}

/**
 * `value` as the JSON of a request, refusing what JSON would lose or cannot hold (a function, a symbol,
 * a BigInt, a cycle) with a TypeError naming the call.
 */
export function jsonBody(target: Target, value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'function' || typeof item === 'symbol')
        throw new TypeError(`${formatValue(item)} is not JSON`);
      return item;
    });
  } catch (error) {
    throw new TypeError(
      `${target.handler}.${target.method}() was given arguments that are not JSON (${formatValue(value)}): calls through Restate carry JSON.`,
      { cause: error },
    );
  }
}

/** Keys that a URL path cannot carry as they are (`.` and `..` are path steps). */
export function checkKey(key: unknown, who: string): asserts key is string {
  if (typeof key !== 'string' || key === '' || key === '.' || key === '..') {
    throw new TypeError(
      `${who} takes the object's key as a non-empty string other than "." and "..", got ${formatValue(key)}.`,
    );
  }
}
