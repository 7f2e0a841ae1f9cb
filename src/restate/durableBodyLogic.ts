import type { ObjectSharedContext } from '@restatedev/restate-sdk';
import type { ActorLogic, ActorSystem, AnyActorRef, Snapshot } from 'xstate';
import { deserializeError, type SerializedError } from '../calls/remote/serializeError.js';
import { isThenable } from '../isThenable.js';
import { runningBody } from '../states/Body.js';
import type { BodyInput } from '../states/bodyLogic.js';
import { noObjectError } from '../states/boundMachine.js';
import type { CheckedStates } from '../states/checkStates.js';
import { takeFailedStart } from '../states/endState.js';
import { DurableBody } from './DurableBody.js';
import { jsonError } from './jsonError.js';
import { RUN_ERROR } from './wire.js';

/**
 * What a body running on Restate ends with, as JSON: a tail call, a return, a failure, or nothing
 * (its state timed out first: the machine moved on by its own `after`).
 */
export type BodyOutcome =
  | readonly ['to', target: string, args: readonly unknown[]]
  | readonly ['return', value: unknown]
  | readonly ['error', error: SerializedError]
  | readonly ['timedOut'];

/** The events `@restatedev/xstate` sends a promise actor, and the one this logic sends itself. */
const RESOLVE = 'restate.promise.resolve';
const REJECT = 'restate.promise.reject';
const SENT = 'greenstate.body.sent';

type DurableBodySnapshot = Snapshot<unknown> & { input: BodyInput | undefined; sent: boolean };
type DurableBodyEvent =
  | { type: typeof RESOLVE; data: BodyOutcome }
  | { type: typeof REJECT; data: unknown }
  | { type: typeof SENT }
  | { type: 'xstate.stop' };

/** What `@restatedev/xstate` puts in the system of the machines it runs. */
interface RestateSystem {
  readonly ctx: ObjectSharedContext;
  readonly api: { readonly name: string };
  readonly systemName: string;
  readonly version: string;
  _relay(source: AnyActorRef | undefined, target: AnyActorRef, event: { type: string }): void;
  _register(sessionId: string, actor: AnyActorRef): string;
}

interface ActorAddress {
  readonly id: string;
  readonly sessionId: string;
  readonly _parent: ActorAddress | undefined;
}

/** An actor as `@restatedev/xstate` addresses it in its messages: ids up to the root. */
function addressOf(actor: AnyActorRef): ActorAddress {
  const parent = actor._parent;
  return { id: actor.id, sessionId: actor.sessionId, _parent: parent && addressOf(parent) };
}

/** The `src` names from `actor` up to the machine: how `@restatedev/xstate` finds the logic again. */
function sourcesOf(actor: AnyActorRef | undefined): string[] {
  const src = actor?.src;
  return typeof src === 'string' ? [src, ...sourcesOf(actor?._parent)] : [];
}

/**
 * The actor logic of the bodies of `graph` on Restate: a promise actor in `@restatedev/xstate`'s sense
 * (its `sentinel` and `config`). As its state starts, it asks for an invocation of the machine's
 * `invokePromise` handler, which Restate journals and retries until it completes; that invocation runs
 * the body (`config`) and sends its outcome back. A tail call becomes the transition event an in-process
 * body sends; a return and a failure end the actor as they do in-process.
 */
