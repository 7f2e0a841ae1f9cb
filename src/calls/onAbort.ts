/** The calls that wait on each signal, and the one listener the signal holds for them all. */
const waiting = new WeakMap<
  AbortSignal,
  { readonly calls: Set<() => void>; readonly listener: () => void }
>();

/**
 * Runs `aborted` when `signal` aborts, and returns what stops that. However many calls wait on one
 * signal at once, they put one listener on it (Node warns past ten), taken off once none waits.
 */
export function onAbort(signal: AbortSignal, aborted: () => void): () => void {
  if (signal.aborted) {
    // Its abort event has been dispatched already (a call made while it was): runs on the next microtask.
    let stopped = false;
    queueMicrotask(() => {
      if (!stopped) aborted();
    });
    return () => {
      stopped = true;
    };
  }
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const calls = new Set<() => void>();
    const listener = () => {
      waiting.delete(signal);
      for (const call of calls) call();
      calls.clear();
    };
    entry = { calls, listener };
    waiting.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const own = entry;
  // One function per registration: the same `aborted` given twice runs twice.
  const registration = () => aborted();
  own.calls.add(registration);
  return () => {
    if (!own.calls.delete(registration) || own.calls.size > 0 || waiting.get(signal) !== own) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', own.listener);
  };
}
