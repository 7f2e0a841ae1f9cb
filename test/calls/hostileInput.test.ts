// What hostile values and odd timing do to a handler: every call settles, nothing crashes, no getter runs.
import { type CallReply, callSync, DeferredCallHandler, HandlerClosedError, TimeoutError } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ManualClock, tick, watchUnhandledRejections } from '../support/helpers.js';

const unhandled = watchUnhandledRejections();
afterEach(() => {
  vi.restoreAllMocks();
  expect(unhandled).toEqual([]);
});

/** An object whose `then` getter throws: awaiting it, or asking whether it is a promise, throws. */
const throwingThen = (error: Error) =>
  Object.defineProperty({}, 'then', {
    get() {
      throw error;
    },
  });

const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

class Tricky extends DeferredCallHandler {
  getterRuns = 0;
  ran: string[] = [];
  get boom(): () => void {
    this.getterRuns++;
    throw new Error('the getter ran');
  }
  thenThrows(error: Error) {
    this.ran.push('thenThrows');
    return throwingThen(error);
  }
  revokedProxy() {
    this.ran.push('revokedProxy');
    return revoked();
  }
  ok() {
    this.ran.push('ok');
    return 'ok';
  }
}

describe('hostile values', () => {
  test("a method's result whose then getter throws rejects the call with that error, and the loop goes on", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const tricky = new Tricky();
    const error = new Error('then is a trap');
    const first = tricky.sync.thenThrows(error);
    const second = tricky.sync.revokedProxy();
    const third = tricky.sync.ok();
    tricky.oneway.thenThrows(error);
    const reported: unknown[] = [];
    const withListener = new Tricky({ onOnewayError: (failure) => reported.push(failure) });
    withListener.oneway.thenThrows(error);
    await tricky.process();
    await withListener.process();
    await expect(first).rejects.toBe(error);
    await expect(second).rejects.toThrow(TypeError); // a revoked proxy cannot be read
    expect(await third).toBe('ok');
    expect(tricky.ran).toEqual(['thenThrows', 'revokedProxy', 'ok', 'thenThrows']);
    expect(reported).toEqual([error]);
    expect(logged).toHaveBeenCalledWith('Tricky.thenThrows() failed in a oneway call:', error);
    expect(tricky.pending).toBe(0);
    expect(tricky.ref.getSnapshot().value).toBe('idle');
  });

  test('checking whether a name is a method, and listing the methods, never runs a getter', async () => {
    const tricky = new Tricky();
    await expect((tricky.sync as unknown as Record<string, () => Promise<unknown>>).typo?.()).rejects.toThrow(
      /"typo" is not a method of Tricky .*its methods are ok, revokedProxy, thenThrows/,
    );
    await expect((tricky.sync as unknown as Record<string, () => Promise<unknown>>).boom?.()).rejects.toThrow(
      TypeError,
    );
    await expect(tricky.process({ whitelist: ['boom' as never] })).rejects.toThrow(/whitelist entry "boom"/);
    expect('boom' in tricky.sync).toBe(false);
    const replies: CallReply[] = [];
    tricky.ref.send({
      type: 'call',
      id: 'p1',
      method: 'typo',
      args: [],
      replyTo: { send: (r) => replies.push(r) },
    });
    tricky.ref.send({
      type: 'call',
      id: 'p2',
      method: 'boom',
      args: [],
      replyTo: { send: (r) => replies.push(r) },
    });
    expect(replies.map((reply) => reply.ok)).toEqual([false, false]);
    expect(tricky.ref.getSnapshot().status).toBe('active');
    expect(tricky.getterRuns).toBe(0);
    const answer = tricky.sync.ok();
    await tricky.process();
    expect(await answer).toBe('ok');
  });
});

