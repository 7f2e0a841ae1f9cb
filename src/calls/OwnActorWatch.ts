import { Actor, type AnyActor, type Snapshot } from 'xstate';

/** What the watch tells: a snapshot is about to be read; who watches has changed. */
export interface WatchHost {
  refresh(): void;
  watchersChanged(): void;
}

/**
 * Who watches a handler's own root actor: its subscribers, its `on` listeners, and whether its system
 * is inspected. It wraps the actor's `subscribe`, `on` and its system's `inspect` to count them, and its
 * `getSnapshot` and `getPersistedSnapshot` so that a lagging snapshot catches up before it is read.
 */
export class OwnActorWatch {
  #observers = 0;
  #listeners = 0;
  #inspected: boolean;

  constructor(
    readonly actor: AnyActor,
    inspected: boolean,
    readonly host: WatchHost,
  ) {
    this.#inspected = inspected;
    const own = actor as unknown as Record<string, unknown>;
    own.subscribe = (...args: Parameters<AnyActor['subscribe']>) => {
      this.#observers++;
      host.watchersChanged();
      return this.#counted(Actor.prototype.subscribe.apply(actor, args), () => this.#observers--);
    };
    own.on = (...args: Parameters<AnyActor['on']>) => {
      this.#listeners++;
      host.watchersChanged();
      return this.#counted(Actor.prototype.on.apply(actor, args), () => this.#listeners--);
    };
    own.getSnapshot = () => {
      host.refresh();
      return Actor.prototype.getSnapshot.call(actor);
    };
    own.getPersistedSnapshot = (options?: unknown) => {
      host.refresh();
      return (Actor.prototype.getPersistedSnapshot as (options?: unknown) => Snapshot<unknown>).call(
        actor,
        options,
      );
    };
    const system = actor.system as { inspect: (observer: unknown) => unknown };
    const inspect = system.inspect;
    system.inspect = (observer: unknown) => {
      host.refresh();
      this.#inspected = true;
      host.watchersChanged();
      return inspect(observer);
    };
  }

  /** Whether anyone sees the actor's snapshots: a subscriber, or an inspector of its system. */
  get observed(): boolean {
    return this.#observers > 0 || this.#inspected;
  }

  /** Whether anyone listens to what the actor emits. */
  get listened(): boolean {
    return this.#listeners > 0;
  }

  /** A subscription whose end is counted once, however often `unsubscribe` is called. */
  #counted(subscription: { unsubscribe(): void }, uncount: () => void): { unsubscribe(): void } {
    let open = true;
    return {
      unsubscribe: () => {
        if (!open) return;
        open = false;
        uncount();
        this.host.watchersChanged();
        subscription.unsubscribe();
      },
    };
  }
}
