import { formatValue } from '../formatValue.js';

/**
 * Which queued items a processing loop runs: every stop marker, and the calls to the methods it names
 * (every call, without a whitelist). The queue, the loop's wake-up and the actor's `whitelisted` guard
 * all ask `admits`.
 */
export class Whitelist {
  /** No whitelist: every call. */
  static readonly everything = new Whitelist(undefined);

  private constructor(
    /** The admitted methods; `undefined` for every method. */
    readonly methods: ReadonlySet<string> | undefined,
  ) {}

  /**
   * The whitelist `process({ whitelist })` was given: `undefined` for none, else an iterable of method
   * names that `isMethod` accepts. Throws a `TypeError` naming the first bad entry.
   */
  static of(
    value: unknown,
    isMethod: (name: string) => boolean,
    where: string,
    className: string,
  ): Whitelist {
    if (value === undefined) return Whitelist.everything;
    if (typeof value !== 'object' || value === null || !(Symbol.iterator in value)) {
      throw new TypeError(`${where}: whitelist must be an array of method names, got ${formatValue(value)}.`);
    }
    const methods = new Set<string>();
    for (const name of value as Iterable<unknown>) {
      if (typeof name !== 'string' || !isMethod(name)) {
        throw new TypeError(
          `${where}: the whitelist entry ${formatValue(name)} is not a method of ${className} that calls can name.`,
        );
      }
      methods.add(name);
    }
    return new Whitelist(methods);
  }

  /** Whether a loop with this whitelist runs an item filed under `method` (`undefined`: a stop marker). */
  admits(method: string | undefined): boolean {
    return method === undefined || this.methods === undefined || this.methods.has(method);
  }

  /** The admitted methods as `loop.start` shows them (`undefined`: every method). */
  get names(): readonly string[] | undefined {
    return this.methods && [...this.methods];
  }
}
