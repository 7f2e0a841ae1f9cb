import { DeferredCallHandler, type HandlerOptions } from 'greenstate';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Manages resources in multi-step jobs; outside calls run only between two jobs. */
export class Manager extends DeferredCallHandler {
  readonly #readings = new Map<string, number>();
  readonly #report = new Map<string, number>();

  constructor(
    readonly stepMs = 1,
    readonly storeMs = 0,
    options?: HandlerOptions,
  ) {
    super(options);
  }

  async updateResource(name: string, reading: number) {
    if (this.storeMs > 0) await sleep(this.storeMs); // storing a reading may take a moment
    this.#readings.set(name, reading);
  }

  accessResources() {
    return Object.fromEntries(this.#report);
  }

  async manage() {
    this.#report.clear(); // a job in several steps...
    for (const [name, reading] of this.#readings) {
      await sleep(this.stepMs); // ...that yields between them: monitors and consumers run meanwhile
      this.#report.set(name, reading);
    }
    await this.process(); // queued calls run here, never in the middle of a job
  }
}

interface Session {
  rounds: number;
  log?: (line: string) => void;
  stepMs?: number;
  storeMs?: number;
  handler?: HandlerOptions;
  signal?: AbortSignal;
}

/** Monitors send readings (oneway), a consumer reads reports (sync), the manager runs `rounds` jobs. */
export async function runResourceManager({
  rounds,
  log = console.log,
  stepMs = 1,
  storeMs = 0,
  handler,
  signal,
}: Session) {
  const manager = new Manager(stepMs, storeMs, handler);
  let running = true;
  const monitors = ['pump', 'valve', 'tank'].map(async (name, i) => {
    for (let reading = 1; running; reading++) {
      manager.oneway.updateResource(name, reading * (i + 1));
      await sleep(2 * stepMs);
    }
  });
  const reports: Record<string, number>[] = [];
  const consumer = (async () => {
    while (running) {
      const report = await manager.sync.accessResources(); // never a half-built report
      reports.push(report);
      log(`consumer read ${JSON.stringify(report)}`);
    }
  })();

  for (let round = 0; round < rounds && !signal?.aborted; round++) await manager.manage();
  running = false;
  await manager.process(); // answer the consumer's last call
  await Promise.all([...monitors, consumer]);
  manager.close();
  return reports;
}
