import { closestName } from './closestName.js';
import { formatValue } from './formatValue.js';

/** What an option's value must be: `undefined` when it is, else what was expected ("a function"). */
export interface Check {
  (value: unknown): string | undefined;
  /** A value of the right type out of range: a `RangeError` rather than a `TypeError`. */
  readonly range?: boolean | ((value: unknown) => boolean);
}

const check = (
  expected: string,
  valid: (value: unknown) => boolean,
  range: boolean | ((value: unknown) => boolean) = false,
): Check => Object.assign((value: unknown) => (valid(value) ? undefined : expected), { range });

/** The checks options are made of: each says what it expects. */
export const is = {
  anything: check('anything', () => true),
  boolean: check('true or false', (value) => typeof value === 'boolean'),
  function: check('a function', (value) => typeof value === 'function'),
  name: check('a non-empty string', (value) => typeof value === 'string' && value !== ''),
  clock: check(
    'a clock with setTimeout(fn, ms) and clearTimeout(id)',
    (value) =>
      typeof (value as { setTimeout?: unknown } | null)?.setTimeout === 'function' &&
      typeof (value as { clearTimeout?: unknown }).clearTimeout === 'function',
  ),
  observer: check(
    'an inspection observer (a function, or an object with next)',
    (value) =>
      typeof value === 'function' || typeof (value as { next?: unknown } | null)?.next === 'function',
  ),
  signal: check(
    'an AbortSignal',
    (value) =>
      typeof (value as { aborted?: unknown } | null)?.aborted === 'boolean' &&
      typeof (value as { addEventListener?: unknown }).addEventListener === 'function',
  ),
  milliseconds: check(
    'a finite number of milliseconds ≥ 0',
    (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
    true,
  ),
  bound: check(
    'a positive integer, or Infinity for no bound',
    (value) => value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && (value as number) > 0),
    (value) => typeof value === 'number',
  ),
  port: check(
    'an integer from 0 to 65535',
    (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535,
    true,
  ),
  headers: check(
    'an object of header names to string values',
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((header) => typeof header === 'string'),
  ),
  oneOf: (...values: readonly string[]) =>
    check(values.map((value) => formatValue(value)).join(', or '), (value) =>
      values.includes(value as string),
    ),
} as const;

/**
 * Checks the options `where` was given against `spec`: an object (or `undefined`, no options), whose
 * keys `spec` knows (a misspelt one is named, with the known key it is closest to), each value that is
 * not `undefined` passing its check. Throws naming `where`, the key, the value and what was expected:
 * `unknown` for an unknown key (a `TypeError` unless told otherwise), a `TypeError` or `RangeError` for a
 * bad value. Allocates nothing when the options are fine: some are checked on every call.
 */
export function checkOptions(
  options: unknown,
  spec: Readonly<Record<string, Check>>,
  where: string,
  unknown: new (message: string) => Error = TypeError,
): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `${where} takes an options object { ${Object.keys(spec).join(', ')} }, got ${formatValue(options)}.`,
    );
  }
  for (const key in options) {
    if (!Object.hasOwn(options, key)) continue;
    const check = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (check === undefined) {
      const known = Object.keys(spec);
      const close = closestName(key, known);
      throw new unknown(
        `${where} has no option ${formatValue(key)}${close ? ` (did you mean "${close}"?)` : ''}; its options are ${known.join(', ')}.`,
      );
    }
    const value = (options as Record<string, unknown>)[key];
    const expected = value === undefined ? undefined : check(value);
    if (expected !== undefined) {
      const message = `${where}: ${key} must be ${expected}, got ${formatValue(value)}.`;
      const range = typeof check.range === 'function' ? check.range(value) : check.range === true;
      throw range ? new RangeError(message) : new TypeError(message);
    }
  }
}
