import { createAsyncContext, isAsyncFunction } from '#async-context';
import { Call } from './Call.js';

/**
 * The call whose method is running, seen from inside it through its awaits (where the runtime can):
 * set for the methods that may return a promise (see `ProcessLoop`); a loop itself runs with none.
 */
export const runningCall = createAsyncContext<Call | undefined>();

/**
 * The call a handler is running. Usually a `Call`; but a bare oneway call (one that nobody watches,
 * of a method whose last call returned no promise) runs without one, as its method and arguments, and
 * gets its `Call` only if something asks for it while it runs (`currentCall`, `close()`, an observer).
 * Its arguments array, made for it alone, is its identity meanwhile.
 *
 * It also tells whether a sync call made now comes from inside the running call (a deadlock): through
 * `inSync` while a method runs synchronously, and through the `runningCall` context after the awaits
 * of a method that may return a promise.
 */
export class RunningCall {
  #call: Call | undefined = undefined;
  #bareKey: string | undefined = undefined;
  #bareArgs: readonly unknown[] | undefined = undefined;
  /** The `Call` last made for a bare call, so that its late end finds it. */
  #madeForBare: Call | undefined = undefined;
  /** The call whose method runs synchronously now outside `runningCall`: a `Call`, or bare arguments. */
  inSync: unknown = undefined;
  /** What each method has shown of itself (see `follows`). */
  readonly #methods = new Map<string, MethodKind>();

  /** The running call as a `Call`, made now for a bare one. */
  get call(): Call | undefined {
    if (this.#call === undefined && this.#bareArgs !== undefined) this.#make();
    return this.#call;
  }

  set call(call: Call | undefined) {
    this.#call = call;
    this.#bareKey = this.#bareArgs = undefined;
  }

  /** The running call's method, without making a `Call` for it. */
  get key(): string | undefined {
    return this.#call?.key ?? this.#bareKey;
  }

  startBare(key: string, args: readonly unknown[]): void {
    this.#call = undefined;
    this.#bareKey = key;
    this.#bareArgs = args;
  }

  /** Whether the bare call with these arguments still runs without a `Call`. */
  isBare(args: readonly unknown[]): boolean {
    return this.#bareArgs === args;
  }

  /** The bare call with these arguments ends without ever having needed a `Call`. */
  endBare(): void {
    this.#bareKey = this.#bareArgs = undefined;
  }

  /** The `Call` of the bare call with these arguments: made now if it runs still without one. */
  callOfBare(args: readonly unknown[]): Call | undefined {
    if (this.#bareArgs === args) this.#make();
    const made = this.#madeForBare;
    return made?.args === args ? made : undefined;
  }

  /** A call's method returned: it no longer runs (and a `Call` made for a bare call is forgotten). */
  settled(call: Call): void {
    if (this.#call === call) this.#call = undefined;
    if (this.#madeForBare === call) this.#madeForBare = undefined;
  }

  /**
   * What the method `key` (the function `fn`) has shown of itself: whether its calls are followed
   * through their awaits, with the `runningCall` context (if it is declared `async`, or its last call
   * returned a promise). Any other runs without one (an `AsyncLocalStorage` context costs more than the
   * rest of a call's run on Node 24, and once enabled it slows every promise on Node 20); `inSync`
   * watches its synchronous part.
   */
  kindOf(key: string, fn: unknown): MethodKind {
    const known = this.#methods.get(key);
    if (known !== undefined && known.fn === fn) return known;
    const kind = new MethodKind(fn, isAsyncFunction(fn), known?.promised ?? false);
    this.#methods.set(key, kind);
    return kind;
  }

  /** A sync call made now comes from inside the running call, which could only wait for itself. */
  isDeadlock(): boolean {
    const running = this.#call ?? this.#bareArgs;
    return running !== undefined && (this.inSync === running || runningCall.get() === running);
  }

  #make(): void {
    const call = new Call(this.#bareKey as string, this.#bareArgs as readonly unknown[], true);
    call.status = 'running';
    // Made while its method runs synchronously: a sync call made from there on is still told.
    if (this.inSync === this.#bareArgs) this.inSync = call;
    this.#madeForBare = call;
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
