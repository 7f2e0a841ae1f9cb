import type { Call } from './Call.js';

/** A slot's state: a `Call`, or flags for an item that has none (a bare oneway call, a stop marker). */
export type SlotState = number | Call;

/** The flag of an item without a `Call` that is still queued. */
export const QUEUED = 1;

/** Items per chunk (a power of two: a slot's place is found with a shift and a mask). */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
/** Array entries per item: its key, its arguments, its state. */
const WIDTH = 3;
/** An emptied queue keeps its one chunk for the next items only while the chunk is this small. */
const KEEP = 16 * WIDTH;

/** Where an item's entries start in its chunk, from its place `rel` in the storage. */
const at = (rel: number): number => (rel & (CHUNK - 1)) * WIDTH;

/**
 * The storage of a queue's items, addressed by sequence number: chunks of 1,024 items, each item three
 * entries (key, arguments, state) side by side. A queue of any length grows without copying what it
 * holds, and drops each chunk once its items are gone; a short queue lives in one small array that
 * grows as items come. An item costs three entries and no object of its own.
 */
export class CallSlots {
  #chunks: unknown[][] = [];
  /** The sequence number of the first chunk's first item. */
  #first = 0;
  /** The sequence number the next item gets. */
  #end = 0;

  /** The sequence number of the oldest item held (taken ones too, until their chunk is dropped). */
  get first(): number {
    return this.#first;
  }

  /** The sequence number the next item gets. */
  get end(): number {
    return this.#end;
  }

  append(key: string | undefined, args: readonly unknown[] | undefined, state: SlotState): number {
    const seq = this.#end++;
    const rel = seq - this.#first;
    const index = rel >> CHUNK_BITS;
    let chunk = this.#chunks[index];
    if (chunk === undefined) {
      // The first chunk grows as items come (a short queue stays small); a queue that needs a second
      // has grown long, and gets each next chunk whole, so that no chunk is copied as it fills.
      chunk = index === 0 ? [] : new Array(CHUNK * WIDTH);
      this.#chunks[index] = chunk;
    }
    const i = at(rel);
    chunk[i] = key;
    chunk[i + 1] = args;
    chunk[i + 2] = state;
    return seq;
  }

  key(seq: number): string | undefined {
    return this.#chunk(seq)[at(seq - this.#first)] as string | undefined;
  }

  args(seq: number): readonly unknown[] | undefined {
    return this.#chunk(seq)[at(seq - this.#first) + 1] as readonly unknown[] | undefined;
  }

  state(seq: number): SlotState {
    return this.#chunk(seq)[at(seq - this.#first) + 2] as SlotState;
  }

  /** Whether the item `seq` is still queued: a bare one by its flag, one with a `Call` by its status. */
  isQueued(seq: number): boolean {
    const state = this.state(seq);
    return typeof state === 'number' ? (state & QUEUED) !== 0 : state.status === 'queued';
  }

  /** The key and arguments of the item the last `take` emptied. */
  takenKey: string | undefined = undefined;
  takenArgs: readonly unknown[] | undefined = undefined;

  /** Empties the item's slot, leaving its key and arguments in `takenKey` and `takenArgs`; its state. */
  take(seq: number): SlotState {
    const chunk = this.#chunk(seq);
    const i = at(seq - this.#first);
    this.takenKey = chunk[i] as string | undefined;
    this.takenArgs = chunk[i + 1] as readonly unknown[] | undefined;
    const state = chunk[i + 2] as SlotState;
    chunk[i] = undefined;
    chunk[i + 1] = undefined;
    chunk[i + 2] = 0;
    return state;
  }

  /** Empties an item's slot (its arguments and `Call` are no longer held). */
  clear(seq: number): void {
    const chunk = this.#chunk(seq);
    const i = at(seq - this.#first);
    chunk[i] = undefined;
    chunk[i + 1] = undefined;
    chunk[i + 2] = 0;
  }

  /** Drops the chunks whose items all come before `seq` (all taken). */
  dropBefore(seq: number): void {
    while (this.#chunks.length > 1 && seq - this.#first >= CHUNK) {
      this.#chunks.shift();
      this.#first += CHUNK;
    }
  }

  /** Forgets every item; sequence numbers go on from where they were. */
  reset(): void {
    const [only] = this.#chunks;
    this.#chunks = only !== undefined && this.#chunks.length === 1 && only.length <= KEEP ? [only] : [];
    this.#first = this.#end;
  }

  /** Items the storage spans, taken ones too: what its memory follows. */
  get span(): number {
    return this.#end - this.#first;
  }

  #chunk(seq: number): unknown[] {
    return this.#chunks[(seq - this.#first) >> CHUNK_BITS] as unknown[];
  }
}
