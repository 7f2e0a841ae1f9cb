import { deserializeError, type SerializedError } from '../calls/remote/serializeError.js';
import { RestateCallError } from './RestateCallError.js';
import { ERROR_METADATA } from './wire.js';

// Requests to Restate's HTTP ingress, and what its answers mean, for the clients of served objects.

/** What a request is for, as its errors name it: the object (`Counter/c1`) and the handler. */
export interface Target {
  readonly handler: string;
  readonly method: string;
}

/** `fetch`, whose failure to reach the ingress is a `RestateCallError` (status 0) naming the call. */
export async function request(target: Target, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new RestateCallError(
      `${target.handler}.${target.method}(): the Restate ingress at ${url} could not be reached.`,
      { status: 0, handler: target.handler, method: target.method, cause: error },
    );
  }
}

/** The JSON value an answer carries (`undefined` for an empty one), or its failure, thrown. */
export async function answerOf(target: Target, response: Response): Promise<unknown> {
  if (!response.ok) throw await failureOf(target, response);
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

/** The error a failed answer carries: the method's own (class, message, fields), or Restate's. */
export async function failureOf(target: Target, response: Response): Promise<unknown> {
  const text = await response.text();
  let failure: { message?: unknown; metadata?: Record<string, unknown> };
  try {
    failure = JSON.parse(text) as typeof failure;
  } catch {
    failure = { message: text };
  }
  const record = failure?.metadata?.[ERROR_METADATA];
  if (typeof record === 'string') return deserializeError(JSON.parse(record) as SerializedError);
  const said = typeof failure?.message === 'string' ? failure.message : `HTTP ${response.status}`;
  return new RestateCallError(`${target.handler}.${target.method}() failed in Restate: ${said}`, {
    status: response.status,
    handler: target.handler,
    method: target.method,
  });
}
