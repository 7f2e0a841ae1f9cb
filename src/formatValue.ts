/** How error messages show a value a caller passed: strings quoted, objects as JSON where possible. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'function') return value.name ? `the function ${value.name}` : 'a function';
  if (typeof value !== 'object' || value === null) return String(value); // NaN, Infinity, undefined, …
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
