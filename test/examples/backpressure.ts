import { DeferredCallHandler } from 'greenstate';

class Sink extends DeferredCallHandler {
  readonly items: number[] = [];
  put(item: number) {
    this.items.push(item);
  }
  async slowCount() {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return this.items.length;
  }
}

const sink = new Sink({ maxPending: 10 });
const processing = sink.process({ forever: true });

// A producer that waits for room before each call never meets a full queue.
for (let item = 0; item < 100; item++) {
  await sink.ready();
  sink.oneway.put(item);
}

// A caller that gives up: its call rejects with the signal's reason, and is withdrawn if still queued.
const controller = new AbortController();
const count = sink.sync({ signal: controller.signal }).slowCount();
setTimeout(() => controller.abort(new Error('the user left')), 50);
await count.catch((error: Error) => console.log(error.message)); // the user left

sink.stopProcessing();
await processing;
console.log(sink.items.length); // 100
