import type { Call } from './Call.js';

/** A slot's state: a `Call`, or flags for an item that has none (a bare oneway call, a stop marker). */
export type SlotState = number | Call;

/** The flag of an item without a `Call` that is still queued. */
export const QUEUED = 1;

/**
 * A call's arguments as a slot holds them: an array, or, for a bare oneway call of at most two
 * arguments, their count, the arguments themselves sitting in the slot (such a call costs no array).
 */
export type SlotArgs = readonly unknown[] | number;

/** A call's arguments as an array, made now if the slot held them inline. */
export function argsArray(args: SlotArgs, a0: unknown, a1: unknown): readonly unknown[] {
  if (typeof args !== 'number') return args;
  return args === 0 ? [] : args === 1 ? [a0] : [a0, a1];
}

/** Items per chunk (a power of two: a slot's place is found with a shift and a mask). */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
/** Array entries per item: its key, its state, its arguments (or their count) and two inline arguments. */
const WIDTH = 5;
/** An emptied queue keeps its one chunk for the next items only while the chunk is this small. */
const KEEP = 16 * WIDTH;

/** Where an item's entries start in its chunk, from its place `rel` in the storage. */
const at = (rel: number): number => (rel & (CHUNK - 1)) * WIDTH;

/**
 * The storage of a queue's items, addressed by sequence number: chunks of 1,024 items, each item five
 * entries side by side (key, state, arguments and two inline arguments, see `SlotArgs`). A queue of any
 * length grows without copying what it holds, and drops each chunk once its items are gone; a short
 * queue lives in one small array that grows as items come. An item costs five entries and, for a bare
 * oneway call of up to two arguments, no object at all.
 */
export class CallSlots {
  #chunks: unknown[][] = [];
  /** The sequence number of the first chunk's first item. */
  #first: number;
  /** The sequence number the next item gets. */
  #end: number;

  /** Sequence numbers start at `start`: a queue rebuilt goes on numbering where it was. */
  constructor(start = 0) {
    this.#first = this.#end = start;
  }

  /** The sequence number of the oldest item held (taken ones too, until their chunk is dropped). */
  get first(): number {
    return this.#first;
  }

  /** The sequence number the next item gets. */
  get end(): number {
    return this.#end;
  }

  append(key: string | undefined, state: SlotState, args: SlotArgs, a0: unknown, a1: unknown): number {
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
    chunk[i + 1] = state;
    chunk[i + 2] = args;
    chunk[i + 3] = a0;
    chunk[i + 4] = a1;
    return seq;
  }

  key(seq: number): string | undefined {
    return this.#chunk(seq)[at(seq - this.#first)] as string | undefined;
  }

  state(seq: number): SlotState {
    return this.#chunk(seq)[at(seq - this.#first) + 1] as SlotState;
  }

  /** Whether the item `seq` is still queued: a bare one by its flag, one with a `Call` by its status. */
  isQueued(seq: number): boolean {
    const state = this.state(seq);
    return typeof state === 'number' ? (state & QUEUED) !== 0 : state.status === 'queued';
  }

  /** What the item the last `take` emptied held, besides its state. */
  takenKey: string | undefined = undefined;
  takenArgs: SlotArgs = 0;
  takenA0: unknown = undefined;
  takenA1: unknown = undefined;

  /** Empties the item's slot, leaving what it held in the `taken…` fields; returns its state. */
  take(seq: number): SlotState {
    const chunk = this.#chunk(seq);
    const i = at(seq - this.#first);
    this.takenKey = chunk[i] as string | undefined;
    const state = chunk[i + 1] as SlotState;
    this.takenArgs = chunk[i + 2] as SlotArgs;
    this.takenA0 = chunk[i + 3];
    this.takenA1 = chunk[i + 4];
    clearAt(chunk, i);
    return state;
  }

  /** Empties an item's slot (its arguments and `Call` are no longer held). */
  clear(seq: number): void {
    clearAt(this.#chunk(seq), at(seq - this.#first));
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

function clearAt(chunk: unknown[], i: number): void {
  chunk[i] = undefined;
  chunk[i + 1] = 0;
  chunk[i + 2] = 0;
  chunk[i + 3] = undefined;
  chunk[i + 4] = undefined;
}