export function durableBodyLogic(
  graph: CheckedStates,
  create: (() => object) | undefined,
  // biome-ignore lint/suspicious/noExplicitAny: XState's own default system type, named so that declarations emit
): ActorLogic<DurableBodySnapshot, DurableBodyEvent, BodyInput, ActorSystem<any>> & {
  readonly sentinel: 'restate.promise.actor';
  readonly config: (params: { input: BodyInput; ctx: ObjectSharedContext }) => Promise<BodyOutcome>;
} {
  return {
    sentinel: 'restate.promise.actor',
    config: ({ input, ctx }) => runDurableBody(graph, create, input, ctx),
    getInitialSnapshot: (_scope, input) => ({
      status: 'active',
      output: undefined,
      error: undefined,
      input,
      sent: false,
    }),
    start(snapshot, { self, system }) {
      const input = snapshot.input;
      if (snapshot.status !== 'active' || snapshot.sent || input === undefined) return;
      const host = system as unknown as RestateSystem;
      // An onStart that failed, caught by the state's onError: the body fails with its error instead of running.
      const failed = self._parent && takeFailedStart(self._parent, input.state);
      if (failed !== undefined) {
        host._relay(self, self, { type: RESOLVE, data: ['error', jsonError(failed.error)] } as never);
        return;
      }
      const machine = host.ctx.objectClient(host.api as never, host.systemName) as unknown as {
        invokePromise(request: object): PromiseLike<unknown>;
      };
      // A self-transition's new body actor has its old one's id, and the system files actors by id: the
      // old one's stop, which XState defers until after this start, takes the new one out of the file.
      // Filed again once that has run (before the event's handler ends), it keeps its session id, to
      // which its outcome is addressed.
      queueMicrotask(() => host._register(self.sessionId, self));
      void machine.invokePromise({
        self: addressOf(self),
        srcs: sourcesOf(self),
        input,
        version: host.version,
      });
      // Persisted with the machine's snapshot: the next event's actor, made from it, does not ask again.
      host._relay(self, self, { type: SENT });
    },
    transition(snapshot, event, scope) {
      if (snapshot.status !== 'active') return snapshot;
      switch (event.type) {
        case SENT:
          return { ...snapshot, sent: true };
        case RESOLVE: {
          const outcome = event.data;
          if (outcome[0] === 'to') {
            const [, type, args] = outcome;
            // The same event an in-process body's tail call sends its run; the state's exit stops this actor.
            scope.defer(() => scope.self._parent?.send({ type, args }));
            return snapshot;
          }
          if (outcome[0] === 'return') return { ...snapshot, status: 'done', output: outcome[1] };
          if (outcome[0] === 'error')
            return { ...snapshot, status: 'error', error: durableError(outcome[1]) };
          return snapshot;
        }
        case REJECT:
          return { ...snapshot, status: 'error', error: event.data };
        case 'xstate.stop':
          return { ...snapshot, status: 'stopped' };
        default:
          return snapshot;
      }
    },
    getPersistedSnapshot: (snapshot) => snapshot,
    restoreSnapshot: (snapshot) => snapshot as DurableBodySnapshot,
  };
}

/**
 * Runs the body of `input.state` in an invocation of its own, to its outcome. A state with a timeout
 * ends its body when the timeout has passed (a durable sleep: a retried body keeps the deadline).
 */
async function runDurableBody(
  graph: CheckedStates,
  create: (() => object) | undefined,
  input: BodyInput,
  ctx: ObjectSharedContext,
): Promise<BodyOutcome> {
  const spec = graph.states.get(input.state);
  const target = graph.methods ? create?.() : undefined;
  const body = new DurableBody(input.state, graph, target, ctx);
  const attempt = ctx.request().attemptCompletedSignal;
  try {
    if (spec === undefined) throw new Error(`no state "${input.state}"`); // the machine enters declared states only
    if (graph.methods && target === undefined) throw noObjectError(graph);
    const args = input.args.map(revive);
    const result: unknown = graph.methods
      ? runningBody.apply(body, spec.body as () => unknown, target, args)
      : spec.body(body, ...args);
    const timeout = spec.timeout;
    const value = isThenable(result)
      ? await Promise.race([
          Promise.resolve(result),
          body.moved,
          ...(timeout ? [ctx.sleep(timeout.after).then(() => TIMED_OUT)] : []),
        ])
      : result;
    const move = body.move;
    if (move !== undefined)
      return asJson(['to', move.to, move.args], `the tail call to ${move.to} carries arguments`);
    body.end();
    return value === TIMED_OUT
      ? ['timedOut']
      : asJson(['return', value], `the body of ${input.state} returned a value`);
  } catch (error) {
    body.end();
    // This attempt ended (the service is going away): Restate retries the invocation, and the body with it.
    if (attempt.aborted) throw error;
    return ['error', jsonError(error)];
  }
}

const TIMED_OUT = Symbol('timed out');

/**
 * The outcome as it can travel (Restate sends it as JSON), or, if it cannot, the body's failure saying
 * so: an outcome that failed to send would otherwise be retried forever.
 */
function asJson(outcome: BodyOutcome, what: string): BodyOutcome {
  try {
    JSON.stringify(outcome);
    return outcome;
  } catch (error) {
    return [
      'error',
      jsonError(
        new TypeError(`${what} that is not JSON: on Restate, arguments and results are JSON.`, {
          cause: error,
        }),
      ),
    ];
  }
}

/**
 * The error a body failed with, made again, that turns back into its record in JSON: the run's
 * persisted snapshot keeps it whole, and the `onError` state's body, which gets it as its argument in
 * an invocation of its own, gets it whole too.
 */
function durableError(record: SerializedError): unknown {
  const error = deserializeError(record);
  // A thrown value that is no error is its own JSON (jsonError made it so): it needs no record.
  if (record[0] === 'error' && typeof error === 'object' && error !== null) {
    Object.defineProperty(error, 'toJSON', { value: () => ({ [RUN_ERROR]: record }), configurable: true });
  }
  return error;
}

/** An argument as a body gets it: an error kept as its record is made again. */
function revive(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return arg;
  const keys = Object.keys(arg);
  return keys.length === 1 && keys[0] === RUN_ERROR
    ? durableError((arg as Record<string, SerializedError>)[RUN_ERROR] as SerializedError)
    : arg;
}
