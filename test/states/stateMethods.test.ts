// Decorated methods as states, with gevent_async's own state tests ported.
import {
  DeferredCallHandler,
  machineOf,
  runOf,
  type StateRun,
  StateValidationError,
  state,
} from 'greenstate';
import { describe, expect, test } from 'vitest';
import { deferred, tick } from '../support/helpers.js';

const runAfter = (obj: object, call: () => unknown): StateRun => {
  call();
  const run = runOf(obj);
  if (run === undefined) throw new Error('no run');
  return run;
};

describe('@state methods, as in gevent_async', () => {
  test('a state started from outside runs only after the caller yields', async () => {
    class Obj {
      initialReached = false;
      @state
      async initial() {
        this.initialReached = true;
      }
    }
    const obj = new Obj();
    obj.initial();
    expect(obj.initialReached).toBe(false);
    await tick();
    expect(obj.initialReached).toBe(true);
  });

  test('chained transitions initial -> second -> third run on one machine', async () => {
    class Obj {
      @state({ transitionsTo: 'second' })
      async initial() {
        return this.second();
      }
      @state({ transitionsTo: 'third' })
      async second() {
        return this.third();
      }
      @state()
      async third() {
        return 'third';
      }
    }
    const obj = new Obj();
    const run = runAfter(obj, () => obj.initial());
    const seen: unknown[] = [run.state];
    run.actor.subscribe((snapshot) => seen.push(snapshot.value));
    expect(await run.done).toBe('third');
    expect(seen).toEqual(['initial', 'second', 'third', 'done']);
  });

  test('a transition cycle foo <-> bar eleven times, on one run', async () => {
    class Obj {
      count = 0;
      visits: string[] = [];
      // Mutually recursive methods need a return type annotation (TypeScript's rule, not greenstate's).
      @state({ transitionsTo: 'bar' })
      async foo(): Promise<void> {
        this.visits.push('foo');
        return this.bar();
      }
      @state({ transitionsTo: 'foo' })
      async bar(): Promise<void> {
        this.visits.push('bar');
        if (this.count < 10) {
          this.count++;
          return this.foo();
        }
      }
    }
    const obj = new Obj();
    const run = runAfter(obj, () => obj.foo());
    await run.done;
    expect(obj.visits).toEqual(Array.from({ length: 11 }, () => ['foo', 'bar']).flat());
  });

  test('a wrong transition fails the run with StateValidationError after exactly the valid states ran', async () => {
    class Obj {
      reached: string[] = [];
      @state({ transitionsTo: 'second' })
      async initial() {
        this.reached.push('initial');
        return this.second();
      }
      @state()
      async second() {
        this.reached.push('second');
        return this.third();
      }
      @state
      async third() {
        this.reached.push('third');
      }
    }
    const obj = new Obj();
    const run = runAfter(obj, () => obj.initial());
    await expect(run.done).rejects.toThrow(new StateValidationError('second', 'third', { allowed: [] }));
    expect(obj.reached).toEqual(['initial', 'second']);
    expect(run.actor.getSnapshot().status).toBe('error');
  });

  test('onStart, with this the object, stores the state when asked', async () => {
    class Obj {
      state: string | undefined;
      @state({
        onStart(this: Obj, name: string, store = false) {
          if (store) this.state = name;
        },
      })
      async aState(store = false) {
        return store;
      }
    }
    const obj = new Obj();
    await runAfter(obj, () => obj.aState(true)).done;
    expect(obj.state).toBe('aState');
    obj.state = undefined;
    await runAfter(obj, () => obj.aState(false)).done;
    expect(obj.state).toBeUndefined();
  });
});

