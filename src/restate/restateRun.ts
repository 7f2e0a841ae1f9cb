import type { AnyStateMachine, InputFrom, OutputFrom, StateValueFrom } from 'xstate';
import { deserializeError, type SerializedError } from '../calls/remote/serializeError.js';
import { checkOptions, is } from '../checkOptions.js';
import { formatValue } from '../formatValue.js';
import type { StatesMachine } from '../states/runTypes.js';
import { type Answer, answerOf, checkKey, jsonBody, request, type Target } from './ingress.js';
import { RestateCallError } from './RestateCallError.js';
import { RUN_ERROR } from './wire.js';

type MachineOf<T> = T extends { readonly machine: infer M extends AnyStateMachine }
  ? M
  : T extends AnyStateMachine
    ? T
    : StatesMachine;
type ArgsOf<T> =
  NonNullable<InputFrom<MachineOf<T>>> extends { readonly args?: infer A extends readonly unknown[] }
    ? A
    : readonly unknown[];

/**
 * A durable run as its client reads it: its status, its current state and that state's arguments,
 * and its output once done (or its error once failed).
 *
 * @example
 * ```ts
 * import type { RestateRunSnapshot } from 'greenstate/restate';
 * const describe = (s: RestateRunSnapshot) => (s.status === 'done' ? `done: ${String(s.output)}` : s.state);
 * ```
 */
export interface RestateRunSnapshot<TOutput = unknown, TState = string> {
  readonly status: 'active' | 'done' | 'error' | 'stopped';
  readonly state: TState;
  readonly args: readonly unknown[];
  readonly output?: TOutput;
  readonly error?: unknown;
}

/**
 * One durable run served by `restateStates`, as a client drives it: start it, read it, send it a
 * transition, wait for its output.
 *
 * @example
 * ```ts
 * import { restateRun, type RestateRun } from 'greenstate/restate';
 * import type { plant } from './plant.js';
 * const run: RestateRun<typeof plant> = restateRun<typeof plant>(ingress, 'fern', { name: 'plant' });
 * ```
 */
export interface RestateRun<TGraph> {
  /** `name/key`, as errors name it. */
  readonly name: string;
  /**
   * Starts the run in the state it was served to start in (again, if it had run before), with that
   * state's arguments (typed as any state's: the machine's input).
   */
  start(
    ...args: ArgsOf<TGraph>
  ): Promise<RestateRunSnapshot<OutputFrom<MachineOf<TGraph>>, StateValueFrom<MachineOf<TGraph>>>>;
  /** The run as it is now. */
  snapshot(): Promise<RestateRunSnapshot<OutputFrom<MachineOf<TGraph>>, StateValueFrom<MachineOf<TGraph>>>>;
  /** Requests the transition to `state` with `args`, as an event sent to an in-process run's actor. */
  send(
    state: string,
    ...args: unknown[]
  ): Promise<RestateRunSnapshot<OutputFrom<MachineOf<TGraph>>, StateValueFrom<MachineOf<TGraph>>>>;
  /**
   * The run's output once it is done; rejects with the error it failed with (its class, message and
   * fields), or after `timeout` milliseconds with a `RestateCallError` of status 408.
   */
  done(options?: { timeout?: number }): Promise<OutputFrom<MachineOf<TGraph>>>;
}

/**
 * Reaches the durable run `key` of a graph (or a class with `@state` methods) that `restateStates`
 * serves under `name`, through the Restate ingress at `ingress`. Name the graph's type as the type
 * parameter: `start` then takes its states' arguments and `done` resolves with the run's output type.
 *
 * @example
 * ```ts
 * import { restateRun } from 'greenstate/restate';
 * import type { plant } from './plant.js';
 * const fern = restateRun<typeof plant>('http://127.0.0.1:8080', 'fern', { name: 'plant' });
 * await fern.start(false);
 * console.log(await fern.done()); // 'withered', even if the service restarted meanwhile
 * ```
 */
