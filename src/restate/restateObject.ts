import type { ObjectContext, ObjectSharedContext } from '@restatedev/restate-sdk';
import * as restate from '@restatedev/restate-sdk';
import type { DeferredCallHandler } from '../calls/DeferredCallHandler.js';
import { callableNames } from '../calls/isCallable.js';
import { serializeError } from '../calls/remote/serializeError.js';
import type { OnewayCallInfo } from '../calls/types.js';
import { checkOptions, is } from '../checkOptions.js';
import { formatValue } from '../formatValue.js';
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
    [CANCEL]: restate.handlers.object.shared(async (ctx: ObjectSharedContext, invocationId: string) => {
      ctx.cancel(invocationId as restate.InvocationId);
    }),
  };
  for (const method of methods) {
    handlers[method] = restate.handlers.object.exclusive(async (ctx: ObjectContext, input: unknown) => {
      const args = input === undefined || input === null ? [] : input;
      if (!Array.isArray(args)) {
        throw new restate.TerminalError(
          `${name}.${method}() takes its arguments as a JSON array, got ${formatValue(args)}.`,
          { errorCode: 400 },
        );
      }
      const handler = create(ctx.key);
      const fields = await ctx.get<Record<string, unknown>>(FIELDS);
      // Defined, not assigned: a field named like an accessor of the prototype chain (`__proto__`) stays a field.
      for (const [field, value] of Object.entries(fields ?? {}))
        Object.defineProperty(handler, field, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      try {
        const result: unknown = await (handler as unknown as Record<string, (...a: unknown[]) => unknown>)[
          method
        ]?.(...args);
        return result;
      } catch (error) {
        if (ctx.request().attemptCompletedSignal.aborted) throw error; // Restate retries this attempt
        if (ctx.request().headers.has(ONEWAY_HEADER)) report(error, { method, args, key: ctx.key });
        throw terminal(error);
      } finally {
        // What the method changed lasts, as it does in-process whether the call succeeded or failed.
        ctx.set(FIELDS, { ...handler });
        handler.close();
      }
    });
  }
  return restate.object({ name, handlers: handlers as never });
}

/** A method's error as Restate ends the invocation with it: its message, and the whole error as metadata. */
function terminal(error: unknown): restate.TerminalError {
  const message = error instanceof Error ? error.message : formatValue(error);
  let record: string;
  try {
    record = JSON.stringify(serializeError(error));
  } catch {
    record = JSON.stringify(serializeError(new Error(message)));
  }
  return new restate.TerminalError(message, { errorCode: 500, metadata: { [ERROR_METADATA]: record } });
}

const OPTIONS = { name: is.name, create: is.function, onOnewayError: is.function };
