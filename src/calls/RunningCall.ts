import { createAsyncContext, isAsyncFunction } from '#async-context';
import { Call } from './Call.js';
import { argsArray, type SlotArgs } from './CallSlots.js';

/**
 * The call whose method is running, seen from inside it through its awaits (where the runtime can):
 * set for the methods that may return a promise (see `ProcessLoop`); a loop itself runs with none.
 */
export const runningCall = createAsyncContext<Call | undefined>();

/**
 * The call a handler is running. Usually a `Call`; but a bare oneway call (one that nobody watches,
 * of a method whose last call returned no promise) runs without one, as its method and arguments, and
 * gets its `Call` only if something asks for it while it runs (`currentCall`, `close()`, an observer).
 * Its number in the queue is its identity meanwhile.
 *
 * It also tells whether a sync call made now comes from inside the running call (a deadlock): through
 * `inSync` while a method runs synchronously, and through the `runningCall` context after the awaits
 * of a method that may return a promise.
 */
export class RunningCall {
  #call: Call | undefined = undefined;
  /** The bare call running, if one is: its method, its number, its arguments (see `SlotArgs`). */
  #bareKey: string | undefined = undefined;
  #bareSeq: number | undefined = undefined;
  #bareArgs: SlotArgs = 0;
  #bareA0: unknown = undefined;
  #bareA1: unknown = undefined;
  /** The `Call` last made for a bare call, and that call's number, so that its late end finds it. */
  #madeForBare: Call | undefined = undefined;
  #madeSeq: number | undefined = undefined;
  /** The call whose method runs synchronously now outside `runningCall`: a `Call`, or a bare call's number. */
  inSync: unknown = undefined;
  /** What each method has shown of itself (see `kindOf`). */
  #methods: Map<string, MethodKind> | undefined = undefined; // made on first call: an idle handler has none

  /** The running call as a `Call`, made now for a bare one. */
  get call(): Call | undefined {
    if (this.#call === undefined && this.#bareSeq !== undefined) this.#make();
    return this.#call;
  }

  set call(call: Call | undefined) {
    this.#call = call;
    this.endBare();
  }

  /** The running call's `Call`, if it has one (none is made for a bare call). */
  get made(): Call | undefined {
    return this.#call;
  }

  /** The running call's method, without making a `Call` for it. */
  get key(): string | undefined {
    return this.#call?.key ?? this.#bareKey;
  }

  startBare(key: string, seq: number, args: SlotArgs, a0: unknown, a1: unknown): void {
    this.#call = undefined;
    this.#bareKey = key;
    this.#bareSeq = seq;
    this.#bareArgs = args;
    this.#bareA0 = a0;
    this.#bareA1 = a1;
  }

  /** Whether the bare call numbered `seq` still runs without a `Call`. */
  isBare(seq: number): boolean {
    return this.#bareSeq === seq;
  }

  /** The arguments of the bare call running, as an array (made now if the queue held them inline). */
  bareArgs(): readonly unknown[] {
    return argsArray(this.#bareArgs, this.#bareA0, this.#bareA1);
  }

  /** The bare call running ends (or became a `Call`): nothing of it is held any more. */
  endBare(): void {
    this.#bareKey = this.#bareSeq = this.#bareA0 = this.#bareA1 = undefined;
    this.#bareArgs = 0;
  }

  /** The `Call` of the bare call numbered `seq`: made now if it runs still without one. */
  callOfBare(seq: number): Call | undefined {
    if (this.#bareSeq === seq) this.#make();
    return this.#madeSeq === seq ? this.#madeForBare : undefined;
  }

  /** A call's method returned: it no longer runs (and a `Call` made for a bare call is forgotten). */
  settled(call: Call): void {
    if (this.#call === call) this.#call = undefined;
    if (this.#madeForBare === call) this.#madeForBare = this.#madeSeq = undefined;
  }

  /**
   * What the method `key` (the function `fn`) has shown of itself: whether its calls are followed
   * through their awaits, with the `runningCall` context (if it is declared `async`, or its last call
   * returned a promise). Any other runs without one (an `AsyncLocalStorage` context costs more than the
   * rest of a call's run on Node 24, and once enabled it slows every promise on Node 20); `inSync`
   * watches its synchronous part.
   */
  kindOf(key: string, fn: unknown): MethodKind {
    const known = this.#methods?.get(key);
    if (known !== undefined && known.fn === fn) return known;
    const kind = new MethodKind(fn, isAsyncFunction(fn), known?.promised ?? false);
    this.#methods ??= new Map();
    this.#methods.set(key, kind);
    return kind;
  }

  /** A sync call made now comes from inside the running call, which could only wait for itself. */
  isDeadlock(): boolean {
    const running = this.#call ?? this.#bareSeq;
    return running !== undefined && (this.inSync === running || runningCall.get() === running);
  }

  #make(): void {
    const seq = this.#bareSeq;
    const call = new Call(this.#bareKey as string, this.bareArgs(), true);
    call.status = 'running';
    // Made while its method runs synchronously: a sync call made from there on is still told.
    if (this.inSync === seq) this.inSync = call;
    this.#madeForBare = call;
    this.#madeSeq = seq;
    this.call = call;
  }
}

/** What a method has shown of itself (see `RunningCall.kindOf`). */
export class MethodKind {
  constructor(
    readonly fn: unknown,
    readonly declaredAsync: boolean,
    /** Its last call returned a promise. */
    public promised: boolean,
  ) {}

  /** Whether its calls are followed through their awaits. */
  get followed(): boolean {
    return this.declaredAsync || this.promised;
  }
}
