import type { AnyActorRef, AnyActorScope, Snapshot } from 'xstate';
import type { CheckedStates } from './checkStates.js';
import { Run } from './Run.js';
import type { StatesMachine } from './runTypes.js';

/** The object whose methods each actor of a decorated class's machine runs. */
const targets = new WeakMap<AnyActorRef, object>();
/** The running machine of each object. */
const runs = new WeakMap<object, Run>();

const TARGET = Symbol('greenstate.target');

type Bound = StatesMachine & { readonly [TARGET]: object };

/** The object whose methods the machine actor `actor` runs, if it runs an object's machine. */
export function targetOf(actor: AnyActorRef | undefined): object | undefined {
  return actor === undefined ? undefined : targets.get(actor);
}

/** The running machine of `obj`, if any. */
export function currentRun(obj: object): Run | undefined {
  return runs.get(obj);
}

/** Why a class's machine cannot run without an object. */
export function noObjectError(graph: CheckedStates): TypeError {
  return new TypeError(
    `The machine of ${graph.where} runs the methods of one object: start machineOf(obj) for that object ` +
      '(createActor(machineOf(plant))), not the class machine machineOf(Class), which is for drawing and graphs.',
  );
}

/** One prototype per class machine: its methods find the object on the logic they are called on. */
const prototypes = new WeakMap<StatesMachine, object>();

function prototypeFor(machine: StatesMachine): object {
  let prototype = prototypes.get(machine);
  if (prototype === undefined) {
    prototype = Object.create(machine, {
      getInitialSnapshot: {
        value(this: Bound, scope: AnyActorScope, input: unknown) {
          targets.set(scope.self, this[TARGET]);
          return machine.getInitialSnapshot(scope as never, input as never);
        },
      },
      restoreSnapshot: {
        value(this: Bound, snapshot: Snapshot<unknown>, scope: AnyActorScope) {
          targets.set(scope.self, this[TARGET]);
          return machine.restoreSnapshot(snapshot, scope as never);
        },
      },
      start: {
        value(this: Bound, snapshot: never, scope: AnyActorScope) {
          adopt(this[TARGET], scope.self);
          machine.start(snapshot);
        },
      },
    }) as object;
    prototypes.set(machine, prototype);
  }
  return prototype;
}

/**
 * The machine of a decorated class bound to one object: an actor of it, whoever creates it (`graph`
 * methods, `createActor`, a parent's `invoke`), runs that object's methods and becomes its run.
 */
export function bindMachine(machine: StatesMachine, target: object): StatesMachine {
  return Object.create(prototypeFor(machine), { [TARGET]: { value: target } }) as StatesMachine;
}

/** Makes `actor` the object's run, as it starts: an object has one running machine at a time. */
function adopt(target: object, actor: AnyActorRef): void {
  const current = runs.get(target);
  if (current?.actor === actor) return;
  if (current !== undefined && current.actor.getSnapshot().status === 'active') {
    throw new Error(
      `This ${target.constructor?.name ?? 'object'} already has a running machine (in state "${current.state}"): ` +
        'an object runs one machine at a time. Stop it first (runOf(obj).stop()), or wait for runOf(obj).done.',
    );
  }
  const run: Run = new Run(actor, {
    onEnd: () => {
      if (runs.get(target) === run) runs.delete(target);
    },
  });
  runs.set(target, run);
}

/**
 * The machine of a decorated class whose every actor runs the methods of an object of its own, made by
 * `create` as the actor is made or restored, and adopted by nobody: for hosts (Restate) that make an
 * actor for each event, from the persisted snapshot, and drop it afterwards.
 */
export function machinePerActor(machine: StatesMachine, create: () => object): StatesMachine {
  return Object.create(machine, {
    getInitialSnapshot: {
      value(scope: AnyActorScope, input: unknown) {
        targets.set(scope.self, create());
        return machine.getInitialSnapshot(scope as never, input as never);
      },
    },
    restoreSnapshot: {
      value(snapshot: Snapshot<unknown>, scope: AnyActorScope) {
        targets.set(scope.self, create());
        return machine.restoreSnapshot(snapshot, scope as never);
      },
    },
  }) as StatesMachine;
}
