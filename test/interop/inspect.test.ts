// Stately's inspector (@statelyai/inspect) serializes what it is given later, when the program is idle:
// it shows each snapshot as it was only because every change is a new snapshot object.
import { createInspector } from '@statelyai/inspect';
import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
import { describe, expect, test, vi } from 'vitest';

interface Sent {
  type: string;
  sessionId: string;
  snapshot?: { value?: unknown; context?: { pending?: number; args?: unknown[] } };
}

class Queue extends DeferredCallHandler {
  work() {}
}

describe("Stately's inspector", () => {
  test("shows a handler's queue length as it was at each change: 0, 1, 2, 3, then back to 0", async () => {
    const sent: Sent[] = [];
    const inspector = createInspector({ send: (event) => void sent.push(event as Sent) });
    const queue = new Queue({ inspect: inspector.inspect });
    queue.oneway.work();
    queue.oneway.work();
    queue.oneway.work();
    await queue.process();
    const pendings = () =>
      sent
        .filter((event) => event.type === '@xstate.snapshot' && event.sessionId === queue.ref.sessionId)
        .map((event) => event.snapshot?.context?.pending);
    await vi.waitFor(() => expect(pendings().at(-1)).toBe(0));
    const counts = pendings();
    expect(counts.filter((count, i) => count !== counts[i - 1])).toEqual([0, 1, 2, 3, 2, 1, 0]);
  });

  test('shows each state of a run with the arguments it was entered with', async () => {
    const sent: Sent[] = [];
    const inspector = createInspector({ send: (event) => void sent.push(event as Sent) });
    const counter = defineStates(
      {
        counting: {
          transitionsTo: 'counting',
          body: (ctx: StateContext<'counting'>, n: number) => (n < 3 ? ctx.to.counting(n + 1) : n),
        },
      },
      { inspect: inspector.inspect },
    );
    const run = counter.counting(0);
    expect(await run.done).toBe(3);
    const args = () =>
      sent
        .filter((event) => event.type === '@xstate.snapshot' && event.sessionId === run.actor.sessionId)
        .map((event) => event.snapshot?.context?.args?.[0]);
    await vi.waitFor(() => expect(args().at(-1)).toBe(3));
    expect([...new Set(args())]).toEqual([0, 1, 2, 3]);
  });
});
