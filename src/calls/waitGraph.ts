import type { Call, SyncCall } from './Call.js';
import type { HandlerErrors } from './HandlerErrors.js';
import { runningCall } from './RunningCall.js';

/** A handler as the wait graph sees it: its name, and the call it runs (never made for a bare one). */
export interface WaitingHandler {
  readonly name: string;
  readonly running: { readonly made: Call | undefined };
  readonly errors: HandlerErrors;
}

/** The running call of another handler that a sync call made now would come from, if any. */
function callerOf(target: WaitingHandler): Call | undefined {
  const from = runningCall.get();
  return from?.owner !== undefined && from.owner !== target ? from : undefined;
}

/** Why a sync call to `target` made now must be refused: the cycle of waiting handlers it would close. */
export function cycleRefusal(target: WaitingHandler, method: string): Error | undefined {
  const from = callerOf(target);
  const cycle = from === undefined ? undefined : cycleThrough(target, from);
  return cycle === undefined ? undefined : target.errors.cycle(method, cycle);
}

/** Notes that the running call the sync call `call` to `target` comes from (if any) waits on it. */
export function joinWaits(target: WaitingHandler, call: SyncCall): void {
  const from = callerOf(target);
  if (from !== undefined) waitOn(from, call, target);
}

/**
 * Calls running now, in every handler, whose methods are followed through their awaits (see
 * `RunningCall.kindOf`): while none runs, no sync call can come from inside one, and a sync call pays
 * nothing for the wait graph.
 */
export const followed = { running: 0 };

/**
 * The cycle that a sync call to `target`, made from inside `from` (a call that its handler runs), would
 * close: `target`'s running call waits, through sync calls and the calls their handlers run, on `from`'s
 * handler, which would wait on `target`. Returns the calls on the cycle, from `target`'s running call
 * to `from` (`A.plan`, `B.lookup`), or `undefined` when there is none.
 */
export function cycleThrough(target: WaitingHandler, from: Call): string[] | undefined {
  const source = from.owner as WaitingHandler;
  const seen = new Set<WaitingHandler>();
  const visit = (handler: WaitingHandler): string[] | undefined => {
    const running = handler.running.made;
    if (running === undefined || seen.has(handler)) return undefined;
    seen.add(handler);
    const here = `${handler.name}.${running.key}`;
    for (const waited of running.waits ?? []) {
      const next = waited.wait?.target as WaitingHandler;
      if (next === source) return [here, `${source.name}.${from.key}`];
      const rest = visit(next);
      if (rest !== undefined) return [here, ...rest];
    }
    return undefined;
  };
  return visit(target);
}

/** Notes that `from` waits on the sync call `call` to `target`, until `call` is answered. */
export function waitOn(from: Call, call: SyncCall, target: WaitingHandler): void {
  call.wait = { target, waiter: from };
  from.waitList().add(call);
}

/** `call` was answered: its caller waits on it no more. */
export function stopWaiting(call: SyncCall): void {
  call.wait?.waiter.waits?.delete(call);
  call.wait = undefined;
}
