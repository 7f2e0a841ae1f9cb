import type { HandlerContext } from 'greenstate';
import { type CallView, describeError, type HandlerView, type TimelineEntry } from './views.js';

/** What a settled call adds to the timeline, less what the tracker knows (its number, time, actor). */
export type SettledCall = Omit<
  Extract<TimelineEntry, { kind: 'call' }>,
  'kind' | 'seq' | 'at' | 'actor' | 'actorId'
>;

/** Queued calls a handler's track remembers; beyond them only the count (`pending`) is known. */
const REMEMBERED = 1000;
/** Queued calls a handler's view lists, oldest first. */
const SHOWN = 8;

/** A handler event as inspection shows it (any of the call protocol's and the loop's). */
export interface SeenEvent {
  type: string;
  id?: unknown;
  method?: unknown;
  oneway?: unknown;
  whitelist?: unknown;
  ok?: unknown;
  error?: unknown;
}

/**
 * What the visualizer knows of one handler beyond its context: the calls it queued (from its `call`
 * events, counted only once its snapshot shows the queue grew, so that refused calls leave nothing), the
 * running call, and the whitelist of the running loop. Bounded: it remembers the oldest calls up to a
 * limit, and forgets each call once it started or settled.
 */
export class HandlerTrack {
  readonly #queued = new Map<string, CallView>();
  #running: CallView | undefined = undefined;
  #whitelist: string[] | undefined = undefined;
  /** The `call` event whose snapshot comes next, with who sent it. */
  #arriving: { event: SeenEvent; caller: string; at: number } | undefined = undefined;
  #pending = 0;

  /** An event reached the handler's actor (its snapshot follows): what it adds to the timeline, if anything. */
  event(event: SeenEvent, caller: string, at: number): SettledCall | undefined {
    const id = typeof event.id === 'string' ? event.id : undefined;
    this.#arriving = event.type === 'call' && id !== undefined ? { event, caller, at } : undefined;
    if (event.type === 'loop.start') {
      this.#whitelist = Array.isArray(event.whitelist) ? event.whitelist.map(String) : undefined;
    } else if (event.type === 'loop.end' || event.type === 'close') {
      this.#whitelist = undefined;
      if (event.type === 'close') this.#queued.clear();
    } else if (event.type === 'call.start' && id !== undefined) {
      const queued = this.#queued.get(id);
      this.#queued.delete(id);
      this.#running = {
        id,
        method: String(event.method),
        oneway: queued?.oneway ?? false,
        caller: queued?.caller ?? 'outside',
        queuedAt: queued?.queuedAt,
        startedAt: at,
      };
    } else if ((event.type === 'call.settle' || event.type === 'call.end') && id !== undefined) {
      // The call that settled: the running one (which the snapshot's `currentCall` ends), or one
      // withdrawn from the queue (a deadline, a cancel).
      const call = this.#running?.id === id ? this.#running : this.#queued.get(id);
      this.#queued.delete(id);
      if (event.type === 'call.settle') return settledCall(event, id, call, at);
    }
    return undefined;
  }

  /** The handler's snapshot after the last event: its view. */
  view(context: HandlerContext, value: unknown): HandlerView {
    const arriving = this.#arriving;
    if (arriving !== undefined && context.pending > this.#pending && this.#queued.size < REMEMBERED) {
      const { event } = arriving;
      const id = String(event.id);
      this.#queued.set(id, {
        id,
        method: String(event.method),
        oneway: event.oneway === true,
        caller: arriving.caller,
        queuedAt: arriving.at,
        startedAt: undefined,
      });
    }
    this.#arriving = undefined;
    this.#pending = context.pending;
    if (context.pending === 0) this.#queued.clear(); // whatever it missed, nothing is queued now
    if (context.currentCall === undefined) this.#running = undefined;
    const queue: CallView[] = [];
    for (const call of this.#queued.values()) {
      if (queue.length === SHOWN) break;
      queue.push(call);
    }
    return {
      name: context.name,
      status: context.closed ? 'closed' : statusOf(value),
      pending: context.pending,
      maxPending: context.maxPending,
      full: context.maxPending !== undefined && context.pending >= context.maxPending,
      currentCall: context.currentCall,
      running: this.#running,
      whitelist: statusOf(value) === 'idle' ? undefined : this.#whitelist,
      queue,
      closed: context.closed,
    };
  }
}

function statusOf(value: unknown): HandlerView['status'] {
  if (value === 'closed') return 'closed';
  if (typeof value === 'object' && value !== null) {
    const processing = (value as { processing?: unknown }).processing;
    return processing === 'waiting' ? 'waiting' : 'processing';
  }
  return 'idle';
}

/** A settled call's timeline fields, from its event and from what was seen of it before. */
function settledCall(event: SeenEvent, id: string, seen: CallView | undefined, at: number): SettledCall {
  const method = String(event.method);
  const oneway = event.oneway === true;
  const caller = seen?.caller ?? 'outside';
  const ok = event.ok === true;
  const outcome = ok ? 'ok' : describeError(event.error);
  const startedAt = seen?.startedAt;
  const ms = startedAt === undefined ? undefined : at - startedAt;
  const from = caller === 'outside' ? '' : ` from ${caller}`;
  const took = ms === undefined ? '' : ` in ${ms} ms`;
  return {
    id,
    method,
    oneway,
    caller,
    outcome,
    queuedAt: seen?.queuedAt,
    startedAt,
    ms,
    ok,
    text: `${method}() ${oneway ? 'oneway' : 'sync'}${from} → ${outcome}${took}`,
  };
}
