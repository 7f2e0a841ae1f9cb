import { describe, expect, test } from 'vitest';
import { BARE_CALL, Call, STOP_MARKER } from '../../src/calls/Call.js';
import { CallQueue } from '../../src/calls/CallQueue.js';
import { argsArray } from '../../src/calls/CallSlots.js';
import { Whitelist } from '../../src/calls/Whitelist.js';

/** A whitelist of these keys (every name counts as a method here). */
const only = (...keys: string[]) => Whitelist.of(keys, () => true, 'test', 'Item');

/** A call whose first argument is its label. */
const call = (key: string, label: string) => new Call(key, [label], false);
type Item = ReturnType<CallQueue['shift']>;
/** What the queue handed out last: a call's label, `stop`, or `undefined`. */
const labelOf = (queue: CallQueue, item: Item) => {
  if (item === STOP_MARKER) return 'stop';
  if (item === BARE_CALL) return argsArray(queue.bareArgs, queue.bareA0, queue.bareA1)[0] as string;
  return item?.args[0] as string | undefined;
};

function push(queue: CallQueue, items: Call[]): Call[] {
  for (const item of items) queue.push(item.key, item.args, item);
  return items;
}

function drain(queue: CallQueue, admits: Whitelist = Whitelist.everything): string[] {
  const out: string[] = [];
  for (let item = queue.shift(admits); item !== undefined; item = queue.shift(admits))
    out.push(labelOf(queue, item) as string);
  return out;
}

