import { DeferredCallHandler } from 'greenstate';

class Lemming extends DeferredCallHandler {
  kaboom(): never {
    throw new Error('#high pitched# oh no!');
  }
}

const lemming = new Lemming();
const processing = lemming.process({ forever: true });

try {
  await lemming.sync.kaboom();
} catch (error) {
  console.log(`sync call rejected: ${(error as Error).message}`); // we should hit that
}

// A oneway call's error never reaches the caller: it goes to onOnewayError (default: console.error).
lemming.oneway.kaboom();

lemming.stopProcessing();
await processing;
