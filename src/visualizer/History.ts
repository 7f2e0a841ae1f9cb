import type { ActorView } from './views.js';

/** Changes kept for time travel: enough for minutes of a busy demo, a few megabytes at most. */
const KEPT = 5000;

interface Change {
  seq: number;
  id: string;
  /** The actor's view before the change (`undefined`: it was not followed yet). */
  previous: ActorView | undefined;
}

/**
 * The latest changes of the followed actors, so that the page can see every actor as it was at an
 * earlier moment: the current views, with the changes since then undone. Views are values (a new
 * object at each change), so a change only refers to the view it replaced.
 */
export class History {
  readonly #changes: Change[] = [];
  #start = 0;

  /** Notes that the actor `id` changed at `seq`, from `previous`. */
  record(seq: number, id: string, previous: ActorView | undefined): void {
    this.#changes.push({ seq, id, previous });
    if (this.#changes.length - this.#start > KEPT) {
      this.#start++;
      if (this.#start > KEPT) {
        this.#changes.splice(0, this.#start);
        this.#start = 0;
      }
    }
  }

  /** The oldest moment the history reaches back to (`seq` of its oldest change, minus one). */
  get since(): number {
    const oldest = this.#changes[this.#start];
    return oldest === undefined ? Number.POSITIVE_INFINITY : oldest.seq - 1;
  }

  /**
   * The actors as they were just after the change numbered `seq`, from the current ones; `undefined` if
   * that is older than the history reaches.
   */
  at(seq: number, current: ReadonlyMap<string, ActorView>): ActorView[] | undefined {
    if (seq < this.since && this.#changes.length > this.#start) return undefined;
    const then = new Map(current);
    for (let i = this.#changes.length - 1; i >= this.#start; i--) {
      const change = this.#changes[i] as Change;
      if (change.seq <= seq) break;
      if (change.previous === undefined) then.delete(change.id);
      else then.set(change.id, change.previous);
    }
    return [...then.values()];
  }
}
