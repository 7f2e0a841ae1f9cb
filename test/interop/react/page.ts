// A page for the React test: a graph machine under useMachine, a handler's queue under useSelector.
// Bundled with esbuild for the browser (the default build of greenstate: no AsyncLocalStorage).
import { useActorRef, useMachine, useSelector } from '@xstate/react';
import { DeferredCallHandler, defineStates, type StateContext } from 'greenstate';
import { createElement as h, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { type AnyActorRef, setup } from 'xstate';

const gates: Array<() => void> = [];
const gate = () => new Promise<void>((resolve) => gates.push(resolve));

const lamp = defineStates(
  {
    off: {
      transitionsTo: 'on',
      body: async (ctx: StateContext<'on'>, times: number) => {
        await gate();
        return ctx.to.on(times + 1);
      },
    },
    on: {
      transitionsTo: 'off',
      body: async (ctx: StateContext<'off'>, times: number) => {
        await gate();
        return times < 2 ? ctx.to.off(times) : `burnt out after ${times}`;
      },
    },
  },
  { id: 'lamp' },
);

const working: Array<() => void> = [];
class Tasks extends DeferredCallHandler {
  /** Each task runs until the test finishes it, so that every queue length can be seen. */
  work() {
    return new Promise<void>((resolve) => working.push(resolve));
  }
}
const tasks = new Tasks({ name: 'tasks' });

/** A handler hosted by a machine that React runs in StrictMode (which stops and restarts its actors). */
class Inbox extends DeferredCallHandler {
  receive() {}
}
const inbox = new Inbox({ name: 'inbox', hosted: true });
const app = setup({ actors: { inbox: inbox.logic } }).createMachine({
  invoke: { src: 'inbox', systemId: 'inbox' },
});

const page = window as unknown as {
  lampRenders: string[];
  pendingRenders: number[];
  step(): boolean;
  finishTask(): boolean;
  tasks: Tasks;
  inbox: Inbox;
};
page.lampRenders = [];
page.pendingRenders = [];
page.step = () => {
  const open = gates.shift();
  open?.();
  return open !== undefined;
};
page.finishTask = () => {
  const finish = working.shift();
  finish?.();
  return finish !== undefined;
};
page.tasks = tasks;
page.inbox = inbox;

function Lamp() {
  const [snapshot] = useMachine(lamp.machine, { input: { args: [0] } });
  const shown = snapshot.status === 'done' ? `done: ${String(snapshot.output)}` : String(snapshot.value);
  page.lampRenders.push(shown);
  return h('p', { id: 'lamp' }, shown);
}

function Pending() {
  const pending = useSelector(tasks.ref, (snapshot) => snapshot.context.pending);
  page.pendingRenders.push(pending);
  return h('p', { id: 'pending' }, String(pending));
}

function InboxCount() {
  const actor = useActorRef(app);
  const pending = useSelector(
    actor.system.get('inbox') as AnyActorRef,
    (snapshot) => snapshot.context.pending,
  );
  return h('p', { id: 'inbox' }, String(pending));
}

const root = document.getElementById('root');
if (root === null) throw new Error('no #root');
createRoot(root).render(h('main', null, h(Lamp), h(Pending), h(StrictMode, null, h(InboxCount))));
