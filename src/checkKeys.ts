import { describe } from './describe.js';

/** Throws a TypeError naming an option that `where` does not take (a typo, most likely) and the ones it does. */
export function checkKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where} has no option ${describe(key)}; its options are ${known.join(', ')}.`);
    }
  }
}
