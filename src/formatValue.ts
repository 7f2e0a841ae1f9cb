/** How error messages show a value a caller passed: strings quoted, objects as JSON where possible. Never throws. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'function') {
    const name: unknown = Object.getOwnPropertyDescriptor(value, 'name')?.value; // never a getter of the caller's
    return typeof name === 'string' && name ? `the function ${name}` : 'a function';
  }
  if (typeof value !== 'object' || value === null) return String(value); // NaN, Infinity, undefined, …
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Array.isArray(value) ? 'an array' : 'an object'; // one that cannot even become a string
    }
  }
}
