import { BARE_CALL, Call, STOP_MARKER } from './Call.js';
import { argsArray, CallSlots, QUEUED, type SlotArgs } from './CallSlots.js';
import { KeyLists } from './KeyLists.js';

/** What a filtered shift admits: the keys it names (all, when `undefined`), and whether stop markers. */
export interface QueueFilter {
  readonly methods: ReadonlySet<string> | undefined;
  admits(key: string | undefined): boolean;
}

/** Removed items are swept out once this many of them are spent (and they outnumber queued ones). */
const COMPACT = 1024;

/**
 * The FIFO queue of a handler's calls and stop markers: O(1) per push, removal and unfiltered shift.
 * Items sit in arrival order in `CallSlots` (an item's sequence number is its place there): its method
 * (`undefined` for a stop marker), its arguments, and its `Call` if something refers to it already (a
 * sync caller, a deadline, a protocol id), else its flags, so that a oneway call costs no object while
 * it waits. Once a filtered shift comes, the queue is also indexed by method (`KeyLists`, built in one
 * pass, then kept up as items come, until the queue empties). A removed item stays in place,
 * no longer queued, skipped once it reaches a head; when removed items outnumber queued ones, the
 * storage is rebuilt without them, so memory follows the queue.
 */
export class CallQueue {
  #slots = new CallSlots();
  /** The oldest item that may still be queued: every item before it is taken or removed. */
  #head = 0;
  /** The index by method, while filtered shifts need it (`undefined` until one comes). */
  #lists: KeyLists | undefined = undefined;
  /** Items queued (stop markers too), calls queued, and slots holding an item no longer queued. */
  #queued = 0;
  #calls = 0;
  #spent = 0;

  /**
   * The bare oneway call that the last `shift` handed out as `BARE_CALL`: its method, its sequence
   * number (its identity while it runs), its arguments (see `SlotArgs`).
   */
  bareKey = '';
  bareSeq = 0;
  bareArgs: SlotArgs = 0;
  bareA0: unknown = undefined;
  bareA1: unknown = undefined;

  /** Queued items that are calls (stop markers not counted). */
  get length(): number {
    return this.#calls;
  }

  /** Items the queue holds in its storage and lists, spent ones too: what its memory follows. */
  get footprint(): number {
    return this.#slots.span + (this.#lists?.footprint ?? 0);
  }

  /** Queues a call: with its `Call`, if anything refers to it, or else as a bare oneway call. */
  push(key: string, args: readonly unknown[], call: Call | undefined): void {
    this.#push(key, call ?? QUEUED, args, undefined, undefined);
  }

  /** Queues a bare oneway call of `count` (at most two) arguments, `a0` and `a1`: no array is made. */
  pushInline(key: string, count: number, a0: unknown, a1: unknown): void {
    this.#push(key, QUEUED, count, a0, a1);
  }

  pushStopMarker(): void {
    this.#push(undefined, QUEUED, 0, undefined, undefined);
  }

