// One listener per caller's signal, however many calls wait on it.
import { getEventListeners } from 'node:events';
import { describe, expect, test } from 'vitest';
import { onAbort } from '../../src/calls/onAbort.js';

describe('onAbort', () => {
  test('registrations share one listener, run in order on abort, and leave none once stopped', () => {
    const controller = new AbortController();
    const ran: number[] = [];
    const stops = [1, 2, 3].map((n) => onAbort(controller.signal, () => ran.push(n)));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[1]?.();
    controller.abort();
    expect(ran).toEqual([1, 3]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const other = new AbortController();
    for (const stop of [onAbort(other.signal, () => {}), onAbort(other.signal, () => {})]) stop();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
  });

  test('a registration on a signal that aborted already runs on the next microtask, unless stopped first', async () => {
    const signal = AbortSignal.abort();
    const ran: string[] = [];
    onAbort(signal, () => ran.push('kept'));
    const stop = onAbort(signal, () => ran.push('stopped'));
    stop();
    expect(ran).toEqual([]);
    await Promise.resolve();
    expect(ran).toEqual(['kept']);
  });
});
