import { AbortError, DeadlockError, HandlerClosedError, QueueFullError, TimeoutError } from '../errors.js';
import { formatValue } from '../formatValue.js';
import { callableNames } from './isCallable.js';
import type { OnewayCallInfo } from './types.js';

/** A method name as messages show it, whatever a protocol event carried. */
export function nameOf(method: unknown): string {
  return typeof method === 'string' ? method : formatValue(method);
}

/** The errors one handler reports, each naming the handler, the method, and what to do instead. */
export class HandlerErrors {
  constructor(
    readonly name: string,
    readonly className: string,
    readonly target: object,
    /** Where failed oneway calls go (the handler's option), if not to stderr. */
    readonly onOnewayError: ((error: unknown, call: OnewayCallInfo) => void) | undefined = undefined,
  ) {}

  /** Tells the handler's `onOnewayError` (returning what it returns: a promise is watched), or stderr. */
  onewayFailed(error: unknown, call: OnewayCallInfo): unknown {
    if (this.onOnewayError !== undefined) return this.onOnewayError(error, call);
    console.error(`${this.label(call.method)} failed in a oneway call:`, error);
    return undefined;
  }

  /** `manager.resource()`: how messages name a call. */
  label(method: string): string {
    return `${this.name}.${method}()`;
  }

  timeout(method: string, ms: number): TimeoutError {
    return TimeoutError.of(this.name, method, ms);
  }

  queueFull(method: string, maxPending: number): QueueFullError {
    return new QueueFullError(
      `${this.label(method)} was refused: ${this.name}'s queue holds ${maxPending} calls, its maxPending. ` +
        `Wait for room with await ${this.name}.ready() before calling, or raise maxPending.`,
      { handler: this.name, method, maxPending },
    );
  }

  /** A sync call that would close a cycle of handlers waiting on each other (`cycle`: the calls on it). */
  cycle(method: string, cycle: readonly string[]): DeadlockError {
    const path = [...cycle, `${this.name}.${method}`].join(' → ');
    return new DeadlockError(
      `${this.label(method)} was called through sync from inside ${cycle.at(-1)}(), which would close a cycle ` +
        `of handlers waiting on each other: ${path}. None of them could go on. Use oneway for one of these ` +
        'calls, or let one of them finish before the other is made.',
    );
  }

  cancelled(method: string, id: string): AbortError {
    return new AbortError(`${this.label(method)} was cancelled (call id "${id}").`);
  }

  deadlock(method: string, running: string | undefined): DeadlockError {
    return new DeadlockError(
      `${this.label(method)} was called through sync from inside ${this.label(running ?? '?')}, ` +
        'which the handler is still running: the call could only wait for itself. Use oneway, or call the ' +
        'method directly.',
    );
  }

  /** `reason` (the one given to `close(reason)`) becomes the error's cause. */
  closed(method: string, what: string, reason: unknown): HandlerClosedError {
    return new HandlerClosedError(
      `${this.label(method)} ${what}.`,
      reason === undefined ? undefined : { cause: reason },
    );
  }

  unknownMethod(method: unknown): TypeError {
    const who = this.name === this.className ? this.className : `${this.className} "${this.name}"`;
    const known = callableNames(this.target);
    const hint = known.length > 0 ? `its methods are ${known.join(', ')}` : 'it has no methods of its own';
    return new TypeError(
      `${formatValue(method)} is not a method of ${who} that sync or oneway can call (${hint}; the handler's own ` +
        'members such as process and close are not calls).',
    );
  }
}
