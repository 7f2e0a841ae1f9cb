import { formatValue } from './formatValue.js';

/** Throws a TypeError naming an option that `where` does not take (a typo, most likely) and the ones it does. */
export function checkKeys(options: object, known: readonly string[], where: string): void {
  // for…in allocates nothing: `sync({ timeout })` runs this for every call made that way.
  for (const key in options) {
    if (Object.hasOwn(options, key) && !known.includes(key)) {
      throw new TypeError(`${where} has no option ${formatValue(key)}; its options are ${known.join(', ')}.`);
    }
  }
}
