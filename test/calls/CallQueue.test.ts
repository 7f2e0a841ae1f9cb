import { describe, expect, test } from 'vitest';
import { CallQueue, type QueueNode } from '../../src/calls/CallQueue.js';
import { Whitelist } from '../../src/calls/Whitelist.js';

/** A whitelist of these keys (every name counts as a method here). */
const only = (...keys: string[]) => Whitelist.of(keys, () => true, 'test', 'Item');

class Item implements QueueNode<Item> {
  seq = 0;
  prev: Item | undefined;
  next: Item | undefined;
  keyPrev: Item | undefined;
  keyNext: Item | undefined;
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
  test('shift without a filter returns items in arrival order', () => {
    const queue = new CallQueue<Item>();
    for (const [key, label] of [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ] as const)
      queue.push(new Item(key, label));
    expect(drain(queue)).toEqual(['1', '2', '3']);
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

  test('remove unlinks an item from the middle, the head and the tail', () => {
    const queue = new CallQueue<Item>();
    const items = ['1', '2', '3', '4', '5'].map((label, i) => new Item(i % 2 ? 'odd' : 'even', label));
    for (const item of items) queue.push(item);
    const [first, second, third, , fifth] = items as [Item, Item, Item, Item, Item];
    queue.remove(third);
    queue.remove(first);
    queue.remove(fifth);
    expect(queue.length).toBe(2);
    expect(drain(queue, only('even'))).toEqual([]);
    queue.remove(second);
    expect(drain(queue)).toEqual(['4']);
  });

  test('clear returns every item oldest first and empties the queue', () => {
    const queue = new CallQueue<Item>();
    for (const label of ['x', 'y', 'z']) queue.push(new Item(label, label));
    expect(queue.clear().map((item) => item.label)).toEqual(['x', 'y', 'z']);
    expect(queue.length).toBe(0);
    expect(queue.shift(Whitelist.everything)).toBeUndefined();
  });

  test('a filtered shift never reads the items it defers', () => {
    const queue = new CallQueue<Item>();
    const deferred = Array.from({ length: 1000 }, (_, i) => new Item('deferred', `d${i}`));
    for (const item of deferred) queue.push(item);
    queue.push(new Item('wanted', 'w'));
    // Reading a deferred item's links now throws: a shift that scanned the queue would fail.
    for (const item of deferred) {
      for (const link of ['next', 'keyNext'] as const) {
        let value = item[link];
        Object.defineProperty(item, link, {
          get() {
            if (!value?.label.startsWith('d')) return value;
            throw new Error(`walked ${item.label}`);
          },
          set(v: Item | undefined) {
            value = v;
          },
        });
      }
    }
    expect(queue.shift(only('wanted'))?.label).toBe('w');
    expect(queue.shift(only('wanted'))).toBeUndefined();
    expect(queue.length).toBe(1000);
  });
});
