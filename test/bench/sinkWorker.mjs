// A worker thread for the benchmark's remote cases: it serves an adder over its parentPort, through
// greenstate (a handler processing forever) or through Comlink, as `workerData` says. Plain JavaScript
// importing the package as built (dist/), as the rest of the benchmark does.
import { parentPort, workerData } from 'node:worker_threads';
import Comlink from 'comlink';
import adapter from 'comlink/dist/umd/node-adapter.js';
import { DeferredCallHandler, exposeHandler } from 'greenstate';

// Comlink's build for Node is CommonJS: its node adapter's module is the function itself, which its
// types call the module's default export.
const nodeEndpoint = /** @type {typeof import('comlink/dist/umd/node-adapter.js').default} */ (
  /** @type {unknown} */ (adapter)
);

if (parentPort === null) throw new Error('sinkWorker.mjs runs in a worker thread');

class Sink extends DeferredCallHandler {
  total = 0;
  /** @param {number} k */
  add(k) {
    this.total += k;
    return this.total;
  }
}

if (workerData === 'greenstate') {
  const sink = new Sink();
  exposeHandler(sink, parentPort);
  await sink.process({ forever: true });
} else if (workerData === 'comlink') {
  let total = 0;
  Comlink.expose(
    {
      /** @param {number} k */
      add(k) {
        total += k;
        return total;
      },
    },
    nodeEndpoint(parentPort),
  );
} else {
  throw new Error(`sinkWorker.mjs serves "greenstate" or "comlink", not ${JSON.stringify(workerData)}`);
}
