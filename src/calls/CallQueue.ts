/** What the queue holds: items filed under a key (`undefined` for stop markers), queued or not. */
export interface QueueNode {
  readonly key: string | undefined;
  /** `queued` while in the queue; the queue sets what a taken or removed item becomes. */
  status: string;
}

/** What a filtered shift admits: the keys it names (all, when `undefined`), and whether stop markers. */
export interface QueueFilter {
  readonly methods: ReadonlySet<string> | undefined;
  admits(key: string | undefined): boolean;
}

/** The sequence numbers of one key's items, oldest first, from `head` on. */
interface KeyList {
  seqs: number[];
  head: number;
}

/** Arrays are compacted once this many of their slots are spent. */
const COMPACT = 1024;

/**
 * A FIFO queue of calls and stop markers: O(1) per push, removal and unfiltered shift, and one word per
 * item. Items sit in one array in arrival order (an item's sequence number is its place in it). Once a
 * filtered shift comes, each key also keeps the sequence numbers of its items (built in one pass, then
 * kept as items come, until the queue empties): a filtered shift then compares only the heads of the
 * admitted keys' lists, so items it defers are never read: O(size of the filter) per shift, whatever the
 * queue length. A removed item stays in place, no longer queued, skipped once it reaches a head; when
 * removed items outnumber queued ones, the arrays are rebuilt without them, so memory follows the queue.
 */
export class CallQueue<N extends QueueNode> {
  #items: (N | undefined)[] = [];
  /** The sequence number of `#items[0]`. */
  #base = 0;
  /** Where the oldest item that may still be queued sits in `#items`. */
  #head = 0;
  /** Each key's list, while filtered shifts need them (`undefined` until one comes). */
  #lists: Map<string | undefined, KeyList> | undefined = undefined;
  /** Items queued (stop markers too), calls queued, and items removed but still in the arrays. */
  #queued = 0;
  #calls = 0;
  #removed = 0;

  /** Queued items that are calls (stop markers not counted). */
  get length(): number {
    return this.#calls;
  }

  /** Slots the queue holds in its arrays, spent ones too: what its memory follows. */
  get footprint(): number {
    let slots = this.#items.length;
    for (const list of this.#lists?.values() ?? []) slots += list.seqs.length;
    return slots;
  }

  push(node: N): void {
    const seq = this.#base + this.#items.length;
    this.#items.push(node);
    if (this.#lists !== undefined) this.#file(this.#lists, node.key, seq);
    this.#queued++;
    if (node.key !== undefined) this.#calls++;
  }

  #file(lists: Map<string | undefined, KeyList>, key: string | undefined, seq: number): void {
    let list = lists.get(key);
    if (list === undefined) {
      list = { seqs: [], head: 0 };
      lists.set(key, list);
    }
    list.seqs.push(seq);
  }

  /** Each key's list, built in one pass over the queue if no filtered shift has needed them yet. */
  #listsOf(): Map<string | undefined, KeyList> {
    if (this.#lists === undefined) {
      const lists = new Map<string | undefined, KeyList>();
      for (let i = this.#head; i < this.#items.length; i++) {
        const node = this.#items[i] as N;
        if (node.status === 'queued') this.#file(lists, node.key, this.#base + i);
      }
      this.#lists = lists;
    }
    return this.#lists;
  }

  /** Takes a queued item out, wherever it is (a withdrawn call), leaving it `status`. */
  remove(node: N, status: string): void {
    node.status = status;
    this.#queued--;
    if (node.key !== undefined) this.#calls--;
    this.#spent();
  }

  /**
   * Removes and returns the oldest item that `filter` admits (every item, when it names no keys), its
   * status now `running`. Only the heads of the lists of the keys it names, and of the stop markers', are
   * read.
   */
  shift(filter: QueueFilter): N | undefined {
    if (filter.methods === undefined) {
      const node = this.#oldest();
      if (node === undefined) return undefined;
      this.#handOut(node);
      if (this.#lists !== undefined)
        this.#takeFromList(this.#lists.get(node.key) as KeyList, this.#base + this.#head);
      this.#items[this.#head++] = undefined;
      this.#compact();
      return node;
    }
    const lists = this.#listsOf();
    let list: KeyList | undefined;
    let seq = Number.POSITIVE_INFINITY;
    if (filter.admits(undefined)) {
      const markers = lists.get(undefined);
      const head = markers && this.#headOf(markers);
      if (head !== undefined) {
        list = markers;
        seq = head;
      }
    }
    for (const key of filter.methods) {
      const keyList = lists.get(key);
      const head = keyList && this.#headOf(keyList);
      if (head !== undefined && head < seq) {
        list = keyList;
        seq = head;
      }
    }
    if (list === undefined) return undefined;
    const node = this.#items[seq - this.#base] as N;
    this.#handOut(node);
    this.#takeFromList(list, seq);
    if (seq === this.#base + this.#head) {
      this.#items[this.#head++] = undefined;
      this.#compact();
    } else {
      this.#spent(); // taken from the middle: its slot is spent until the head passes it
    }
    return node;
  }

  #handOut(node: N): void {
    node.status = 'running';
    this.#queued--;
    if (node.key !== undefined) this.#calls--;
  }

  /** Removes every item, leaving each `status`, and returns them, oldest first. */
  clear(status: string): N[] {
    const items: N[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const node = this.#items[i];
      if (node?.status !== 'queued') continue;
      node.status = status;
      items.push(node);
    }
    this.#base += this.#items.length;
    this.#items = [];
    this.#head = 0;
    this.#lists = undefined;
    this.#queued = this.#calls = this.#removed = 0;
    return items;
  }

  /** The oldest queued item of all, skipping (and forgetting) the ones no longer queued. */
  #oldest(): N | undefined {
    const items = this.#items;
    while (this.#head < items.length) {
      const node = items[this.#head] as N;
      if (node.status === 'queued') return node;
      items[this.#head++] = undefined;
      this.#removed--;
    }
    return undefined;
  }

  /** The sequence number of a key's oldest queued item, skipping the ones no longer queued. */
  #headOf(list: KeyList): number | undefined {
    while (list.head < list.seqs.length) {
      const seq = list.seqs[list.head] as number;
      if (this.#items[seq - this.#base]?.status === 'queued') return seq;
      list.head++;
    }
    return undefined;
  }

  /** Takes the item `seq` off its key's list (it is that list's oldest queued item). */
  #takeFromList(list: KeyList, seq: number): void {
    while (list.seqs[list.head] !== seq) list.head++;
    list.head++;
    if (list.head >= COMPACT && list.head * 2 >= list.seqs.length) {
      list.seqs = list.seqs.slice(list.head);
      list.head = 0;
    }
  }

  /** Drops the spent front of the items now and then; an empty queue forgets its lists, too. */
  #compact(): void {
    if (this.#queued === 0 && this.#removed === 0) {
      this.#base += this.#items.length;
      this.#items = [];
      this.#head = 0;
      this.#lists = undefined;
    } else if (this.#head >= COMPACT && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#base += this.#head;
      this.#head = 0;
    }
  }

  /** One more slot holds an item no longer queued; when they outnumber the queued ones, rebuild. */
  #spent(): void {
    this.#removed++;
    if (this.#removed >= COMPACT && this.#removed > this.#queued) this.#rebuild();
  }

  /** The arrays again, with the queued items only, in order. */
  #rebuild(): void {
    const queued = this.clear('queued');
    for (const node of queued) this.push(node);
  }
}
