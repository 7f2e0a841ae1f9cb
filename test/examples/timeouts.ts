import { DeferredCallHandler, TimeoutError } from 'greenstate';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ABitSlow extends DeferredCallHandler {
  async takingMyTime() {
    await sleep(2000);
    return 'done';
  }
}

const slow = new ABitSlow();
const processing = slow.process({ forever: true });

try {
  await slow.sync({ timeout: 500 }).takingMyTime();
} catch (error) {
  if (error instanceof TimeoutError) console.log(error.message); // we should hit that
}

// The deadline belonged to that one call: this one waits as long as it takes.
console.log(await slow.sync.takingMyTime());

slow.stopProcessing();
await processing;
