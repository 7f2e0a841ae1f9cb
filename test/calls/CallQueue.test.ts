import { describe, expect, test } from 'vitest';
import { CallQueue, type QueueNode } from '../../src/calls/CallQueue.js';
import { Whitelist } from '../../src/calls/Whitelist.js';

/** A whitelist of these keys (every name counts as a method here). */
const only = (...keys: string[]) => Whitelist.of(keys, () => true, 'test', 'Item');

class Item implements QueueNode {
  status = 'queued';
  constructor(
    readonly key: string | undefined,
    readonly label: string,
  ) {}
}

const labels = (items: (Item | undefined)[]) => items.map((item) => item?.label);

function drain(queue: CallQueue<Item>, admits: Whitelist = Whitelist.everything): string[] {
  const out: string[] = [];
  for (let item = queue.shift(admits); item !== undefined; item = queue.shift(admits)) out.push(item.label);
  return out;
}

describe('CallQueue', () => {
  test('shift without a filter returns items in arrival order, each now running', () => {
    const queue = new CallQueue<Item>();
    const items = [new Item('a', '1'), new Item('b', '2'), new Item('a', '3')];
    for (const item of items) queue.push(item);
    expect(drain(queue)).toEqual(['1', '2', '3']);
    expect(items.map((item) => item.status)).toEqual(['running', 'running', 'running']);
    expect(queue.length).toBe(0);
  });

  test('a filtered shift takes the oldest admitted item and leaves the others in order', () => {
    const queue = new CallQueue<Item>();
    for (const [key, label] of [
      ['a', 'a1'],
      ['b', 'b1'],
      ['c', 'c1'],
      ['b', 'b2'],
      ['a', 'a2'],
    ] as const) {
      queue.push(new Item(key, label));
    }
    expect(drain(queue, only('b', 'c'))).toEqual(['b1', 'c1', 'b2']);
    expect(drain(queue)).toEqual(['a1', 'a2']);
  });

  test('stop markers pass every filter and are not counted as calls', () => {
    const queue = new CallQueue<Item>();
    queue.push(new Item('a', 'a1'));
    queue.push(new Item(undefined, 'stop'));
    queue.push(new Item('b', 'b1'));
    expect(queue.length).toBe(2);
    expect(labels([queue.shift(only('b'))])).toEqual(['stop']);
    expect(labels([queue.shift(only('b'))])).toEqual(['b1']);
    expect(queue.length).toBe(1);
  });

  test('remove takes an item out from the middle, the head or the tail', () => {
    const queue = new CallQueue<Item>();
    const items = ['1', '2', '3', '4', '5'].map((label, i) => new Item(i % 2 ? 'odd' : 'even', label));
    for (const item of items) queue.push(item);
    const [first, second, third, , fifth] = items as [Item, Item, Item, Item, Item];
    queue.remove(third, 'settled');
    queue.remove(first, 'settled');
    queue.remove(fifth, 'settled');
    expect(third.status).toBe('settled');
    expect(queue.length).toBe(2);
    expect(drain(queue, only('even'))).toEqual([]);
    queue.remove(second, 'settled');
    expect(drain(queue)).toEqual(['4']);
  });

  test('clear returns every queued item oldest first and empties the queue', () => {
    const queue = new CallQueue<Item>();
    const items = ['x', 'y', 'z'].map((label) => new Item(label, label));
    for (const item of items) queue.push(item);
    queue.remove(items[1] as Item, 'settled');
    expect(queue.clear('closed').map((item) => item.label)).toEqual(['x', 'z']);
    expect(items.map((item) => item.status)).toEqual(['closed', 'settled', 'closed']);
    expect(queue.length).toBe(0);
    expect(queue.shift(Whitelist.everything)).toBeUndefined();
  });

  test('once its lists are built, a filtered shift never reads the items it defers', () => {
    const queue = new CallQueue<Item>();
    const deferred = Array.from({ length: 1000 }, (_, i) => new Item('deferred', `d${i}`));
    for (const item of deferred) queue.push(item);
    expect(queue.shift(only('wanted'))).toBeUndefined(); // the first filtered shift files every item once
    // Reading a deferred item now throws: a shift that scanned the queue would fail.
    for (const item of deferred) {
      Object.defineProperty(item, 'status', {
        get() {
          throw new Error(`read ${item.label}`);
        },
      });
    }
    for (let i = 0; i < 3; i++) queue.push(new Item('wanted', `w${i}`));
    expect(drain(queue, only('wanted'))).toEqual(['w0', 'w1', 'w2']);
    expect(queue.length).toBe(1000);
  });

  test('an unfiltered shift needs no lists: a queue never filtered keeps one array', () => {
    const queue = new CallQueue<Item>();
    for (let i = 0; i < 5000; i++) queue.push(new Item(i % 2 ? 'a' : 'b', String(i)));
    expect(queue.footprint).toBe(5000);
    expect(queue.shift(only('a'))?.label).toBe('1');
    expect(queue.footprint).toBe(10_000); // now filed by key too
    drain(queue);
    expect(queue.footprint).toBe(0); // an empty queue starts afresh
  });

  test('calls removed or taken from the middle do not pile up: memory follows the queue', () => {
    const queue = new CallQueue<Item>();
    const blocker = new Item('deferred', 'blocker'); // never taken: the head stays on it
    queue.push(blocker);
    for (let i = 0; i < 100_000; i++) {
      const withdrawn = new Item('a', `w${i}`);
      queue.push(withdrawn);
      queue.remove(withdrawn, 'settled');
      queue.push(new Item('a', `t${i}`));
      expect(queue.shift(only('a'))?.label).toBe(`t${i}`);
    }
    expect(queue.length).toBe(1);
    expect(queue.footprint).toBeLessThan(4 * 1024);
    expect(drain(queue)).toEqual(['blocker']);
  });
});