export function restateRun<TGraph = unknown>(
  ingress: string | URL,
  key: string,
  options: { name: string; headers?: Record<string, string> },
): RestateRun<TGraph> {
  if (typeof ingress !== 'string' && !(ingress instanceof URL)) {
    throw new TypeError(`restateRun takes the ingress URL (http://host:8080), got ${formatValue(ingress)}.`);
  }
  checkKey(key, 'restateRun');
  checkOptions(options, OPTIONS, 'restateRun(ingress, key, options)');
  if (options?.name === undefined) {
    throw new TypeError('restateRun(ingress, key, { name }) needs the name the graph is served under.');
  }
  const name = `${options.name}/${key}`;
  const base = `${String(ingress).replace(/\/+$/, '')}/${encodeURIComponent(options.name)}/${encodeURIComponent(key)}`;
  const headers = { 'content-type': 'application/json', ...options.headers };
  const post = (method: string, body: string, signal?: AbortSignal): Promise<Answer> =>
    request({ handler: name, method }, `${base}/${method}`, {
      method: 'POST',
      headers,
      body,
      ...(signal && { signal }),
    });
  const read = async (method: string, body: string, signal?: AbortSignal) =>
    snapshotOf(answerOf({ handler: name, method }, await post(method, body, signal)));
  const run: RestateRun<unknown> = {
    name,
    start: async (...args) =>
      read('create', jsonBody({ handler: name, method: 'start' }, { input: { args } })),
    snapshot: () => read('snapshot', 'null'),
    async send(state, ...args) {
      // XState's own events (`xstate.stop`, a body's done event…) would stop or fake a run.
      if (typeof state !== 'string' || /^(xstate|restate|greenstate)\./.test(state)) {
        throw new TypeError(
          `${name}.send(state) takes the name of a state to move to, got ${formatValue(state)}.`,
        );
      }
      return read('send', jsonBody({ handler: name, method: 'send' }, { event: { type: state, args } }));
    },
    async done(options = {}) {
      checkOptions(options, { timeout: is.milliseconds }, `${name}.done(options)`);
      const target: Target = { handler: name, method: 'done' };
      const deadline =
        options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout;
      // In rounds: a round's wait ends on Restate's side, and a run started again under this key (which
      // drops what waited on the old one) is waited for by the next round.
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) {
          // The deadline passed: the run may have ended meanwhile (a short wait loses the race on Restate's side).
          const last = await run.snapshot();
          if (last.status === 'done') return last.output;
          if (last.status === 'error') throw last.error;
          throw timedOut(target, options.timeout);
        }
        const round = Math.min(left, DONE_ROUND);
        const began = Date.now();
        const answer = await post(
          'waitFor',
          JSON.stringify({ condition: 'done', timeout: Math.ceil(round) }),
        );
        if (answer.status === 408) {
          // A round that ended long before its time (not Restate's own answer): not asked again at once.
          if (Date.now() - began < round / 2)
            await new Promise((wake) => setTimeout(wake, Math.min(200, left)));
          continue;
        }
        // 412: the run ended without being done, so it failed: its snapshot holds the error.
        if (answer.status === 412) {
          const rest = deadline - Date.now();
          const signal =
            rest === Number.POSITIVE_INFINITY ? undefined : AbortSignal.timeout(Math.max(rest, 1));
          const ended = await read('snapshot', 'null', signal).catch((error: unknown) => {
            throw signal?.aborted ? timedOut(target, options.timeout) : error;
          });
          throw ended.error;
        }
        return snapshotOf(answerOf(target, answer)).output;
      }
    },
  };
  return run as RestateRun<TGraph>;
}

/** A run's snapshot from `@restatedev/xstate`'s JSON: its error, kept as its record, made again. */
function snapshotOf(json: unknown): RestateRunSnapshot {
  const s = json as {
    status: RestateRunSnapshot['status'];
    value: string;
    context?: { args?: unknown[] };
    output?: unknown;
    error?: unknown;
  };
  const error = s.error as Record<string, unknown> | undefined;
  const record = error?.[RUN_ERROR] as SerializedError | undefined;
  return {
    status: s.status,
    state: s.value,
    args: s.context?.args ?? [],
    ...(s.status === 'done' && { output: s.output }),
    ...(s.status === 'error' && { error: record === undefined ? s.error : deserializeError(record) }),
  };
}

const OPTIONS = { name: is.name, headers: is.headers };

/** How long one round of `done()` waits on Restate's side. */
const DONE_ROUND = 300_000;

function timedOut(target: Target, timeout: number | undefined): RestateCallError {
  return new RestateCallError(
    `${target.handler}.done() timed out after ${timeout} ms: the run is not done yet.`,
    {
      status: 408,
      handler: target.handler,
      method: target.method,
    },
  );
}
