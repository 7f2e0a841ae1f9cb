import { TimeoutError as PTimeoutError } from 'p-timeout';
import {
  AbortError,
  DeadlockError,
  HandlerClosedError,
  StateDefinitionError,
  StateValidationError,
  TimeoutError,
} from '../../errors.js';
import { formatValue } from '../../formatValue.js';

/**
 * An error as it crosses to another thread. Structured cloning keeps only the built-in classes and
 * drops names and own properties, so an error travels as this record and is made again on the other
 * side: of the nearest class in its prototype chain that both sides know, with its name, message,
 * stack, cause and own properties.
 */
export interface ErrorRecord {
  /** The nearest known class: a built-in error class, `DOMException`, or one of greenstate's. */
  readonly type: string;
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Present when the error had a cause. */
  readonly cause?: SerializedError;
  /** An `AggregateError`'s errors. */
  readonly errors?: readonly SerializedError[];
  /** Its own enumerable properties (`code`, `timeout`, …) that can be cloned, errors aside. */
  readonly props: Readonly<Record<string, unknown>>;
  /** Its own enumerable properties that hold errors. */
  readonly errorProps?: Readonly<Record<string, SerializedError>>;
}

/** A thrown value as it crosses: an error's record, or any other value as it is (cloned). */
export type SerializedError =
  | readonly [kind: 'error', record: ErrorRecord]
  | readonly [kind: 'value', value: unknown];

type ErrorClass = abstract new (...args: never[]) => Error;

/** The classes an error is made again as, by the name `type` gives them. */
const CLASSES: Readonly<Record<string, ErrorClass>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
  ...(typeof DOMException === 'function' && { DOMException: DOMException as unknown as ErrorClass }),
  'p-timeout TimeoutError': PTimeoutError,
  TimeoutError,
  HandlerClosedError,
  DeadlockError,
  AbortError,
  StateValidationError,
  StateDefinitionError,
};

/** Each known class's prototype, with its `type`. */
const TYPES = new Map<object, string>(
  Object.entries(CLASSES).map(([type, ErrorClass]) => [ErrorClass.prototype, type]),
);

/** Read separately, not as properties. */
const OWN = new Set(['message', 'stack', 'cause', 'errors']);

/** How deep causes and errors inside errors are followed. */
const DEPTH = 8;

/**
 * A thrown value made ready to cross to another thread: an error becomes its record; any other value
 * stays as it is if it can be cloned, else it becomes its description. Never throws.
 */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  const type = depth < DEPTH ? typeOf(thrown) : undefined;
  if (type === undefined) return ['value', cloneable(thrown) ? thrown : formatValue(thrown)];
  const error = thrown as Error;
  const props: Record<string, unknown> = {};
  let errorProps: Record<string, SerializedError> | undefined;
  for (const key of keysOf(error)) {
    if (OWN.has(key)) continue;
    const value = read(error, key);
    if (typeOf(value) !== undefined) {
      errorProps ??= {};
      errorProps[key] = serializeError(value, depth + 1);
    } else if (cloneable(value)) props[key] = value;
  }
  const name = read(error, 'name');
  const message = read(error, 'message');
  const stack = read(error, 'stack');
  const errors = type === 'AggregateError' ? read(error, 'errors') : undefined;
  return [
    'error',
    {
      type,
      name: typeof name === 'string' ? name : type,
      message: typeof message === 'string' ? message : formatValue(message),
      stack: typeof stack === 'string' ? stack : undefined,
      ...(hasCause(error) && { cause: serializeError(read(error, 'cause'), depth + 1) }),
      ...(Array.isArray(errors) && { errors: errors.map((item) => serializeError(item, depth + 1)) }),
      props,
      ...(errorProps !== undefined && { errorProps }),
    },
  ];
}

/** The value `serializeError` was given, made again on this side (an error of the same class, name, …). */
export function deserializeError(serialized: SerializedError): unknown {
  if (!Array.isArray(serialized) || serialized[0] !== 'error') return serialized?.[1];
  const record = serialized[1];
  const ErrorClass = CLASSES[record.type] ?? Error;
  const options = record.cause === undefined ? undefined : { cause: deserializeError(record.cause) };
  let error: Error;
  if (ErrorClass === CLASSES.DOMException) {
    error = new DOMException(record.message, record.name);
  } else if (ErrorClass === AggregateError) {
    const errors = (record.errors ?? []).map((item) => deserializeError(item));
    error = Reflect.construct(AggregateError, [errors, record.message, options], ErrorClass);
  } else {
    // Made as a plain Error of that class, without running its constructor (which may take other
    // arguments, or build its own message): its fields are its own properties, set below.
    error = Reflect.construct(Error, [record.message, options], ErrorClass);
  }
  const props = { ...record.props };
  for (const [key, value] of Object.entries(record.errorProps ?? {})) props[key] = deserializeError(value);
  for (const [key, value] of Object.entries(props))
    Object.defineProperty(error, key, { value, writable: true, enumerable: true, configurable: true });
  if (error.name !== record.name) define(error, 'name', record.name);
  if (record.stack !== undefined) define(error, 'stack', record.stack);
  return error;
}

/** The nearest known class of an error (`undefined` if the value is not one). */
function typeOf(value: unknown): string | undefined {
  if (!(value instanceof Error)) return undefined;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const type = TYPES.get(proto);
    if (type !== undefined) return type;
  }
  return 'Error';
}

function keysOf(error: Error): string[] {
  try {
    return Object.keys(error);
  } catch {
    return []; // a revoked proxy, say
  }
}

function hasCause(error: Error): boolean {
  try {
    return 'cause' in error;
  } catch {
    return false;
  }
}

/** A property as it reads, or its description if reading it throws (a hostile getter). */
function read(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch (error) {
    return `(reading ${key} threw ${formatValue(error instanceof Error ? error.message : error)})`;
  }
}

function cloneable(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
    return typeof value !== 'symbol';
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function define(error: Error, key: string, value: unknown): void {
  Object.defineProperty(error, key, { value, writable: true, enumerable: false, configurable: true });
}
