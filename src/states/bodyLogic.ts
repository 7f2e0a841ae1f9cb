import type { ActorLogic, ActorSystem, AnyActorRef, Snapshot } from 'xstate';
import { type Clock, globalClock } from '../clock.js';
import { isThenable } from '../isThenable.js';
import { Body, runningBody } from './Body.js';
import { noObjectError, targetOf } from './boundMachine.js';
import type { CheckedStates } from './checkStates.js';
import { rearmTimeout, runOnExit, takeFailedStart } from './endState.js';

/** What a body actor is started with, and keeps in its snapshot: a restored body restarts from it. */
export interface BodyInput {
  readonly state: string;
  readonly args: readonly unknown[];
}

/** Where a body actor's live snapshot keeps its body: a symbol, which no copy or JSON of it carries. */
const BODY = Symbol('greenstate.body');

/** Marks the snapshot of a body actor restored from a persisted one (its state's entry actions do not run again). */
const RESTORED = Symbol('greenstate.restored');

export type BodySnapshot = Snapshot<unknown> & {
  input: BodyInput | undefined;
  [BODY]?: Body | undefined;
  [RESTORED]?: true;
};
type BodyEvent =
  | { type: 'body.done'; output: unknown }
  | { type: 'body.error'; error: unknown }
  | { type: 'xstate.stop' };

/** Bodies started on microtasks since the event loop last had a turn. */
let burst = 0;
/** After this many, a body starts on a macrotask: timers (a deadline, a `run.stop()`) get their turn. */
const BURST = 1000;
// Taken as the module loads: fake timers installed later by tests must not hold bodies back.
const macrotask: (run: () => void) => void =
  typeof setImmediate === 'function' ? setImmediate : (run) => void setTimeout(run, 0);

/**
 * Runs `run` on the next microtask, or, after a long chain of bodies that never awaited anything else,
 * on a macrotask: a chain of synchronous transitions cannot starve the event loop.
 */
function schedule(run: () => void): void {
  if (burst === 0)
    macrotask(() => {
      burst = 0;
    });
  if (++burst <= BURST) void Promise.resolve().then(run);
  else macrotask(run);
}

/** The live body of a body actor, if it started. */
export function bodyOf(actor: AnyActorRef | undefined): Body | undefined {
  return (actor?.getSnapshot() as BodySnapshot | undefined)?.[BODY];
}

/**
 * The actor logic that runs the bodies of `graph`: like XState's `fromPromise` (it gets its input, its
 * output is the body's result, a stop makes its late result count for nothing), minus the AbortController
 * that `fromPromise` makes for every actor: a body makes its signal only if it reads it. Its snapshot is
 * plain data, `{ status, output, error, input: { state, args } }`, from which a restored run's body
 * starts again.
 */
export function bodyLogic(
  graph: CheckedStates,
  // biome-ignore lint/suspicious/noExplicitAny: XState's own default system type, named so that declarations emit
): ActorLogic<BodySnapshot, BodyEvent, BodyInput, ActorSystem<any>> {
  return {
    config: graph.where,
    getInitialSnapshot: (_scope, input) => ({
      status: 'active',
      output: undefined,
      error: undefined,
      input,
      [BODY]: undefined,
    }),
    start(snapshot, { self }) {
      const input = snapshot.input;
      const run = self._parent;
      if (snapshot.status !== 'active' || input === undefined || run === undefined) return;
      const clock = (self as { clock?: Clock }).clock ?? globalClock;
      const body = new Body(input.state, graph, run, targetOf(run), clock);
      // In the snapshot rather than a WeakMap keyed by the actor: one body per state entered, and a
      // WeakMap entry costs the garbage collector more than the rest of the body.
      snapshot[BODY] = body;
      if (snapshot[RESTORED]) rearmTimeout(graph, input.state, run);
      // One turn first: the body runs after its starter yields and after onStart (XState starts the
      // first state's actor before its entry actions), and a chain of transitions keeps a flat stack.
      schedule(() => runBody(body, input.args, self));
    },
    transition(snapshot, event) {
      if (snapshot.status !== 'active') return snapshot;
      switch (event.type) {
        case 'body.done':
          snapshot[BODY]?.end();
          return { status: 'done', output: event.output, error: undefined, input: snapshot.input };
        case 'body.error':
          snapshot[BODY]?.end();
          return { status: 'error', output: undefined, error: event.error, input: snapshot.input };
        case 'xstate.stop': {
          // A body still live as its actor stops: the run stopped (a state that ends otherwise ends its body
          // first), and XState runs no exit action then: onExit is told here, after the signal aborted.
          const body = snapshot[BODY];
          if (body !== undefined && !body.ended) {
            body.end();
            runOnExit(graph, body.state, body.target, { type: 'stop' });
          }
          return { status: 'stopped', output: undefined, error: undefined, input: snapshot.input };
        }
        default:
          return snapshot;
      }
    },
    restoreSnapshot: (persisted) => ({ ...(persisted as BodySnapshot), [RESTORED]: true }),
    getPersistedSnapshot: ({ status, output, error, input }) =>
      ({ status, output, error, input }) as BodySnapshot,
  };
}

function runBody(body: Body, args: readonly unknown[], self: AnyActorRef): void {
  // Also guards the first state when its onStart threw: XState does not stop that body's actor.
  if (body.ended || body.run.getSnapshot().status !== 'active') return;
  const spec = body.spec;
  const settle = (ok: boolean, value: unknown) => {
    if (body.ended) return; // its state ended first: a late result is ignored
    if (!ok && spec?.onError === undefined) {
      // The run fails, and XState runs no exit action then: onExit is told here, after the signal aborted.
      body.end();
      runOnExit(body.graph, body.state, body.target, { type: 'error', error: value });
    }
    self.send(ok ? { type: 'body.done', output: value } : { type: 'body.error', error: value });
  };
  // An onStart that failed, caught by the state's onError: the body fails with its error instead of running.
  const failedStart = spec?.onError === undefined ? undefined : takeFailedStart(body.run, body.state);
  if (failedStart !== undefined) {
    settle(false, failedStart.error);
    return;
  }
  let result: unknown;
  try {
    if (spec === undefined) throw new Error(`no state "${body.state}"`); // the machine enters declared states only
    if (!body.graph.methods) result = spec.body(body, ...args);
    else if (body.target === undefined) throw noObjectError(body.graph);
    // Methods tell their own calls from outside calls through the body's context.
    else result = runningBody.apply(body, spec.body as () => unknown, body.target, args);
    // Reading `then` runs user code (a getter, a revoked proxy) that may throw: it fails the run.
    if (!isThenable(result)) {
      settle(true, result);
      return;
    }
  } catch (error) {
    settle(false, error);
    return;
  }
  Promise.resolve(result).then(
    (value) => settle(true, value),
    (error: unknown) => settle(false, error),
  );
}