describe('@state methods: one machine per object', () => {
  class Light {
    log: string[] = [];
    gate = deferred();
    @state({ transitionsTo: ['on', 'broken'] })
    async off() {
      this.log.push('off');
      await this.gate.promise;
    }
    @state({ transitionsTo: 'off' })
    async on(brightness: number) {
      this.log.push(`on ${brightness}`);
      await this.gate.promise;
    }
    @state
    async broken() {
      this.log.push('broken');
      return 'broken';
    }
  }

  test('each outside call after a finished run starts a new run', async () => {
    const light = new Light();
    const first = runAfter(light, () => light.broken());
    expect(await first.done).toBe('broken');
    expect(runOf(light)).toBeUndefined();
    const second = runAfter(light, () => light.broken());
    expect(second).not.toBe(first);
    expect(await second.done).toBe('broken');
  });

  test('runOf is set before the first onStart runs and undefined by the time done settles', async () => {
    let seenInOnStart: StateRun | undefined;
    class Probe {
      @state({
        onStart(this: Probe) {
          seenInOnStart = runOf(this);
        },
      })
      async only() {}
    }
    const probe = new Probe();
    const returned = probe.only() as unknown as StateRun;
    expect(seenInOnStart).toBe(returned);
    expect(runOf(probe)).toBe(returned);
    await returned.done.then(() => expect(runOf(probe)).toBeUndefined());
  });

  test('while a run is active, an outside call is a checked transition of it and returns the run', async () => {
    const light = new Light();
    const run = runAfter(light, () => light.off());
    await tick();
    expect(light.on(80)).toBe(run);
    expect(run.state).toBe('on');
    expect(() => light.broken()).toThrow(new StateValidationError('on', 'broken', { allowed: ['off'] }));
    expect(run.state).toBe('on');
    await tick();
    expect(light.log).toEqual(['off', 'on 80']);
    run.stop();
    expect(await run.done).toBeUndefined();
  });

  test('calls from a body whose state has ended, and from tasks it started, do nothing — even after its run ended', async () => {
    const later = deferred();
    class Door {
      @state({ transitionsTo: 'open' })
      async closed() {
        // a task that outlives this state
        void later.promise.then(() => this.open());
        return this.open();
      }
      @state({ transitionsTo: 'closed' })
      async open() {
        return 'open';
      }
    }
    const door = new Door();
    const run = runAfter(door, () => door.closed());
    expect(await run.done).toBe('open');
    later.resolve();
    await tick();
    expect(runOf(door)).toBeUndefined();
  });

  test("a body calling another object's state method starts that object's machine", async () => {
    class Child {
      @state
      async play() {
        return 'played';
      }
    }
    class Parent {
      child = new Child();
      @state
      async wake() {
        const run = this.child.play() as unknown as StateRun;
        return run.done;
      }
    }
    const parent = new Parent();
    expect(await runAfter(parent, () => parent.wake()).done).toBe('played');
  });

  test('a class whose transitionsTo names no state throws at its first construction', () => {
    class Broken {
      @state({ transitionsTo: 'nowhere' })
      async somewhere() {}
    }
    expect(() => new Broken()).toThrow('class Broken: state "somewhere" lists "nowhere" in transitionsTo');
  });

  test('a state method named then is refused: it would make the objects thenable', () => {
    class Thenable {
      @state
      // biome-ignore lint/suspicious/noThenProperty: the very mistake this test makes on purpose
      async then() {}
    }
    expect(() => new Thenable()).toThrow('class Thenable: "then" cannot be a state name');
  });

  test('the decorator refuses what it cannot make a state', () => {
    expect(() => state({ transitionsTO: 'x' } as never)).toThrow(
      '@state(options) has no option "transitionsTO" (did you mean "transitionsTo"?); its options are transitionsTo, onStart, onExit, onError, timeout, clock.',
    );
    expect(() => {
      class Static {
        value = 1;
        @state
        static s() {}
      }
      return Static;
    }).toThrow('@state decorates public instance methods');
  });

  test('machineOf gives the XState machine of a class, in any first state', () => {
    expect(Object.keys(machineOf(Light).root.states)).toEqual(['off', 'on', 'broken', 'done']);
    expect(machineOf(Light, 'on').config.initial).toBe('on');
    expect(() => machineOf(Light, 'dim')).toThrow('Light has no state "dim" (its states: off, on, broken).');
  });
});

describe('handlers and states together', () => {
  test('a state body makes sync calls to a handler; a handler method starts runs', async () => {
    class Thermostat extends DeferredCallHandler {
      target = 20;
      readTarget() {
        return this.target;
      }
      startHeater(heater: Heater) {
        return heater.heating() as unknown as StateRun;
      }
    }
    const thermostat = new Thermostat();
    class Heater {
      @state
      async heating() {
        return `heating to ${await thermostat.sync.readTarget()}`;
      }
    }
    const heater = new Heater();
    const started = thermostat.sync.startHeater(heater);
    const processing = thermostat.process({ forever: true });
    const run = await started;
    expect(await run.done).toBe('heating to 20');
    thermostat.stopProcessing();
    await processing;
  });
});
