import { DeferredCallHandler } from 'greenstate';
import { describe, expect, test } from 'vitest';

class Manager extends DeferredCallHandler {
  value = 1;
  resource() {
    return this.value;
  }
  update(value: number) {
    this.value = value;
  }
}

// The proxies' types reject these calls; the casts let the tests make them anyway, as plain JavaScript would.
const loose = (handler: DeferredCallHandler) => ({
  sync: handler.sync as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>,
  oneway: handler.oneway as unknown as Record<string, (...args: unknown[]) => void>,
  options: handler.sync as unknown as (options: unknown) => unknown,
});

describe('bad input gets a clear error at the call site', () => {
  test('an unknown method: sync rejects and oneway throws a TypeError naming the method and the class', async () => {
    const manager = new Manager();
    const { sync, oneway } = loose(manager);
    await expect(sync.resourse?.()).rejects.toThrow(
      new TypeError(
        '"resourse" is not a method of Manager that sync or oneway can call (its methods are resource, ' +
          "update; the handler's own members such as process and close are not calls).",
      ),
    );
    expect(() => oneway.resourse?.()).toThrow(TypeError);
    expect(manager.pending).toBe(0);
  });

  test("the handler's own members and Object's are not callable through the proxies", async () => {
    const manager = new Manager();
    const { sync, oneway } = loose(manager);
    for (const member of [
      'process',
      'stopProcessing',
      'close',
      'sync',
      'oneway',
      'ref',
      'constructor',
      'valueOf',
    ]) {
      await expect(sync[member]?.()).rejects.toThrow(`"${member}" is not a method of Manager`);
      expect(() => oneway[member]?.()).toThrow(TypeError);
    }
    await expect(sync.value?.()).rejects.toThrow('"value" is not a method of Manager');
    expect(manager.pending).toBe(0);
  });

  test('errors name the handler by its name option, and its class', async () => {
    const manager = new Manager({ name: 'primary' });
    await expect(loose(manager).sync.nope?.()).rejects.toThrow('is not a method of Manager "primary"');
  });

  test('a timeout that is not a finite number ≥ 0 is a RangeError', () => {
    const manager = new Manager();
    const { options } = loose(manager);
    for (const timeout of [-1, Number.NaN, Number.POSITIVE_INFINITY, '100', null]) {
      expect(() => options({ timeout })).toThrow(RangeError);
    }
    expect(() => options({ timeout: -5 })).toThrow('Manager.sync(options): timeout must be a finite number');
    expect(() => options({ timeout: Number.NaN })).toThrow('≥ 0, got NaN.');
    expect(() => options({ timeout: Number.POSITIVE_INFINITY })).toThrow('≥ 0, got Infinity.');
    expect(() => options(100)).toThrow(TypeError);
    expect(() => manager.sync({ timeout: 0 })).not.toThrow();
  });

  test('a proxy is never mistaken for a promise', async () => {
    const manager = new Manager();
    expect((manager.sync as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await manager.sync).toBe(manager.sync);
    expect(await Promise.resolve(manager.oneway)).toBe(manager.oneway);
    const fromAsync = async () => manager.sync({ timeout: 10 });
    expect(typeof (await fromAsync()).resource).toBe('function');
    expect(manager.pending).toBe(0);
  });

  test('a proxy converts to a string and serializes without making a call', () => {
    const manager = new Manager({ name: 'm1' });
    expect(String(manager.sync)).toBe('[sync proxy of m1]');
    expect(`${manager.oneway}`).toBe('[oneway proxy of m1]');
    expect(JSON.stringify({ proxy: manager.sync })).toBe('{}');
    expect(manager.pending).toBe(0);
  });

  test('the proxies are read-only and know which methods they can call', () => {
    const manager = new Manager();
    expect('resource' in manager.sync).toBe(true);
    expect('process' in manager.oneway).toBe(false);
    expect(() => {
      (manager.sync as unknown as Record<string, unknown>).resource = () => 0;
    }).toThrow(TypeError);
  });

  test('bad handler options are refused at construction', () => {
    expect(() => new Manager({ name: '' })).toThrow(
      new TypeError('new Manager(options): name must be a non-empty string, got "".'),
    );
    expect(() => new Manager({ onOnewayError: 'log' as never })).toThrow(
      'new Manager(options): onOnewayError must be a function, got "log".',
    );
    expect(() => new Manager({ clock: {} as never })).toThrow(
      'new Manager(options): clock must be a clock with setTimeout(fn, ms) and clearTimeout(id), got {}.',
    );
    expect(() => new Manager(null as never)).toThrow(
      'new Manager(options) takes an options object { name, onOnewayError, inspect, clock, systemId, hosted, maxPending }, got null.',
    );
  });

  test('an option a function does not take is refused, naming it and the ones it takes', async () => {
    expect(() => new Manager({ nmae: 'x' } as never)).toThrow(
      'new Manager(options) has no option "nmae" (did you mean "name"?); its options are name, onOnewayError, inspect, clock, systemId, hosted, maxPending.',
    );
    expect(() => loose(new Manager()).options({ timeoutt: 5 })).toThrow(
      'Manager.sync(options) has no option "timeoutt"',
    );
    await expect(new Manager().process({ forEver: true } as never)).rejects.toThrow(
      'Manager.process(options) has no option "forEver" (did you mean "forever"?); its options are forever, whitelist.',
    );
  });

  test('process() refuses options that are not an object', async () => {
    const manager = new Manager();
    await expect(manager.process(true as never)).rejects.toThrow(
      'Manager.process(options) takes an options object',
    );
  });

  test('a method removed after its call was queued fails that call, not the loop', async () => {
    const manager: Manager & { temp?: () => string } = new Manager();
    manager.temp = () => 'temp';
    const call = loose(manager).sync.temp?.();
    const after = manager.sync.resource();
    delete manager.temp;
    await manager.process();
    await expect(call).rejects.toThrow('"temp" is not a method of Manager');
    expect(await after).toBe(1);
  });
});
