import { type HandlerContext, handlerMachine, toMermaid } from 'greenstate';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { layoutMachine } from './layoutMachine.js';
import {
  type ActorView,
  activeIds,
  describeError,
  describeValue,
  handlerView,
  isFinished,
  type MachineView,
  type TimelineEntry,
  type Update,
} from './views.js';

const TIMELINE = 300;
/** Finished runs and closed handlers kept for the page; older ones are forgotten. */
const FINISHED = 20;
/** Calls whose method is running, kept to time them; a program with more forgets the oldest. */
const RUNNING_CALLS = 10_000;

/**
 * Follows actors through XState inspection events: the machines they run (laid out for drawing),
 * their current states, handlers' queues, and a timeline of transitions and calls.
 */
export class Tracker {
  readonly machines = new Map<string, MachineView>();
  readonly actors = new Map<string, ActorView>();
  readonly timeline: TimelineEntry[] = [];
  readonly #keys = new Map<object, string>();
  readonly #listeners = new Set<(update: Update) => void>();
  /** When each running call started, by `<session>/<call id>`. */
  readonly #started = new Map<string, number>();
  readonly #pending: Promise<unknown>[] = [];
  /** Events already followed: one actor may be inspected twice (its own `inspect`, and `add()`). */
  readonly #seen = new WeakSet<object>();
  #closed = false;

  /** An XState inspection observer: pass it as `inspect` to handlers, graphs and actors. */
  readonly inspect = (event: InspectionEvent): void => {
    if (this.#closed || this.#seen.has(event)) return;
    this.#seen.add(event);
    try {
      if (event.type === '@xstate.snapshot')
        this.snapshot(event.actorRef as AnyActorRef, event.snapshot, event.event.type);
      else if (event.type === '@xstate.event') this.#event(event.actorRef as AnyActorRef, event.event);
    } catch (error) {
      // The program being watched must never fail because of the visualizer.
      console.error('greenstate visualizer: could not follow an inspection event:', error);
    }
  };

  /** Stops following: later inspection events are ignored, and listeners hear nothing more. */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
  }

  subscribe(listener: (update: Update) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once every machine registered so far is laid out. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#pending);
  }

  /** Registers a machine to draw; returns its key. Throws a TypeError for something that is no machine. */
  addMachine(machine: object): string {
    const known = this.#keys.get(machine);
    if (known) return known;
    const mermaid = toMermaid(machine); // throws a clear TypeError for anything else
    const key = `m${this.#keys.size + 1}`;
    this.#keys.set(machine, key);
    const view: MachineView = {
      key,
      id: (machine as { id?: string }).id ?? key,
      layout: undefined,
      mermaid,
      error: undefined,
    };
    this.machines.set(key, view);
    this.#pending.push(
      layoutMachine(machine).then(
        (layout) => {
          view.layout = layout;
          this.#emit({ type: 'machine', machine: view });
        },
        (error: unknown) => {
          view.error = `could not lay out machine ${view.id}: ${error instanceof Error ? error.message : String(error)}`;
          this.#emit({ type: 'machine', machine: view });
        },
      ),
    );
    return key;
  }

  /** Notes an actor's snapshot (from inspection, or read directly when an actor is added). */
  snapshot(actorRef: AnyActorRef, snapshot: unknown, eventType: string): void {
    const machine = (snapshot as { machine?: object } | undefined)?.machine;
    if (machine === undefined) return; // not a machine actor (a state body, say)
    const s = snapshot as { value: unknown; status: string; context?: unknown };
    let machineKey: string;
    try {
      machineKey = this.addMachine(machine);
    } catch {
      return;
    }
    const id = actorRef.sessionId;
    const previous = this.actors.get(id);
    const handlerJson = machine === handlerMachine ? handlerView(s.context as HandlerContext) : undefined;
    const view: ActorView = {
      id,
      // A root actor without an id of its own is named after its machine.
      name:
        actorRef.id === actorRef.sessionId
          ? `${(machine as { id: string }).id} (${actorRef.sessionId})`
          : actorRef.id,
      machineKey,
      active: activeIds((machine as { id: string }).id, s.value),
      value: s.value,
      status: s.status,
      handler: handlerJson,
    };
    this.actors.set(id, view);
    const from = previous ? describeValue(previous.value) : undefined;
    const to = describeValue(s.value);
    if (handlerJson === undefined && from !== undefined && (from !== to || s.status !== previous?.status)) {
      this.#record({
        kind: 'transition',
        at: Date.now(),
        actor: view.name,
        from,
        to: s.status === 'active' ? to : s.status,
        event: eventType,
      });
    }
    this.#emit({ type: 'actor', actor: view });
    if (isFinished(view) && !isFinished(previous)) this.#forgetFinished();
  }

  #event(
    actorRef: AnyActorRef,
    event: { type: string; id?: unknown; method?: unknown; oneway?: unknown; ok?: unknown; error?: unknown },
  ): void {
    const id = typeof event.id === 'string' ? `${actorRef.sessionId}/${event.id}` : undefined;
    if (id === undefined) return;
    if (event.type === 'call.start') {
      this.#started.set(id, Date.now());
      if (this.#started.size > RUNNING_CALLS)
        this.#started.delete(this.#started.keys().next().value as string);
    } else if (event.type === 'call.end') {
      this.#started.delete(id);
    } else if (event.type === 'call.settle') {
      const started = this.#started.get(id);
      this.#started.delete(id);
      this.#record({
        kind: 'call',
        at: Date.now(),
        actor: actorRef.id,
        method: String(event.method),
        oneway: event.oneway === true,
        outcome: event.ok ? 'ok' : describeError(event.error),
        ms: started === undefined ? undefined : Date.now() - started,
      });
    }
  }

  #record(entry: TimelineEntry): void {
    this.timeline.push(entry);
    if (this.timeline.length > TIMELINE) this.timeline.splice(0, this.timeline.length - TIMELINE);
    this.#emit({ type: 'timeline', entry });
  }

  /**
   * Keeps the latest finished runs and closed handlers only, so that a program that starts runs or
   * handlers forever stays drawable in bounded memory.
   */
  #forgetFinished(): void {
    const finished = [...this.actors.values()].filter(isFinished);
    for (const actor of finished.slice(0, Math.max(0, finished.length - FINISHED)))
      this.actors.delete(actor.id);
  }

  #emit(update: Update): void {
    for (const listener of this.#listeners) {
      try {
        listener(update);
      } catch (error) {
        console.error('greenstate visualizer: a listener failed:', error);
      }
    }
  }
}