describe('odd timing', () => {
  test("a sync call made inside the actor's own processing, then close(), is settled by close", async () => {
    const tricky = new Tricky();
    let late: Promise<unknown> | undefined;
    tricky.ref.on('call.reply', () => {
      if (late !== undefined) return;
      late = tricky.sync.ok(); // from inside the actor's emit of the first reply
      tricky.close('closing from a listener');
    });
    const first = tricky.sync.ok();
    await tricky.process();
    expect(await first).toBe('ok');
    await expect(late).rejects.toThrow(HandlerClosedError);
    expect(tricky.pending).toBe(0);
    expect(tricky.ref.getSnapshot().context).toMatchObject({ pending: 0, closed: true });
  });

  test('a callSync made while the actor processes joins the queue at once, in order with proxy calls', async () => {
    const tricky = new Tricky();
    const order: Promise<unknown>[] = [];
    let once = true;
    tricky.ref.subscribe(() => {
      if (!once) return;
      once = false;
      order.push(callSync(tricky.ref, 'ok'), tricky.sync.ok()); // from inside the actor's own update
      tricky.stopProcessing();
    });
    tricky.oneway.ok();
    await tricky.process();
    expect(tricky.ran).toEqual(['ok', 'ok', 'ok']);
    expect(await Promise.all(order)).toEqual(['ok', 'ok']);
  });

  test('a callSync made while its actor is being stopped still settles: the handler goes on', async () => {
    const tricky = new Tricky();
    let retry: Promise<unknown> | undefined;
    tricky.ref.on('call.reply', (reply) => {
      if (!reply.ok && retry === undefined) retry = callSync(tricky.ref, 'ok');
    });
    const failed = tricky.sync.thenThrows(new Error('first'));
    await tricky.process();
    await expect(failed).rejects.toThrow('first');
    tricky.ref.stop();
    await tricky.process();
    expect(await retry).toBe('ok');
  });

  test('odd ids and method names in protocol events are answered, never a crash', async () => {
    const reported: unknown[] = [];
    const tricky = new Tricky({ onOnewayError: (error) => reported.push(error) });
    const replies: CallReply[] = [];
    const odd = Object.create(null) as object;
    tricky.ref.send({
      type: 'call',
      id: odd as never,
      method: 'ok',
      args: [],
      replyTo: { send: (r) => replies.push(r) },
    });
    tricky.ref.send({ type: 'call', id: 'o', method: odd as never, args: [], oneway: true });
    const unreadable = Object.defineProperty({ type: 'call' }, 'method', {
      get() {
        throw new Error('unreadable');
      },
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    tricky.ref.send(unreadable as never);
    expect(logged).toHaveBeenCalledWith(
      'greenstate: Tricky could not read a call event:',
      new Error('unreadable'),
    );
    expect(replies).toEqual([{ type: 'call.reply', id: odd, ok: false, error: expect.any(TypeError) }]);
    expect(reported).toEqual([expect.any(TypeError)]);
    expect(tricky.ref.getSnapshot().status).toBe('active');
    const answer = tricky.sync.ok();
    await tricky.process();
    expect(await answer).toBe('ok');
    logged.mockRestore();
  });

  test('an inspector that throws does not wedge the handler: the error is reported, the calls go on', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    let once = true;
    const tricky = new Tricky({
      inspect: (event) => {
        if (once && event.type === '@xstate.event' && event.event.type === 'call.start') {
          once = false;
          throw new Error('a faulty inspector');
        }
      },
    });
    const first = tricky.sync.ok();
    const second = tricky.sync.ok();
    await tricky.process();
    expect(await Promise.all([first, second])).toEqual(['ok', 'ok']);
    expect(tricky.currentCall).toBeUndefined();
    expect(logged).toHaveBeenCalledWith(
      "greenstate: an inspector of Tricky's actor threw on call.start:",
      new Error('a faulty inspector'),
    );
  });

  test('process() refuses a forever option that is not a boolean', async () => {
    const tricky = new Tricky();
    await expect(tricky.process({ forever: 1 as never })).rejects.toThrow(
      'Tricky.process(options): forever must be true or false, got 1.',
    );
    await expect(tricky.process({ forever: 'yes' as never })).rejects.toThrow(TypeError);
  });

  test('an async onOnewayError that rejects is reported like one that throws, never unhandled', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const tricky = new Tricky({
      onOnewayError: async () => {
        throw new Error('the reporter failed');
      },
    });
    tricky.oneway.thenThrows(new Error('first'));
    await tricky.process();
    await tick();
    expect(error).toHaveBeenCalledWith(
      "Tricky's onOnewayError failed while reporting a failed oneway call:",
      new Error('the reporter failed'),
      new Error('first'),
    );
  });
});

describe('deadlines beyond what a timer holds', () => {
  test('a timeout above 2^31 - 1 ms holds until it has passed (timers are chained)', async () => {
    const clock = new ManualClock();
    const tricky = new Tricky({ clock });
    const answer = tricky.sync({ timeout: 2 ** 31 }).ok();
    const outcome = expect(answer).rejects.toThrow(TimeoutError);
    await clock.advance(2 ** 31 - 1);
    expect(tricky.pending).toBe(1);
    await clock.advance(1);
    await outcome;
    expect(tricky.pending).toBe(0);
    expect(clock.active).toBe(0);
  });

  test("callSync's deadline runs on the handler's clock, and holds beyond 2^31 - 1 ms too", async () => {
    const clock = new ManualClock();
    const tricky = new Tricky({ clock });
    const answer = callSync(tricky.ref, 'ok', [], { timeout: 1e10 });
    const outcome = expect(answer).rejects.toThrow(TimeoutError);
    await clock.advance(1e10 - 1);
    expect(tricky.pending).toBe(1);
    await clock.advance(1);
    await outcome;
    expect(tricky.pending).toBe(0);
    expect(clock.active).toBe(0);
  });
});
