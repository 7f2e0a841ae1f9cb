import type { ObjectSharedContext } from '@restatedev/restate-sdk';
import { checkSleep, checkTransition, never, type TailCaller, toProxy } from '../states/Body.js';
import type { CheckedStates } from '../states/checkStates.js';
import type { StateContext } from '../states/stateTypes.js';

/**
 * One body of one state, running on Restate in an invocation of its own: its `ctx`. A tail call is
 * checked as in-process, ends the body (its signal aborts) and becomes the body's outcome, which the
 * machine is sent as the same transition event an in-process body sends; `ctx.sleep` is Restate's
 * durable sleep.
 *
 * @internal
 */
export class DurableBody implements StateContext, TailCaller {
  #controller: AbortController | undefined;
  #to: StateContext['to'] | undefined;
  #move: { readonly to: string; readonly args: readonly unknown[] } | undefined;
  #moved: (() => void) | undefined;
  /** Settles once the body made its tail call. */
  readonly moved: Promise<void>;

  constructor(
    readonly state: string,
    readonly graph: CheckedStates,
    /** The object whose methods are the states, for decorated methods. */
    readonly target: object | undefined,
    /** The Restate context of the invocation that runs this body. */
    readonly restate: ObjectSharedContext,
  ) {
    this.moved = new Promise((resolve) => {
      this.#moved = resolve;
    });
  }

  /** The tail call the body made, if it made one. */
  get move(): { readonly to: string; readonly args: readonly unknown[] } | undefined {
    return this.#move;
  }

  get ended(): boolean {
    return this.#moved === undefined;
  }

  /** Aborts once the body made its tail call or returned, or when this attempt of its invocation ends. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      const attempt = this.restate.request().attemptCompletedSignal;
      if (this.ended) this.#controller.abort(this.#reason());
      else if (attempt.aborted) this.#controller.abort(attempt.reason);
      else attempt.addEventListener('abort', () => this.#controller?.abort(attempt.reason), { once: true });
    }
    return this.#controller.signal;
  }

  end(): void {
    const moved = this.#moved;
    if (moved === undefined) return;
    this.#moved = undefined;
    this.#controller?.abort(this.#reason());
    moved();
  }

  #reason(): DOMException {
    return new DOMException(`The state "${this.state}" ended.`, 'AbortError');
  }

  transition(target: string, args: readonly unknown[]): boolean {
    if (this.ended) return false;
    checkTransition(this.graph, this.state, target);
    this.#move = { to: target, args };
    this.end();
    return true;
  }

  get to(): StateContext['to'] {
    this.#to ??= toProxy(this.graph.states.get(this.state)?.transitionsTo ?? [], (target, args) =>
      this.transition(target, args),
    );
    return this.#to;
  }

  sleep(ms: number): Promise<void> {
    checkSleep(ms);
    if (this.ended) return never();
    // Beyond what one timer holds, the same as forever: Restate's sleeps are durable, and none is infinite.
    return ms === Number.POSITIVE_INFINITY ? never() : this.restate.sleep(ms);
  }
}
