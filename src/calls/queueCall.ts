import { startTimer } from '../startTimer.js';
import { SyncCall } from './Call.js';
import type { HandlerCore } from './HandlerCore.js';
import { onAbort } from './onAbort.js';
import { abandonCall } from './Settling.js';
import { cycleRefusal, followed, joinWaits } from './waitGraph.js';

/**
 * A sync call from this process (`handler.sync`, `callSync`): queued at once, or refused at once with the
 * reason (a closed handler, an unknown method, a deadlock). With `timeout`, it is answered with a
 * `TimeoutError` at its deadline on the handler's clock; with `signal`, with the signal's reason once it
 * aborts (at once if it has: the call is never queued), withdrawn if it waits, abandoned if it runs.
 */
export function queueSync(
  core: HandlerCore,
  method: string,
  args: readonly unknown[],
  timeout: number | undefined,
  known = false,
  signal?: AbortSignal,
): Promise<unknown> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  // While no followed call runs anywhere, no sync call can come from inside one (see `waitGraph`).
  const refusal =
    refusalOf(core, method, false, known) ?? (followed.running > 0 ? cycleRefusal(core, method) : undefined);
  if (refusal !== undefined) return Promise.reject(refusal);
  const call = new SyncCall(method, args);
  const answer = new Promise<unknown>((resolve, reject) => {
    call.resolve = resolve;
    call.reject = reject;
  });
  if (timeout !== undefined || signal !== undefined) arm(core, call, timeout, signal);
  if (followed.running > 0) joinWaits(core, call);
  core.enqueue(method, args, call);
  return answer;
}

/**
 * Gives a sync call its deadline and its caller's signal (apart, so that a plain call's function keeps
 * no closure context for them). Settled, the call leaves nothing behind: `release` clears the timer and
 * takes the listener off the signal, which may serve many calls.
 */
function arm(
  core: HandlerCore,
  call: SyncCall,
  timeout: number | undefined,
  signal: AbortSignal | undefined,
): void {
  let clearTimer: (() => void) | undefined;
  if (timeout !== undefined) {
    // The error is made only if the deadline passes: most calls never need one, and an Error's stack
    // is the costliest thing a call would allocate.
    clearTimer = startTimer(core.clock, timeout, () => {
      clearTimer = undefined;
      abandonCall(core, call, core.errors.timeout(call.key, timeout));
    });
    call.release = clearTimer;
  }
  if (signal !== undefined) {
    const stop = onAbort(signal, () => abandonCall(core, call, signal.reason));
    call.release = () => {
      clearTimer?.();
      stop();
    };
  }
}

/** A oneway call from this process (`handler.oneway`): queued at once, or refused with a throw. */
export function queueOneway(
  core: HandlerCore,
  method: string,
  args: readonly unknown[],
  known = false,
): void {
  const refusal = refusalOf(core, method, true, known);
  if (refusal !== undefined) throw refusal;
  core.enqueue(method, args, undefined);
}

/**
 * A oneway call of `count` (at most two) arguments, `a0` and `a1`, from this process: queued with no
 * array made for its arguments while nobody watches, or refused with a throw.
 */
export function queueOnewayInline(
  core: HandlerCore,
  method: string,
  count: number,
  a0: unknown,
  a1: unknown,
  known: boolean,
): void {
  const refusal = refusalOf(core, method, true, known);
  if (refusal !== undefined) throw refusal;
  core.enqueueInline(method, count, a0, a1);
}

/** Why a call cannot be queued, if it cannot; `known`: the method is known callable (see the proxies). */
function refusalOf(core: HandlerCore, method: string, oneway: boolean, known: boolean): Error | undefined {
  // The common case in one test, so that this stays small enough to be inlined into every call.
  if (known && core.closed === undefined && !core.full && (oneway || !core.isDeadlock())) return undefined;
  return whyRefused(core, method, oneway, known);
}

function whyRefused(core: HandlerCore, method: string, oneway: boolean, known: boolean): Error | undefined {
  if (core.closed)
    return core.errors.closed(method, 'was called after the handler was closed', core.closed.reason);
  if (!known && !core.isMethod(method)) return core.errors.unknownMethod(method);
  if (core.full) return core.errors.queueFull(method, core.maxPending);
  if (!oneway && core.isDeadlock()) return core.errors.deadlock(method, core.running.key);
  return undefined;
}
