import type { ObjectContext, ObjectSharedContext } from '@restatedev/restate-sdk';
import * as restate from '@restatedev/restate-sdk';
import type { DeferredCallHandler } from '../calls/DeferredCallHandler.js';
import { callableNames } from '../calls/isCallable.js';
import type { OnewayCallInfo } from '../calls/types.js';
import { checkOptions, is } from '../checkOptions.js';
import { formatValue } from '../formatValue.js';
import { jsonError } from './jsonError.js';
import { CANCEL, ERROR_METADATA, FIELDS, ONEWAY_HEADER } from './wire.js';

/**
 * Options of `restateObject`.
 *
 * @example
 * ```ts
 * import type { RestateObjectOptions } from 'greenstate/restate';
 * import { Manager } from './manager.js';
 * const options: RestateObjectOptions<Manager> = { name: 'manager', create: (key) => new Manager({ name: key }) };
 * ```
 */
export interface RestateObjectOptions<THandler> {
  /** The virtual object's name, in the ingress URLs (default: the class's name). */
  name?: string;
  /** Makes the object that runs a call for the key `key` (default: `new Class({ name: key })`). */
  create?: (key: string) => THandler;
  /** Where errors of oneway calls go (default: `console.error`, naming the object, key and method). */
  onOnewayError?: (error: unknown, call: OnewayCallInfo & { readonly key: string }) => void;
}

type HandlerClass<THandler> = abstract new (...args: never[]) => THandler;

/**
 * Serves a `DeferredCallHandler` class as a Restate virtual object: each key is one handler object,
 * whose methods are the object's exclusive handlers, so that its calls run one at a time, in the order
 * Restate received them. The object's own fields are its durable state: kept by Restate after each call
 * and put back before the next, on whichever process runs it. Call it with `restateHandler`.
 *
 * @example
 * ```ts
 * import * as restate from '@restatedev/restate-sdk';
 * import { restateObject } from 'greenstate/restate';
 * import { Manager } from './manager.js';
 * restate.serve({ services: [restateObject(Manager, { name: 'manager' })], port: 9080 });
 * ```
 */
export function restateObject<THandler extends DeferredCallHandler>(
  Handler: HandlerClass<THandler>,
  options: RestateObjectOptions<THandler> = {},
) {
  if (typeof Handler !== 'function' || typeof Handler.prototype !== 'object') {
    throw new TypeError(`restateObject takes a DeferredCallHandler class, got ${formatValue(Handler)}.`);
  }
  checkOptions(options, OPTIONS, 'restateObject(Handler, options)');
  const name = options.name ?? (Handler.name || 'handler');
  const create =
    options.create ??
    ((key: string) => new (Handler as unknown as new (o: object) => THandler)({ name: key }));
  const methods = callableNames(Handler.prototype as object);
  if (methods.includes(CANCEL)) {
    throw new TypeError(
      `restateObject: ${name} has a method ${CANCEL}, the name its served object keeps for cancelling calls: rename it.`,
    );
  }
  const report =
    options.onOnewayError ??
    ((error: unknown, call: OnewayCallInfo & { key: string }) =>
      console.error(`greenstate: oneway call ${name}/${call.key}.${call.method}() failed:`, error));
  const handlers: Record<string, unknown> = {
    // Shared: it runs beside the call it cancels, which holds the key's exclusive lock.
    [CANCEL]: restate.handlers.object.shared(async (ctx: ObjectSharedContext, invocationId: unknown) => {
      // Checked here: Restate would refuse a malformed id, and retry this invocation for ever.
      if (typeof invocationId !== 'string' || !INVOCATION_ID.test(invocationId)) {
        throw new restate.TerminalError(
          `${name}/${ctx.key}.${CANCEL}() takes the id of the invocation to cancel ("inv_…"), got ${formatValue(invocationId)}.`,
          { errorCode: 400 },
        );
      }
      ctx.cancel(invocationId as restate.InvocationId);
    }),
  };
  for (const method of methods) {
    handlers[method] = restate.handlers.object.exclusive((ctx: ObjectContext, input: unknown) =>
      runCall(ctx, { name, method, create, report }, input),
    );
  }
  return restate.object({ name, handlers: handlers as never });
}

/**
 * One call of a served object: the object made and given its fields back, the method run, the fields
 * kept. Whatever the user's code does wrong ends the invocation with a terminal error (Restate would
 * retry any other error, forever); only a failure of this attempt itself is left to Restate to retry.
 */
async function runCall<THandler extends DeferredCallHandler>(
  ctx: ObjectContext,
  served: {
    name: string;
    method: string;
    create: (key: string) => THandler;
    report: (error: unknown, call: OnewayCallInfo & { key: string }) => void;
  },
  input: unknown,
): Promise<unknown> {
  const { name, method, create, report } = served;
  const where = `${name}/${ctx.key}.${method}()`;
  const args = input === undefined || input === null ? [] : input;
  if (!Array.isArray(args)) {
    throw new restate.TerminalError(
      `${where} takes its arguments as a JSON array, got ${formatValue(args)}.`,
      {
        errorCode: 400,
      },
    );
  }
  const fields = await ctx.get<Record<string, unknown>>(FIELDS);
  let handler: THandler | undefined;
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    handler = create(ctx.key);
    // Defined, not assigned: a field named like an accessor of the prototype chain (`__proto__`) stays a field.
    for (const [field, value] of Object.entries(fields ?? {}))
      Object.defineProperty(handler, field, { value, writable: true, enumerable: true, configurable: true });
    const value: unknown = await (handler as unknown as Record<string, (...a: unknown[]) => unknown>)[
      method
    ]?.(...args);
    outcome = { ok: true, value: json(value, () => `${where} returned a value that is not JSON`) };
  } catch (error) {
    if (ctx.request().attemptCompletedSignal.aborted) throw error; // Restate retries this attempt
    outcome = { ok: false, error };
  }
  if (handler !== undefined) {
    // What the method changed lasts, as it does in-process whether the call succeeded or failed.
    try {
      ctx.set(
        FIELDS,
        json({ ...handler }, () => `${where} left fields that are not JSON`),
      );
    } catch (error) {
      outcome = { ok: false, error };
    }
    handler.close();
  }
  if (outcome.ok) return outcome.value;
  if (ctx.request().headers.has(ONEWAY_HEADER)) report(outcome.error, { method, args, key: ctx.key });
  throw terminal(outcome.error);
}

/** `value` as JSON gives it back (what Restate will store or send), or a TypeError saying `what`. */
function json(value: unknown, what: () => string): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${what()} (${formatValue(value)}): on Restate, results and fields are JSON.`, {
      cause: error,
    });
  }
  return text === undefined ? undefined : JSON.parse(text);
}

/** A method's error as Restate ends the invocation with it: its message, and the whole error as metadata. */
function terminal(error: unknown): restate.TerminalError {
  const record = jsonError(error); // read once, guarded: a hostile error's getters cannot throw here
  const message = record[0] === 'error' ? record[1].message : formatValue(record[1]);
  return new restate.TerminalError(message, {
    errorCode: 500,
    metadata: { [ERROR_METADATA]: JSON.stringify(record) },
  });
}

/** What Restate's invocation ids look like (`inv_` and 34 characters of base 62). */
const INVOCATION_ID = /^inv_[0-9A-Za-z]{34}$/;

const OPTIONS = { name: is.name, create: is.function, onOnewayError: is.function };