  #push(key: string | undefined, state: number | Call, args: SlotArgs, a0: unknown, a1: unknown): void {
    const seq = this.#slots.append(key, state, args, a0, a1);
    this.#lists?.file(key, seq);
    this.#queued++;
    if (key !== undefined) this.#calls++;
  }

  /** Takes the queued `call` out, wherever it is (a withdrawn call), leaving it `status`. */
  remove(call: Call, status: Call['status']): void {
    call.status = status;
    this.#queued--;
    this.#calls--;
    this.#spend();
  }

  /**
   * Removes and returns the oldest item that `filter` admits (every item, when it names no keys): a
   * `Call`, now running, `BARE_CALL` for a bare oneway call (its method and arguments in `bareKey` and
   * `bareArgs`: running it needs no object), or `STOP_MARKER`. Only the heads of the lists of the keys it
   * names, and of the stop markers', are read.
   */
  shift(filter: QueueFilter): Call | typeof BARE_CALL | typeof STOP_MARKER | undefined {
    if (filter.methods === undefined) {
      if (!this.#skipSpent()) {
        this.#compact();
        return undefined;
      }
      const seq = this.#head++;
      this.#lists?.take(this.#slots.key(seq), seq);
      const taken = this.#take(seq);
      this.#compact();
      return taken;
    }
    const slots = this.#slots;
    this.#lists ??= KeyLists.of(slots, this.#head);
    const lists = this.#lists;
    const from = this.#head;
    let key: string | undefined; // of the oldest admitted item: a stop marker's, until a call is older
    let seq = Number.POSITIVE_INFINITY;
    if (filter.admits(undefined)) seq = lists.head(undefined, from, slots) ?? seq;
    for (const method of filter.methods) {
      const head = lists.head(method, from, slots);
      if (head !== undefined && head < seq) {
        key = method;
        seq = head;
      }
    }
    if (seq === Number.POSITIVE_INFINITY) return undefined;
    lists.take(key, seq);
    const taken = this.#take(seq);
    if (seq === this.#head) {
      this.#head++;
      this.#compact();
    } else {
      this.#spend(); // taken from the middle: its slot is spent until the head passes it
    }
    return taken;
  }

  /** Removes every item, leaving each call `status`, and returns the calls, oldest first. */
  clear(status: Call['status']): Call[] {
    const calls: Call[] = [];
    const slots = this.#slots;
    for (let seq = this.#head; seq < slots.end; seq++) {
      if (!slots.isQueued(seq)) continue;
      const state = slots.take(seq);
      if (slots.takenKey === undefined) continue; // a stop marker
      const call =
        typeof state === 'number'
          ? new Call(slots.takenKey, argsArray(slots.takenArgs, slots.takenA0, slots.takenA1), true)
          : state;
      call.status = status;
      calls.push(call);
    }
    this.#restart();
    return calls;
  }

  /** Hands out the queued item `seq`: its `Call`, now running, or what `shift` says. */
  #take(seq: number): Call | typeof BARE_CALL | typeof STOP_MARKER {
    const slots = this.#slots;
    const state = slots.take(seq);
    this.#queued--;
    const key = slots.takenKey;
    if (key === undefined) return STOP_MARKER;
    this.#calls--;
    if (typeof state === 'number') {
      this.bareKey = key;
      this.bareSeq = seq;
      this.bareArgs = slots.takenArgs;
      this.bareA0 = slots.takenA0;
      this.bareA1 = slots.takenA1;
      return BARE_CALL;
    }
    state.status = 'running';
    return state;
  }

  /** Moves the head past spent slots; whether a queued item is there. */
  #skipSpent(): boolean {
    const slots = this.#slots;
    while (this.#head < slots.end) {
      if (slots.isQueued(this.#head)) return true;
      slots.clear(this.#head);
      this.#head++;
      this.#spent--;
    }
    return false;
  }

  /** One more slot holds an item no longer queued; when they outnumber the queued ones, rebuild. */
  #spend(): void {
    this.#spent++;
    if (this.#spent >= COMPACT && this.#spent > this.#queued) this.#rebuild();
  }

  /** An empty queue starts afresh (and forgets its lists); else the chunks behind the head go. */
  #compact(): void {
    if (this.#queued === 0 && this.#spent === 0) this.#restart();
    else this.#slots.dropBefore(this.#head);
  }

  #restart(): void {
    this.#slots.reset();
    this.#head = this.#slots.end;
    this.#lists = undefined;
    this.#queued = this.#calls = this.#spent = 0;
  }

  /** The storage again, with the queued items only, in order. */
  #rebuild(): void {
    const old = this.#slots;
    const from = this.#head;
    this.#slots = new CallSlots(old.end); // numbers go on: a bare call's number is its identity
    this.#restart();
    for (let seq = from; seq < old.end; seq++) {
      if (!old.isQueued(seq)) continue;
      const state = old.take(seq);
      this.#push(old.takenKey, state, old.takenArgs, old.takenA0, old.takenA1);
    }
  }
}
