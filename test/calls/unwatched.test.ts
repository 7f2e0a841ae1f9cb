import { DeadlockError, DeferredCallHandler, type OnewayCallInfo } from 'greenstate';
import { describe, expect, test } from 'vitest';
import { tick } from '../support/helpers.js';

/**
 * A handler nobody watches: its oneway calls run as lightly as they can (no object, no event) once a
 * method has shown it returns no promise. Each test here therefore calls a method once before the call
 * it checks, and checks that such a call still behaves as any other.
 */
class Quiet extends DeferredCallHandler {
  seen: unknown[] = [];
  signal: AbortSignal | undefined;

  peek(closing: boolean) {
    this.seen.push(this.currentCall?.method, this.ref.getSnapshot().context.currentCall);
    this.signal = this.currentCall?.signal;
    if (closing) this.close();
  }
  fail(label: string) {
    if (label !== 'warm') throw new Error(`failed ${label}`);
  }
  later(async: boolean, outcome: 'resolve' | 'reject' = 'resolve') {
    if (!async) return undefined;
    return tick().then(() => {
      this.seen.push('later done');
      if (outcome === 'reject') throw new Error('late failure');
    });
  }
  closeThenFail(closing: boolean) {
    if (!closing) return undefined;
    this.close();
    return tick().then(() => {
      throw new Error('after close');
    });
  }
  outcome: Promise<unknown> | undefined;
  selfAfterPeek(self: boolean) {
    this.seen.push(this.currentCall?.method);
    if (self)
      this.outcome = this.sync.mark('inner').then(
        () => 'answered',
        (error: unknown) => error,
      );
  }
  given(..._args: unknown[]) {
    // biome-ignore lint/complexity/noArguments: what the method was called with, exactly
    this.seen.push([...arguments]);
  }
  mark(label: string) {
    this.seen.push(label);
  }
  subscribeHere(snapshots: unknown[]) {
    if (snapshots.length === 0) this.ref.subscribe((snapshot) => snapshots.push(snapshot.context));
  }
}

function quiet(): { handler: Quiet; reports: [unknown, OnewayCallInfo][] } {
  const reports: [unknown, OnewayCallInfo][] = [];
  const handler = new Quiet({ onOnewayError: (error, call) => reports.push([error, call]) });
  return { handler, reports };
}

describe('a oneway call that nobody watches', () => {
  test('sees itself as the current call, in currentCall and in the snapshot, and close() aborts its signal', async () => {
    const { handler } = quiet();
    handler.oneway.peek(false);
    handler.oneway.peek(true);
    await handler.process();
    expect(handler.seen).toEqual(['peek', 'peek', 'peek', 'peek']);
    expect(handler.signal?.aborted).toBe(true);
    expect(handler.currentCall).toBeUndefined();
    expect(handler.ref.getSnapshot().context).toMatchObject({ currentCall: undefined, closed: true });
  });

  test('a sync call it makes to its own handler is refused as a deadlock, after it read currentCall too', async () => {
    const { handler } = quiet();
    handler.oneway.selfAfterPeek(false);
    handler.oneway.selfAfterPeek(true);
    await handler.process();
    expect(await handler.outcome).toBeInstanceOf(DeadlockError);
  });

  test('passes exactly the arguments given: none, one, two (an undefined one too), and more', async () => {
    const { handler } = quiet();
    handler.oneway.given('warm');
    handler.oneway.given();
    handler.oneway.given('a');
    handler.oneway.given('a', undefined);
    handler.oneway.given('a', 'b', 'c');
    await handler.process();
    expect(handler.seen).toEqual([['warm'], [], ['a'], ['a', undefined], ['a', 'b', 'c']]);
    expect(handler.seen.map((args) => (args as unknown[]).length)).toEqual([1, 0, 1, 2, 3]);
  });

  test('reports its failure to onOnewayError with its method and arguments', async () => {
    const { handler, reports } = quiet();
    handler.oneway.fail('warm');
    handler.oneway.fail('now');
    await handler.process();
    expect(reports).toHaveLength(1);
    expect(String(reports[0]?.[0])).toBe('Error: failed now');
    expect(reports[0]?.[1]).toEqual({ method: 'fail', args: ['now'] });
  });

  test('of a method that returns a promise after all, is awaited before the next call runs', async () => {
    const { handler, reports } = quiet();
    handler.oneway.later(false);
    handler.oneway.later(true);
    handler.oneway.mark('next');
    handler.oneway.later(true, 'reject');
    await handler.process();
    expect(handler.seen).toEqual(['later done', 'next', 'later done']);
    expect(reports.map(([error]) => String(error))).toEqual(['Error: late failure']);
  });

  test('closed from inside while it returns a promise: the loop ends and its late outcome is discarded', async () => {
    const { handler, reports } = quiet();
    handler.oneway.closeThenFail(false);
    handler.oneway.closeThenFail(true);
    await handler.process();
    await tick();
    await tick();
    expect(reports).toEqual([]);
    expect(handler.ref.getSnapshot().context).toMatchObject({ closed: true, currentCall: undefined });
  });

  test('a subscriber that comes during a call sees it end', async () => {
    const { handler } = quiet();
    const snapshots: { currentCall?: string; pending?: number }[] = [];
    handler.oneway.mark('warm');
    handler.oneway.subscribeHere([{}]); // learns that it returns no promise
    handler.oneway.subscribeHere(snapshots);
    await handler.process();
    expect(snapshots.at(-1)).toMatchObject({ currentCall: undefined, pending: 0 });
  });
});
