import type { CallSlots } from './CallSlots.js';

/** The sequence numbers of one key's items, oldest first, from `head` on. */
interface KeyList {
  seqs: number[];
  head: number;
}

/** A list drops the numbers it has passed once this many of them pile up (and half of it is passed). */
const COMPACT = 1024;

/**
 * The index of a queue by method: for each key (`undefined` for stop markers), the sequence numbers of
 * its items in arrival order. A filtered shift reads only the heads of the admitted keys' lists, so the
 * items it defers are never read. Numbers of items taken or removed elsewhere are passed over when they
 * reach a head.
 */
export class KeyLists {
  readonly #lists = new Map<string | undefined, KeyList>();

  /** The index of the items of `slots` still queued from `from` on, built in one pass. */
  static of(slots: CallSlots, from: number): KeyLists {
    const lists = new KeyLists();
    for (let seq = from; seq < slots.end; seq++) if (slots.isQueued(seq)) lists.file(slots.key(seq), seq);
    return lists;
  }

  /** Numbers held, passed ones too: what the index's memory follows. */
  get footprint(): number {
    let count = 0;
    for (const list of this.#lists.values()) count += list.seqs.length;
    return count;
  }

  /** Files the new item `seq` under `key`. */
  file(key: string | undefined, seq: number): void {
    let list = this.#lists.get(key);
    if (list === undefined) {
      list = { seqs: [], head: 0 };
      this.#lists.set(key, list);
    }
    list.seqs.push(seq);
  }

  /**
   * The number of `key`'s oldest item still queued in `slots` at or after the queue's head `from`, or
   * `undefined`. (Before the queue's head an item is taken or removed, and its chunk may be gone.)
   */
  head(key: string | undefined, from: number, slots: CallSlots): number | undefined {
    const list = this.#lists.get(key);
    if (list === undefined) return undefined;
    while (list.head < list.seqs.length) {
      const seq = list.seqs[list.head] as number;
      if (seq >= from && slots.isQueued(seq)) return seq;
      list.head++;
    }
    return undefined;
  }

  /** Takes the item `seq` off `key`'s list (it is that list's oldest queued item). */
  take(key: string | undefined, seq: number): void {
    const list = this.#lists.get(key) as KeyList;
    while (list.seqs[list.head] !== seq) list.head++;
    list.head++;
    if (list.head >= COMPACT && list.head * 2 >= list.seqs.length) {
      list.seqs = list.seqs.slice(list.head);
      list.head = 0;
    }
  }
}
