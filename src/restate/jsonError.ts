import { type ErrorRecord, type SerializedError, serializeError } from '../calls/remote/serializeError.js';
import { formatValue } from '../formatValue.js';

/**
 * A thrown value as JSON can carry it (Restate stores and sends JSON): `serializeError`'s record, less
 * what JSON cannot hold (a field that is a BigInt, a cycle, a Map…), which is dropped, as its cause or
 * its errors would be; a thrown value that is not JSON becomes its description. Never throws.
 */
export function jsonError(thrown: unknown): SerializedError {
  return jsonRecord(serializeError(thrown));
}

function jsonRecord(serialized: SerializedError): SerializedError {
  if (serialized[0] === 'value') {
    const value = serialized[1];
    return ['value', isJson(value) ? value : formatValue(value)];
  }
  const record = serialized[1];
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.props)) if (isJson(value)) props[key] = value;
  let errorProps: Record<string, SerializedError> | undefined;
  for (const [key, value] of Object.entries(record.errorProps ?? {})) {
    errorProps ??= {};
    errorProps[key] = jsonRecord(value);
  }
  const json: ErrorRecord = {
    type: record.type,
    name: record.name,
    message: record.message,
    stack: record.stack,
    ...(record.cause !== undefined && { cause: jsonRecord(record.cause) }),
    ...(record.errors !== undefined && { errors: record.errors.map(jsonRecord) }),
    props,
    ...(errorProps !== undefined && { errorProps }),
  };
  return ['error', json];
}

function isJson(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}
