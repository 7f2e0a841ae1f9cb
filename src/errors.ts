import { TimeoutError as PTimeoutError } from 'p-timeout';

/**
 * A sync call's deadline passed before it settled. A call still queued at that moment is withdrawn and
 * never runs; a running one has its `currentCall.signal` aborted and its result discarded. It extends
 * p-timeout's `TimeoutError`, so one `instanceof` catches deadlines from greenstate, p-timeout and
 * p-queue alike.
 *
 * @example
 * ```ts
 * import { TimeoutError } from 'greenstate';
 * try {
 *   await manager.sync({ timeout: 100 }).resource();
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.log(`${error.handler}.${error.method}() took over ${error.timeout} ms`);
 * }
 * ```
 */
export class TimeoutError extends PTimeoutError {
  /** The handler whose call timed out. */
  readonly handler: string | undefined;
  readonly method: string | undefined;
  /** The deadline, in milliseconds. */
  readonly timeout: number | undefined;

  constructor(
    message: string,
    options?: ErrorOptions & { handler?: string; method?: string; timeout?: number },
  ) {
    super(message, options);
    this.handler = options?.handler;
    this.method = options?.method;
    this.timeout = options?.timeout;
  }

  /** The error of the call `handler.method()` whose deadline of `ms` milliseconds passed. */
  static of(handler: string, method: string, ms: number): TimeoutError {
    return new TimeoutError(`${handler}.${method}() timed out after ${ms} ms`, {
      handler,
      method,
      timeout: ms,
    });
  }
}

/**
 * A call made while its handler's queue held `maxPending` calls already: a oneway call throws it, a sync
 * call rejects with it, a protocol call gets it in its reply. Nothing is dropped silently.
 *
 * @example
 * ```ts
 * import { DeferredCallHandler, QueueFullError } from 'greenstate';
 * class Sink extends DeferredCallHandler { put(n: number) {} }
 * const sink = new Sink({ maxPending: 1 });
 * sink.oneway.put(1);
 * try {
 *   sink.oneway.put(2);
 * } catch (error) {
 *   if (error instanceof QueueFullError) await sink.ready(); // then send again
 * }
 * ```
 */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
  /** The handler whose queue was full. */
  readonly handler: string;
  readonly method: string;
  /** The bound: how many calls may wait. */
  readonly maxPending: number;

  constructor(
    message: string,
    options: ErrorOptions & { handler: string; method: string; maxPending: number },
  ) {
    super(message, options);
    this.handler = options.handler;
    this.method = options.method;
    this.maxPending = options.maxPending;
  }
}

/**
 * The handler was closed before the call finished, or the call was made after `close()`.
 * `cause` is the reason given to `close(reason)`.
 *
 * @example
 * ```ts
 * import { HandlerClosedError } from 'greenstate';
 * manager.close('shutting down');
 * await manager.sync.resource().catch((error) => error instanceof HandlerClosedError); // true
 * ```
 */
export class HandlerClosedError extends Error {
  override name = 'HandlerClosedError';
}

/**
 * A sync call that could only wait for itself: made to a handler from inside a call that the same
 * handler is still running. It rejects at once instead of hanging.
 *
 * @example
 * ```ts
 * import { DeadlockError, DeferredCallHandler } from 'greenstate';
 * class Loop extends DeferredCallHandler {
 *   async outer() {
 *     await this.sync.inner(); // rejects with DeadlockError: use this.oneway or call this.inner() directly
 *   }
 *   inner() {}
 * }
 * ```
 */
export class DeadlockError extends Error {
  override name = 'DeadlockError';
}

/**
 * A call withdrawn by a `call.cancel` event before it finished (the error reply of that call).
 *
 * @example
 * ```ts
 * import { AbortError } from 'greenstate';
 * manager.ref.on('call.reply', (reply) => {
 *   if (!reply.ok && reply.error instanceof AbortError) console.log(`${reply.id} was cancelled`);
 * });
 * ```
 */
export class AbortError extends Error {
  override name = 'AbortError';
}

/**
 * A transition that the current state does not declare in its `transitionsTo`.
 * Thrown synchronously where the transition was requested; the state goes on unless the error escapes.
 * Its message begins as gevent_async's does, then names the targets the state allows.
 *
 * @example
 * ```ts
 * import { StateValidationError } from 'greenstate';
 * const error = new StateValidationError('idle', 'done', { allowed: ['running'] });
 * console.log(error.message); // "Invalid state transition idle -> done (idle may go to: running)"
 * ```
 */
export class StateValidationError extends Error {
  override name = 'StateValidationError';
  readonly from: string;
  readonly to: string;
  /** The targets `from` lists in its `transitionsTo`, when known. */
  readonly allowed: readonly string[] | undefined;

  constructor(from: string, to: string, options?: ErrorOptions & { allowed?: readonly string[] }) {
    const allowed = options?.allowed;
    const hint =
      allowed === undefined
        ? ''
        : allowed.length === 0
          ? ` (${from} lists no transitionsTo: it can only end)`
          : ` (${from} may go to: ${allowed.join(', ')})`;
    super(`Invalid state transition ${from} -> ${to}${hint}`, options);
    this.from = from;
    this.to = to;
    this.allowed = allowed;
  }
}

/**
 * The name gevent_async uses for {@link StateValidationError}: the very same class.
 *
 * @example
 * ```ts
 * import { StateValidationError, ValidationError } from 'greenstate';
 * console.log(ValidationError === StateValidationError); // true
 * ```
 */
export const ValidationError = StateValidationError;
/** The type of {@link ValidationError}. */
export type ValidationError = StateValidationError;

/**
 * A state graph that cannot work: no states, a `transitionsTo` naming no state, a reserved or malformed
 * state name, or (with `unreachable: 'error'`) a state no run can reach from the first one.
 *
 * @example
 * ```ts
 * import { defineStates, StateDefinitionError } from 'greenstate';
 * try {
 *   defineStates({ idle: { transitionsTo: 'runing', body: () => {} }, running: () => {} });
 * } catch (error) {
 *   console.log(error instanceof StateDefinitionError); // true: 'runing' is no state (did you mean 'running'?)
 * }
 * ```
 */
export class StateDefinitionError extends Error {
  override name = 'StateDefinitionError';
}
