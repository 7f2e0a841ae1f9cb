import { type HandlerContext, handlerMachine } from 'greenstate';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { describeTransition } from './describeTransition.js';
import { HandlerTrack, type SeenEvent } from './HandlerTrack.js';
import { History } from './History.js';
import { MachineRegistry } from './MachineRegistry.js';
import {
  type ActorView,
  activeIds,
  describeError,
  describeValue,
  isFinished,
  type MachineView,
  type TimelineEntry,
  type Update,
} from './views.js';

/** Timeline entries kept (the page keeps as many). */
export const TIMELINE = 300;
/** Finished runs and closed handlers kept for the page; older ones are forgotten. */
const FINISHED = 20;

/** A snapshot as the tracker reads it. */
interface SeenSnapshot {
  machine?: object;
  value: unknown;
  status: string;
  context?: unknown;
  output?: unknown;
  error?: unknown;
}

/**
 * Follows actors through XState inspection events: the machines they run (laid out for drawing), their
 * current states, each handler's queue, running call and whitelist, a timeline of transitions and calls,
 * and enough history to show every actor as it was at any timeline entry.
 */
export class Tracker {
  readonly #registry = new MachineRegistry((machine) => this.#emit({ type: 'machine', machine }));
  /** The machines drawn, by key. */
  readonly machines: ReadonlyMap<string, MachineView> = this.#registry.views;
  readonly actors = new Map<string, ActorView>();
  readonly timeline: TimelineEntry[] = [];
  readonly history = new History();
  readonly #listeners = new Set<(update: Update) => void>();
  readonly #handlers = new Map<string, HandlerTrack>();
  /** How many root runs have been named after each first state and start time (to tell them apart). */
  readonly #names = new Map<string, number>();
  /** Events already followed: one actor may be inspected twice (its own `inspect`, and `add()`). */
  readonly #seen = new WeakSet<object>();
  #seq = 0;
  #closed = false;

  /** An XState inspection observer: pass it as `inspect` to handlers, graphs and actors. */
  readonly inspect = (event: InspectionEvent): void => {
    if (this.#closed || this.#seen.has(event)) return;
    this.#seen.add(event);
    try {
      if (event.type === '@xstate.snapshot')
        this.snapshot(event.actorRef as AnyActorRef, event.snapshot, event.event.type);
      else if (event.type === '@xstate.event')
        this.#event(event.actorRef as AnyActorRef, event.event, event.sourceRef as AnyActorRef | undefined);
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
  settled(): Promise<void> {
    return this.#registry.settled();
  }

  /** The number of the latest change. */
  get seq(): number {
    return this.#seq;
  }

  /** Registers a machine to draw; returns its key. Throws a TypeError for something that is no machine. */
  addMachine(machine: object): string {
    return this.#registry.add(machine);
  }

  /** The machine object registered under `key`, for its exports. */
  machineOf(key: string): object | undefined {
    return this.#registry.machineOf(key);
  }

  /** Notes an actor's snapshot (from inspection, or read directly when an actor is added). */
  snapshot(actorRef: AnyActorRef, snapshot: unknown, eventType: string): void {
    const s = snapshot as SeenSnapshot | undefined;
    const machine = s?.machine;
    if (s === undefined || machine === undefined) return; // not a machine actor (a state body, say)
    let machineKey: string;
    try {
      machineKey = this.addMachine(machine);
    } catch {
      return;
    }
    const id = actorRef.sessionId;
    const previous = this.actors.get(id);
    const now = Date.now();
    const track = machine === handlerMachine ? this.#trackOf(id) : undefined;
    const handler = track?.view(s.context as HandlerContext, s.value);
    const view: ActorView = {
      id,
      name: previous?.name ?? handler?.name ?? this.#nameOf(actorRef, s.value, now),
      machineKey,
      active: activeIds((machine as { id: string }).id, s.value),
      value: s.value,
      status: s.status,
      startedAt: previous?.startedAt ?? now,
      seq: ++this.#seq,
      result:
        s.status === 'done'
          ? JSON.stringify(s.output)
          : s.status === 'error'
            ? describeError(s.error)
            : undefined,
      handler,
    };
    this.actors.set(id, view);
    this.history.record(view.seq, id, previous);
    const from = previous ? describeValue(previous.value) : undefined;
    const to = describeValue(s.value);
    // A run added while it ran is shown as it is, with no entry: the timeline tells what happened.
    const followed = previous === undefined && eventType === 'greenstate.follow';
    if (handler === undefined && !followed && (from !== to || s.status !== previous?.status)) {
      this.#record({
        kind: 'transition',
        seq: view.seq,
        at: now,
        actor: view.name,
        actorId: id,
        from: from ?? '',
        to: s.status === 'active' ? to : s.status,
        event: eventType,
        ok: s.status !== 'error',
        text: describeTransition({
          from,
          to,
          status: s.status,
          event: eventType,
          output: s.output,
          error: s.error,
        }),
      });
    }
    this.#emit({ type: 'actor', actor: view });
    if (isFinished(view) && !isFinished(previous)) this.#forgetFinished();
  }

  #trackOf(id: string): HandlerTrack {
    let track = this.#handlers.get(id);
    if (track === undefined) {
      track = new HandlerTrack();
      this.#handlers.set(id, track);
    }
    return track;
  }

  /** A root run is named after its first state and start time; an actor with an id of its own, by it. */
  #nameOf(actorRef: AnyActorRef, value: unknown, now: number): string {
    if (actorRef.id !== actorRef.sessionId) return actorRef.id;
    const base = `${describeValue(value)} ${new Date(now).toTimeString().slice(0, 8)}`;
    const count = (this.#names.get(base) ?? 0) + 1;
    this.#names.set(base, count);
    if (this.#names.size > 1000) this.#names.delete(this.#names.keys().next().value as string);
    return count === 1 ? base : `${base} #${count}`;
  }

  /** An actor's name for the caller of a call: the nearest followed actor up its parents. */
  #callerOf(source: AnyActorRef | undefined): string {
    for (let actor = source; actor !== undefined; actor = actor._parent) {
      const known = this.actors.get(actor.sessionId);
      if (known !== undefined) return known.name;
    }
    return source?.id ?? 'outside';
  }

  #event(actorRef: AnyActorRef, event: SeenEvent, source?: AnyActorRef): void {
    const track = this.#handlers.get(actorRef.sessionId); // made at the handler's first snapshot
    if (track === undefined) return;
    const now = Date.now();
    const settled = track.event(event, event.type === 'call' ? this.#callerOf(source) : 'outside', now);
    if (settled === undefined) return;
    this.#record({
      kind: 'call',
      seq: ++this.#seq,
      at: now,
      actor: this.actors.get(actorRef.sessionId)?.name ?? actorRef.id,
      actorId: actorRef.sessionId,
      ...settled,
    });
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
    for (const actor of finished.slice(0, Math.max(0, finished.length - FINISHED))) {
      this.actors.delete(actor.id);
      this.#handlers.delete(actor.id);
      this.history.record(++this.#seq, actor.id, actor);
      this.#emit({ type: 'forget', id: actor.id });
    }
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
