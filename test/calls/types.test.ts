// Type tests: checked by `tsc --noEmit` (npm test); the runtime assertions only keep vitest happy.
import {
  type CallReply,
  callSync,
  DeferredCallHandler,
  type HandlerActorRef,
  type MethodName,
  type OnewayProxy,
  type ProcessOptions,
  type SyncProxy,
} from 'greenstate';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { HANDLER_MEMBERS } from '../../src/calls/types.js';

class Shop extends DeferredCallHandler {
  stock = 3;
  private secret() {
    return 'hidden';
  }
  buy(item: string, count = 1): boolean {
    this.stock -= item === '' ? 0 : count;
    return this.stock >= 0;
  }
  async price(item: string): Promise<number> {
    return item.length;
  }
  restock(...items: string[]): void {
    this.stock += items.length;
  }
  peek() {
    return this.secret();
  }
}

// Never called: only type-checked.
function compileTimeChecks(shop: Shop) {
  // @ts-expect-error: no such method
  shop.sync.sell('x');
  // @ts-expect-error: wrong argument type
  shop.sync.buy(42);
  // @ts-expect-error: missing argument
  shop.oneway.price();
  // @ts-expect-error: a field is not a method
  shop.sync.stock();
  // @ts-expect-error: the handler's own members are not calls
  shop.sync.process();
  // @ts-expect-error: nor through oneway
  shop.oneway.close();
  // @ts-expect-error: private methods are not offered
  shop.sync.secret();
  // @ts-expect-error: a timeout must be a number
  shop.sync({ timeout: '5' });
  // @ts-expect-error: whitelist entries must be method names
  void shop.process({ whitelist: ['buy', 'sell'] });
  // @ts-expect-error: oneway returns nothing to await on
  shop.oneway.buy('x').then;
  // @ts-expect-error: a function's members are not calls
  shop.sync.bind(null);
  // @ts-expect-error: nor are Object's
  shop.oneway.toString();
}

describe('types', () => {
  test('method names are inferred from the subclass, without the handler members', () => {
    expectTypeOf<MethodName<Shop>>().toEqualTypeOf<'buy' | 'price' | 'restock' | 'peek'>();
    expectTypeOf<MethodName<DeferredCallHandler>>().toBeNever();
    expect(typeof compileTimeChecks).toBe('function');
  });

  test('sync maps each method to a promise of its awaited result, with its own parameters', () => {
    const shop = new Shop();
    expectTypeOf(shop.sync.buy).toEqualTypeOf<(item: string, count?: number) => Promise<boolean>>();
    expectTypeOf(shop.sync.price).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(shop.sync.restock).parameters.toEqualTypeOf<string[]>();
    expectTypeOf(shop.sync({ timeout: 10 }).price).toEqualTypeOf<(item: string) => Promise<number>>();
    expectTypeOf(shop.sync).toEqualTypeOf<SyncProxy<Shop>>();
    shop.close();
  });

  test('oneway maps each method to a function returning void', () => {
    const shop = new Shop();
    expectTypeOf(shop.oneway.buy).toEqualTypeOf<(item: string, count?: number) => void>();
    expectTypeOf(shop.oneway).toEqualTypeOf<OnewayProxy<Shop>>();
    shop.close();
  });

  test('process options take the subclass method names; a subclass is still a DeferredCallHandler', () => {
    expectTypeOf<ProcessOptions<Shop>['whitelist']>().toEqualTypeOf<
      readonly ('buy' | 'price' | 'restock' | 'peek')[] | undefined
    >();
    expectTypeOf<Shop>().toExtend<DeferredCallHandler>();
    const handlers: DeferredCallHandler[] = [new Shop()];
    for (const handler of handlers) handler.close();
  });

  test('the actor ref speaks the protocol: call events in, call.reply emitted', () => {
    const shop = new Shop();
    expectTypeOf(shop.ref).toEqualTypeOf<HandlerActorRef<Shop>>();
    expectTypeOf(shop.ref.send).parameter(0).toExtend<{ type: string }>();
    shop.ref.on('call.reply', (reply) => expectTypeOf(reply).toExtend<CallReply>());
    expectTypeOf(callSync).returns.toEqualTypeOf<Promise<unknown>>();
    shop.close();
  });

  test('the list of handler members matches the class', () => {
    const own = Object.getOwnPropertyNames(DeferredCallHandler.prototype).sort();
    expect([...HANDLER_MEMBERS].filter((name) => name !== 'then' && name !== 'toJSON').sort()).toEqual(own);
  });
});