describe('CallQueue', () => {
  test('shift without a filter returns items in arrival order, each now running', () => {
    const queue = new CallQueue();
    const items = push(queue, [call('a', '1'), call('b', '2'), call('a', '3')]);
    expect(drain(queue)).toEqual(['1', '2', '3']);
    expect(items.map((item) => item.status)).toEqual(['running', 'running', 'running']);
    expect(queue.length).toBe(0);
  });

  test('a bare oneway call costs no object: the queue hands out its method and arguments', () => {
    const queue = new CallQueue();
    const args = ['bare'];
    queue.push('a', args, undefined);
    expect(queue.shift(Whitelist.everything)).toBe(BARE_CALL);
    expect(queue.bareKey).toBe('a');
    expect(queue.bareArgs).toBe(args);
    expect(queue.length).toBe(0);
  });

  test('up to two arguments wait in the queue itself: no array is made for them', () => {
    const queue = new CallQueue();
    queue.pushInline('none', 0, undefined, undefined);
    queue.pushInline('two', 2, 'x', undefined);
    expect(queue.shift(Whitelist.everything)).toBe(BARE_CALL);
    expect([queue.bareKey, queue.bareArgs]).toEqual(['none', 0]);
    expect(queue.shift(Whitelist.everything)).toBe(BARE_CALL);
    // An undefined second argument still counts: the method sees two arguments.
    expect([queue.bareKey, queue.bareArgs, queue.bareA0, queue.bareA1]).toEqual(['two', 2, 'x', undefined]);
    expect(queue.bareSeq).toBe(1);
  });

  test('a bare call keeps its number after a rebuild: numbers are never reused', () => {
    const queue = new CallQueue();
    queue.pushInline('blocker', 0, undefined, undefined); // never taken: the head stays on it
    const seen = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      queue.pushInline('a', 1, i, undefined);
      expect(queue.shift(only('a'))).toBe(BARE_CALL);
      expect(seen.has(queue.bareSeq)).toBe(false);
      seen.add(queue.bareSeq);
    }
    expect(queue.shift(Whitelist.everything)).toBe(BARE_CALL);
    expect(queue.bareKey).toBe('blocker');
  });

  test('clear makes the Call of each bare oneway call it drops', () => {
    const queue = new CallQueue();
    queue.push('a', ['bare'], undefined);
    const [call] = queue.clear('settled');
    expect(call).toBeInstanceOf(Call);
    expect(call).toMatchObject({ key: 'a', args: ['bare'], oneway: true, status: 'settled' });
  });

  test('a filtered shift takes the oldest admitted item and leaves the others in order', () => {
    const queue = new CallQueue();
    push(queue, [call('a', 'a1'), call('b', 'b1'), call('c', 'c1'), call('b', 'b2'), call('a', 'a2')]);
    expect(drain(queue, only('b', 'c'))).toEqual(['b1', 'c1', 'b2']);
    expect(drain(queue)).toEqual(['a1', 'a2']);
  });

  test('stop markers pass every filter and are not counted as calls', () => {
    const queue = new CallQueue();
    push(queue, [call('a', 'a1')]);
    queue.pushStopMarker();
    push(queue, [call('b', 'b1')]);
    expect(queue.length).toBe(2);
    expect(labelOf(queue, queue.shift(only('b')))).toBe('stop');
    expect(labelOf(queue, queue.shift(only('b')))).toBe('b1');
    expect(queue.length).toBe(1);
  });

  test('remove takes a call out from the middle, the head or the tail', () => {
    const queue = new CallQueue();
    const items = push(
      queue,
      ['1', '2', '3', '4', '5'].map((label, i) => call(i % 2 ? 'odd' : 'even', label)),
    );
    const [first, second, third, , fifth] = items as [Call, Call, Call, Call, Call];
    queue.remove(third, 'settled');
    queue.remove(first, 'settled');
    queue.remove(fifth, 'settled');
    expect(third.status).toBe('settled');
    expect(queue.length).toBe(2);
    expect(drain(queue, only('even'))).toEqual([]);
    queue.remove(second, 'settled');
    expect(drain(queue)).toEqual(['4']);
  });

  test('clear returns every queued call oldest first, bare ones made, and empties the queue', () => {
    const queue = new CallQueue();
    const [x, y] = push(queue, [call('x', 'x'), call('y', 'y')]) as [Call, Call];
    queue.pushStopMarker();
    queue.push('z', ['z'], undefined);
    queue.remove(y, 'settled');
    const cleared = queue.clear('settled');
    expect(cleared.map((item) => item.args[0])).toEqual(['x', 'z']);
    expect(cleared[0]).toBe(x);
    expect(cleared.map((item) => item.status)).toEqual(['settled', 'settled']);
    expect(queue.length).toBe(0);
    expect(queue.shift(Whitelist.everything)).toBeUndefined();
  });

  test('once its lists are built, a filtered shift never reads the items it defers', () => {
    const queue = new CallQueue();
    const deferred = push(
      queue,
      Array.from({ length: 1000 }, (_, i) => call('deferred', `d${i}`)),
    );
    expect(queue.shift(only('wanted'))).toBeUndefined(); // the first filtered shift files every item once
    // Reading a deferred call now throws: a shift that scanned the queue would fail.
    for (const item of deferred) {
      Object.defineProperty(item, 'status', {
        get() {
          throw new Error(`read ${item.args[0]}`);
        },
      });
    }
    push(queue, [call('wanted', 'w0'), call('wanted', 'w1'), call('wanted', 'w2')]);
    expect(drain(queue, only('wanted'))).toEqual(['w0', 'w1', 'w2']);
    expect(queue.length).toBe(1000);
  });

  test('an unfiltered shift needs no lists: a queue never filtered keeps only its arrays', () => {
    const queue = new CallQueue();
    for (let i = 0; i < 5000; i++) queue.push(i % 2 ? 'a' : 'b', [String(i)], undefined);
    expect(queue.footprint).toBe(5000);
    expect(labelOf(queue, queue.shift(only('a')))).toBe('1');
    expect(queue.footprint).toBe(10_000); // now filed by key too
    drain(queue);
    expect(queue.footprint).toBe(0); // an empty queue starts afresh
  });

  test('calls removed or taken from the middle do not pile up: memory follows the queue', () => {
    const queue = new CallQueue();
    queue.push('deferred', ['blocker'], undefined); // never taken: the head stays on it
    for (let i = 0; i < 100_000; i++) {
      const [withdrawn] = push(queue, [call('a', `w${i}`)]) as [Call];
      queue.remove(withdrawn, 'settled');
      queue.push('a', [`t${i}`], undefined);
      expect(labelOf(queue, queue.shift(only('a')))).toBe(`t${i}`);
    }
    expect(queue.length).toBe(1);
    expect(queue.footprint).toBeLessThan(4 * 1024);
    expect(drain(queue)).toEqual(['blocker']);
  });
});
