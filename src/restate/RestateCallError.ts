/**
 * A call that Restate itself refused or ended, rather than the method failing: an unknown object or
 * method (`status` 404), a cancelled invocation (409), a service that cannot be reached.
 *
 * @example
 * ```ts
 * import { RestateCallError, restateHandler } from 'greenstate/restate';
 * import type { Counter } from './counter.js';
 * const counter = restateHandler<typeof Counter>('http://127.0.0.1:8080', 'c1', { name: 'Counter' });
 * try {
 *   await counter.sync.add(1);
 * } catch (error) {
 *   if (error instanceof RestateCallError && error.status === 404) console.log('not registered yet');
 * }
 * ```
 */
export class RestateCallError extends Error {
  override name = 'RestateCallError';
  /** The HTTP status of the ingress's answer (0 when it could not be reached). */
  readonly status: number;
  /** The virtual object (`name/key`) and method called. */
  readonly handler: string;
  readonly method: string;

  constructor(message: string, options: ErrorOptions & { status: number; handler: string; method: string }) {
    super(message, options);
    this.status = options.status;
    this.handler = options.handler;
    this.method = options.method;
  }
}
