/**
 * The links a queued item carries. The queue is intrusive: items hold their own links, so removing one
 * from the middle (a withdrawn call) is O(1) and costs no allocation.
 */
export interface QueueNode<N> {
  /** The method name this item is filed under; `undefined` for stop markers, which every filter admits. */
  readonly key: string | undefined;
  seq: number;
  prev: N | undefined;
  next: N | undefined;
  keyPrev: N | undefined;
  keyNext: N | undefined;
}

interface List<N> {
  head: N | undefined;
  tail: N | undefined;
}

/**
 * A FIFO queue of calls and stop markers, O(1) per push, removal and unfiltered shift.
 *
 * Every item is linked twice: into the queue-wide list (arrival order) and into the list of its key. A
 * filtered shift compares only the heads of the admitted keys' lists, so calls deferred by a whitelist
 * are never scanned: O(size of the whitelist) per shift, whatever the queue length.
 */
export class CallQueue<N extends QueueNode<N>> {
  #head: N | undefined;
  #tail: N | undefined;
  readonly #lists = new Map<string | undefined, List<N>>();
  #seq = 0;
  #calls = 0;

  /** Queued items that are calls (stop markers not counted). */
  get length(): number {
    return this.#calls;
  }

  push(node: N): void {
    node.seq = this.#seq++;
    node.next = undefined;
    node.prev = this.#tail;
    if (this.#tail === undefined) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;

    let list = this.#lists.get(node.key);
    if (list === undefined) {
      list = { head: undefined, tail: undefined };
      this.#lists.set(node.key, list);
    }
    node.keyNext = undefined;
    node.keyPrev = list.tail;
    if (list.tail === undefined) list.head = node;
    else list.tail.keyNext = node;
    list.tail = node;
    if (node.key !== undefined) this.#calls++;
  }

  /** Unlinks a queued item. The caller guarantees that `node` is in this queue. */
  remove(node: N): void {
    if (node.prev === undefined) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.#tail = node.prev;
    else node.next.prev = node.prev;

    // The list exists: push created it and lists are never deleted (keys are a class's method names).
    const list = this.#lists.get(node.key) as List<N>;
    if (node.keyPrev === undefined) list.head = node.keyNext;
    else node.keyPrev.keyNext = node.keyNext;
    if (node.keyNext === undefined) list.tail = node.keyPrev;
    else node.keyNext.keyPrev = node.keyPrev;

    node.prev = node.next = node.keyPrev = node.keyNext = undefined;
    if (node.key !== undefined) this.#calls--;
  }

  /**
   * Removes and returns the oldest item that `filter` admits (all items, when it names no keys). Only
   * the heads of the lists of the keys it names, and of the items without a key (stop markers), are
   * compared, so items it defers are never scanned.
   */
  shift(filter: {
    readonly methods: ReadonlySet<string> | undefined;
    admits(key: string | undefined): boolean;
  }): N | undefined {
    let first: N | undefined;
    if (filter.methods === undefined) {
      first = this.#head;
    } else {
      first = filter.admits(undefined) ? this.#lists.get(undefined)?.head : undefined;
      for (const key of filter.methods) {
        const head = this.#lists.get(key)?.head;
        if (head !== undefined && (first === undefined || head.seq < first.seq)) first = head;
      }
    }
    if (first !== undefined) this.remove(first);
    return first;
  }

  /** Removes every item, oldest first, and returns them. */
  clear(): N[] {
    const items: N[] = [];
    for (let node = this.#head; node !== undefined; node = node.next) items.push(node);
    this.#head = this.#tail = undefined;
    this.#lists.clear();
    this.#calls = 0;
    for (const node of items) node.prev = node.next = node.keyPrev = node.keyNext = undefined;
    return items;
  }
}
