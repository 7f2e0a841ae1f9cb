import { AbortError, HandlerClosedError, TimeoutError } from '../../errors.js';
import { formatValue } from '../../formatValue.js';

/**
 * The errors a remote handler makes on its own side (the handler's side makes the rest): each names the
 * handler as its side told it, and the method.
 */
export class RemoteErrors {
  constructor(readonly remote: { readonly name: string }) {}

  /** `manager.accessResources()`: how messages name a call. */
  label(method: string): string {
    return `${this.remote.name}.${method}()`;
  }

  timeout(method: string, ms: number): TimeoutError {
    return TimeoutError.of(this.remote.name, method, ms);
  }

  /** A `call` event withdrawn by its `call.cancel`, as a handler's actor answers it. */
  cancelled(method: string, id: string): AbortError {
    return new AbortError(`${this.label(method)} was cancelled (call id "${id}").`);
  }

  /** `what` happened to the call (`was pending when`, `was called after`) and `why` the connection closed. */
  closed(method: string, what: string, why: string, reason: unknown): HandlerClosedError {
    return new HandlerClosedError(
      `${this.label(method)} ${what} ${why}.`,
      reason === undefined ? undefined : { cause: reason },
    );
  }

  /** Arguments that structured cloning refused (`cause`: its `DataCloneError`). */
  notCloneable(method: string, error: unknown): TypeError {
    const detail = error instanceof Error ? ` (${sentence(error.message)})` : '';
    return new TypeError(
      `${this.label(method)}: its arguments must be structured-cloneable to cross to the handler${detail}.`,
      { cause: error },
    );
  }

  /** A result that structured cloning refused on the handler's side (`detail`: what cloning said). */
  resultNotCloneable(method: string, detail: unknown): TypeError {
    return new TypeError(
      `${this.label(method)} returned a value that cannot be structured-cloned to cross to its caller (${sentence(String(detail))}).`,
    );
  }

  /** Why a `call` event sent to the remote handler's actor cannot be sent on, if it cannot. */
  badEvent(id: unknown, method: unknown, args: unknown, used: boolean): TypeError | undefined {
    if (typeof id !== 'string')
      return new TypeError(`A call event needs a string id, got ${formatValue(id)}.`);
    if (typeof method !== 'string')
      return new TypeError(`A call event needs a method name, got ${formatValue(method)}.`);
    if (!Array.isArray(args)) {
      return new TypeError(
        `The call event "${id}" to ${this.label(method)} needs args as an array, got ${formatValue(args)}.`,
      );
    }
    if (used) {
      return new TypeError(
        `The call id "${id}" is already used by an unsettled call to ${this.remote.name}: use a new id.`,
      );
    }
    return undefined;
  }
}

/** A message as a clause inside another's parentheses: without its final period. */
function sentence(message: string): string {
  return message.endsWith('.') ? message.slice(0, -1) : message;
}
