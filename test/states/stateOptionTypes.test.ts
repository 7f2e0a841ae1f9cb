// Type tests of state timeouts, onError and onExit: checked by `tsc --noEmit` (npm test).
import {
  createTestClock,
  defineStates,
  type ExitReason,
  type StateContext,
  type StateMethodOptions,
  type StateTimeout,
  state,
  type TestClock,
} from 'greenstate';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { ActorOptions, AnyActorLogic } from 'xstate';

/** XState's own Clock type, as createActor takes it. */
type XStateClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

const forever = (ctx: StateContext) => ctx.sleep(Infinity);

// Never called: only type-checked.
function compileTimeChecks() {
  defineStates({
    a: { transitionsTo: ['b', 'c'], timeout: { after: 10, to: 'c', args: [1] }, onError: 'b', body: forever },
    b: () => {},
    c: (_ctx, n: number) => n,
  });
  defineStates({
    a: {
      transitionsTo: 'b',
      // @ts-expect-error: "c" is not listed in this state's transitionsTo
      timeout: { after: 10, to: 'c' },
      body: forever,
    },
    b: () => {},
    c: () => {},
  });
  defineStates({
    a: {
      // @ts-expect-error: a state without transitionsTo cannot time out to anything
      timeout: { after: 10, to: 'b' },
      body: forever,
    },
    b: () => {},
  });
  defineStates({
    a: {
      // @ts-expect-error: "nowhere" is not a state of this graph
      onError: 'nowhere',
      body: forever,
    },
  });
  defineStates({
    // @ts-expect-error: after is a number of milliseconds
    a: { transitionsTo: 'a', timeout: { after: '10', to: 'a' }, body: forever },
  });
  defineStates({
    a: {
      onExit: (state, reason) => {
        expectTypeOf(state).toEqualTypeOf<string>();
        expectTypeOf(reason).toEqualTypeOf<ExitReason>();
      },
      body: forever,
    },
  });
  class Modem {
    @state({ transitionsTo: ['dialing', 'offline'], timeout: { after: 30, to: 'offline' } })
    dialing() {}
    // @ts-expect-error: "online" is not listed in this state's transitionsTo
    @state({ transitionsTo: 'dialing', timeout: { after: 30, to: 'online' } })
    offline() {}
  }
  return Modem;
}

describe('state option types', () => {
  test('an exit reason narrows by its type', () => {
    const describe = (reason: ExitReason): string => {
      switch (reason.type) {
        case 'transition':
        case 'timeout':
          expectTypeOf(reason.to).toEqualTypeOf<string>();
          return reason.to;
        case 'return':
          expectTypeOf(reason.value).toEqualTypeOf<unknown>();
          return 'return';
        case 'error':
          expectTypeOf(reason.to).toEqualTypeOf<string | undefined>();
          return String(reason.error);
        case 'stop':
          return 'stop';
      }
    };
    expect(describe({ type: 'timeout', to: 'late' })).toBe('late');
    expect(typeof compileTimeChecks).toBe('function');
  });

  test('a state timeout names its target; the test clock is an XState clock', () => {
    expectTypeOf<StateTimeout<'late'>['to']>().toEqualTypeOf<'late'>();
    expectTypeOf<StateTimeout['args']>().toEqualTypeOf<readonly unknown[] | undefined>();
    expectTypeOf<TestClock>().toExtend<XStateClock>();
    expectTypeOf<XStateClock>().toExtend<NonNullable<StateMethodOptions['clock']>>();
    expectTypeOf(createTestClock().advance).returns.toEqualTypeOf<Promise<void>>();
  });
});
