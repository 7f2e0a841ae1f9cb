import { handlerMachine, toMermaid } from 'greenstate';
import { layoutMachine } from './layoutMachine.js';
import type { MachineView } from './views.js';

/**
 * The machines the visualizer draws, each under a key of its own (`m1`, `m2`…): registered once however
 * often they are met, laid out in the background, and told to `laidOut` once drawable (or once it is
 * known why they cannot be).
 */
export class MachineRegistry {
  readonly views = new Map<string, MachineView>();
  readonly #keys = new Map<object, string>();
  readonly #machines = new Map<string, object>();
  readonly #pending: Promise<unknown>[] = [];

  constructor(readonly laidOut: (view: MachineView) => void) {}

  /** Resolves once every machine registered so far is laid out. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#pending);
  }

  /** Registers a machine to draw; returns its key. Throws a TypeError for something that is no machine. */
  add(machine: object): string {
    const known = this.#keys.get(machine);
    if (known) return known;
    const mermaid = toMermaid(machine); // throws a clear TypeError for anything else
    const key = `m${this.#keys.size + 1}`;
    this.#keys.set(machine, key);
    this.#machines.set(key, machine);
    const view: MachineView = {
      key,
      id: (machine as { id?: string }).id ?? key,
      kind: machine === handlerMachine ? 'handler' : 'machine',
      layout: undefined,
      mermaid,
      error: undefined,
    };
    this.views.set(key, view);
    this.#pending.push(
      layoutMachine(machine).then(
        (layout) => {
          view.layout = layout;
          this.laidOut(view);
        },
        (error: unknown) => {
          view.error = `could not lay out machine ${view.id}: ${error instanceof Error ? error.message : String(error)}`;
          this.laidOut(view);
        },
      ),
    );
    return key;
  }

  /** The machine registered under `key`, for its exports. */
  machineOf(key: string): object | undefined {
    return this.#machines.get(key);
  }
}
