import { describeError } from './views.js';

/** What a transition's snapshot tells, as far as its words need it. */
export interface TransitionSeen {
  from: string | undefined;
  to: string;
  status: string;
  event: string;
  output?: unknown;
  error?: unknown;
}

/** A value in a sentence: strings quoted, the rest as JSON where it can be. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > 80 ? `${text.slice(0, 77)}…` : text;
  } catch {
    // a value JSON cannot show (a cycle, a BigInt): its string form
  }
  return String(value);
}

/**
 * A transition in words, with no XState-internal names: `started in sprouting`, `growing → flowering`,
 * `ended with "withered"`, `failed: TypeError: …`, `stopped in growing`. Events other than a state's own
 * name (a hand-written machine's) are named: `idle → running on START`.
 */
export function describeTransition(seen: TransitionSeen): string {
  const { from, to, status, event } = seen;
  if (status === 'done') return `ended with ${shown(seen.output)}`;
  if (status === 'error') return `failed: ${describeError(seen.error)}`;
  if (status === 'stopped') return from === undefined ? 'stopped' : `stopped in ${from}`;
  if (from === undefined) return `started in ${to}`;
  // A greenstate tail call is an event named after its target state; a body's return, a done event.
  const named = event === to || event.startsWith('xstate.') ? '' : ` on ${event}`;
  return `${from} → ${to}${named}`;
}
