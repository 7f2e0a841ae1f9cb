import { callSync, DeferredCallHandler, HandlerClosedError } from 'greenstate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createActor } from 'xstate';
import { deferred, tick } from '../support/helpers.js';

class Service extends DeferredCallHandler {
  gate = deferred<string>();
  signal: AbortSignal | undefined;
  ran: string[] = [];

  async slow() {
    this.signal = this.currentCall?.signal;
    this.ran.push('slow');
    return this.gate.promise;
  }
  quick(label: string) {
    this.ran.push(label);
    return label;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('close()', () => {
  test('rejects every queued and running sync call with HandlerClosedError, with the reason as cause', async () => {
    const service = new Service({ name: 'svc' });
    const running = service.sync.slow();
    const queued = service.sync.quick('q');
    const outcomes = Promise.allSettled([running, queued]);
    const processing = service.process();
    await tick();
    const reason = new Error('maintenance');
    service.close(reason);
    const [r, q] = await outcomes;
    expect(r).toMatchObject({ status: 'rejected', reason: expect.any(HandlerClosedError) });
    expect(q).toMatchObject({ status: 'rejected', reason: expect.any(HandlerClosedError) });
    expect(r.status === 'rejected' && r.reason.cause).toBe(reason);
    expect(q.status === 'rejected' && q.reason.message).toBe(
      'svc.quick() was still queued when the handler was closed.',
    );
    await processing; // resolved at once, though slow() still runs
    expect(service.ran).toEqual(['slow']);
  });

  test("aborts the running call's signal and clears currentCall", async () => {
    const service = new Service();
    const running = service.sync.slow().catch((error: unknown) => error);
    const processing = service.process();
    await tick();
    expect(service.currentCall?.method).toBe('slow');
    service.close();
    expect(service.signal?.aborted).toBe(true);
    expect(service.signal?.reason).toBeInstanceOf(HandlerClosedError);
    expect(service.currentCall).toBeUndefined();
    await processing;
    service.gate.resolve('too late');
    expect(await running).toBeInstanceOf(HandlerClosedError);
  });

  test('ends a forever loop at once', async () => {
    const service = new Service();
    const processing = service.process({ forever: true });
    await tick();
    service.close();
    await processing;
    expect(service.ref.getSnapshot().value).toBe('closed');
  });

  test('later calls fail at once: sync rejects, oneway throws, process() rejects', async () => {
    const service = new Service();
    service.close('gone');
    await expect(service.sync.quick('x')).rejects.toMatchObject({
      name: 'HandlerClosedError',
      cause: 'gone',
    });
    expect(() => service.oneway.quick('x')).toThrow(HandlerClosedError);
    await expect(service.process()).rejects.toBeInstanceOf(HandlerClosedError);
    expect(() => service.stopProcessing()).not.toThrow();
    expect(service.pending).toBe(0);
  });

  test('queued oneway calls that will never run are reported to onOnewayError', async () => {
    const reported: [unknown, unknown][] = [];
    const service = new Service({ onOnewayError: (error, call) => reported.push([error, call]) });
    service.oneway.quick('never');
    service.close();
    expect(reported).toEqual([[expect.any(HandlerClosedError), { method: 'quick', args: ['never'] }]]);
  });

  test('the actor stays active in its closed state and answers later protocol calls with an error', async () => {
    const service = new Service();
    service.close('bye');
    const snapshot = service.ref.getSnapshot();
    expect(snapshot.status).toBe('active');
    expect(snapshot.value).toBe('closed');
    await expect(callSync(service.ref, 'quick', ['x'])).rejects.toMatchObject({
      name: 'HandlerClosedError',
      cause: 'bye',
    });
  });

  test('close() twice keeps the first reason', async () => {
    const service = new Service();
    service.close('first');
    service.close('second');
    await expect(service.sync.quick('x')).rejects.toMatchObject({ cause: 'first' });
  });

  test('a close event from another actor closes the handler like close()', async () => {
    const service = new Service();
    const queued = service.sync.quick('q');
    service.ref.send({ type: 'close', reason: 'remote' });
    await expect(queued).rejects.toMatchObject({ name: 'HandlerClosedError', cause: 'remote' });
  });

  test('stopping the actor does not close the handler: its calls still run, and a new host takes it up', async () => {
    const service = new Service();
    const queued = service.sync.quick('q');
    const stopped = service.ref;
    stopped.stop();
    expect(stopped.getSnapshot().status).toBe('stopped');
    await expect(callSync(stopped, 'quick', ['x'])).rejects.toThrow(/needs an active actor/);
    await service.process();
    expect(await queued).toBe('q');
    const host = createActor(service.logic).start(); // a handler has one running actor at a time
    expect(service.ref).toBe(host);
    const later = callSync(host, 'quick', ['later']);
    await service.process();
    expect(await later).toBe('later');
  });

  test('a stopped actor is sent nothing more: XState warns of no event sent to it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const service = new Service();
    const queued = service.sync.quick('q');
    service.ref.stop();
    await service.process();
    expect(await queued).toBe('q');
    service.close();
    expect(warn.mock.calls.filter(([message]) => /stopped actor/.test(String(message)))).toEqual([]);
    warn.mockRestore();
  });
});
