import { machineGraph } from './machineGraph.js';

/** What is read from toJSON() and from XState's actions, guards and invokes: anything may be missing. */
type Field = 'meta' | 'description' | 'delay' | 'reenter' | 'output' | 'history' | 'id' | 'input' | 'guard';
type Named = 'type' | 'params' | 'name' | 'check' | 'guards' | 'stateValue' | 'src' | 'systemId';
type Lists = Record<'target' | 'actions' | 'entry' | 'exit' | 'tags', readonly unknown[]>;
type Loose = Partial<Record<Field | Named, unknown> & Lists>;
type Transition = Loose & { eventType: string };
type NodeJson = Loose & { id: string; key: string; type: string; states?: Record<string, NodeJson> } & {
  initial?: Loose;
  transitions?: readonly Transition[];
  invoke?: readonly Loose[];
};
/** A live state node, for what toJSON() leaves out: eventless transitions, a history state's default. */
type Live = { states?: Record<string, Live>; always?: readonly Transition[]; config?: { target?: unknown } };
type Node = { id: string; key: string; path: string; parent: Node | undefined; json: NodeJson; live?: Live };

/** A JavaScript object literal, its keys already written as code; `undefined` values are left out. */
class Obj {
  constructor(readonly entries: (readonly [string, Code | undefined])[]) {}
}
type Code = string | readonly Code[] | Obj;

/** An invoked actor's transitions, and the events they are taken on. */
const INVOKE = { onDone: 'xstate.done.actor', onError: 'xstate.error.actor', onSnapshot: 'xstate.snapshot' };

/**
 * Writes any XState v5 machine as JavaScript that Stately's editor imports and draws as the same graph.
 *
 * The source is `setup({ actions, guards, actors }).createMachine({ ... })`. It keeps ids, initial states,
 * nested, parallel, final and history states, transitions (guards, `always`, `after`, invoke `onDone` and
 * `onError`), entry and exit actions, descriptions, tags and plain-data meta. Implementations cannot be
 * written: actions, guards, actors and named delays are referenced by name, with stubs in `setup`.
 * A machine's `toJSON()` is accepted too, less the `always` transitions and history defaults it lacks.
 * Throws a `TypeError` for anything else.
 *
 * @example
 * ```ts
 * import { handlerMachine, toXStateCode } from 'greenstate';
 * console.log(toXStateCode(handlerMachine)); // paste it into stately.ai/registry, "Import from code"
 * // import { setup } from 'xstate';
 * // export const machine = setup({ actions: { "accept": () => {}, ... } }).createMachine({ ... });
 * ```
 */
export function toXStateCode(machine: unknown): string {
  machineGraph(machine); // the one check of what a machine is, and its TypeError
  const toJSON = (machine as { toJSON?: () => unknown }).toJSON;
  const ids = new Map<string, Node>();
  const children = new Map<Node, Map<string, Node>>();
  const index = (json: NodeJson, parent: Node | undefined, live: Live | undefined): Node => {
    const path = parent ? `${parent.path}.${json.key}` : json.id; // the id XState gives a state without one
    const node: Node = { id: json.id, key: json.key, path, parent, json, ...(live && { live }) };
    ids.set(node.id, node); // the last one wins, as in XState's own map of ids
    children.set(node, new Map());
    for (const [key, child] of Object.entries(json.states ?? {}))
      children.get(node)?.set(key, index(child, node, live?.states?.[key]));
    return node;
  };
  const json = (typeof toJSON === 'function' ? toJSON.call(machine) : machine) as NodeJson;
  const top = index(json, undefined, (machine as { root?: Live }).root);
  const used = { actions: new Set<string>(), guards: new Set<string>(), actors: new Set<string>() };
  const delays = new Set<string>();
  const imports = new Set(['setup']);
  const nodeOf = (target: unknown) =>
    ids.get(typeof target === 'string' ? target.replace(/^#/, '') : String((target as { id?: unknown })?.id));
  /**
   * A target that XState resolves back to exactly that state: a sibling's key, `.child`, else `#id`.
   * XState splits keys and ids at `.` (a `\` escapes), reads `#` as an id and stops at an empty key.
   */
  const targetCode = (source: Node, target: Node) => {
    if (source.parent && target.parent === source.parent && plain(target.key)) return str(target.key);
    if (target.parent === source && plain(target.key) && (!source.parent || plain(source.key)))
      return str(`.${target.key}`);
    const [first = '', ...keys] = target.id.split('.');
    const walk = (n: Node | undefined, k: string) => (plain(k) && n ? children.get(n)?.get(k) : undefined);
    const exact = keys.reduce(walk, ids.get(first)) === target && !target.id.includes('\\');
    return str(`#${exact ? target.id : target.id.replace(/[\\.]/g, '\\$&')}`);
  };
  const targetsOf = (source: Node, list: readonly unknown[] = []) =>
    list.map(nodeOf).flatMap((n) => (n ? [targetCode(source, n)] : []));
  const named = (set: Set<string>, name: string, params?: unknown): Code => {
    set.add(name);
    const data = literal(params);
    return data === undefined ? str(name) : obj({ type: str(name), params: data });
  };
  const actions = (list: readonly unknown[] = []): Code | undefined =>
    one(list.map((action) => named(used.actions, nameOf(action, 'action'), (action as Loose).params)));
  const guard = (g: unknown): Code | undefined => {
    if (g === undefined || g === null) return undefined;
    const { params, name, check, guards, stateValue } = g as Loose;
    if (typeof g !== 'function') return named(used.guards, nameOf(g, 'guard'), params);
    // XState's own combinators are functions named after themselves, with a `check`.
    const combinator = typeof check === 'function' && typeof name === 'string' ? name : '';
    if (combinator === 'stateIn' || (['and', 'or', 'not'].includes(combinator) && Array.isArray(guards))) {
      imports.add(combinator);
      const args = combinator === 'stateIn' ? [literal(stateValue)] : (guards as unknown[]).map(guard);
      const inner = args.map((arg) => print(arg ?? 'undefined', '')).join(', ');
      return `${combinator}(${/^(and|or)$/.test(combinator) ? `[${inner}]` : inner})`;
    }
    return named(used.guards, typeof name === 'string' && name ? name : 'guard');
  };
  const transition = (source: Node) => (t: Transition) => {
    const targets = targetsOf(source, t.target);
    const rest = {
      guard: guard(t.guard),
      actions: actions(t.actions),
      reenter: t.reenter === true ? 'true' : undefined,
      description: typeof t.description === 'string' ? str(t.description) : undefined,
      meta: literal(t.meta),
    };
    const bare = targets.length === 1 && Object.values(rest).every((v) => v === undefined);
    return bare ? (targets[0] as string) : obj({ target: one(targets), ...rest });
  };
  /** Transitions under their events (or delays), several of one event as an array. */
  const grouped = (pairs: (readonly [string, Code])[]) => {
    const groups = new Map<string, Code[]>();
    for (const [key, code] of pairs) groups.set(key, [...(groups.get(key) ?? []), code]);
    return groups.size === 0 ? undefined : data([...groups].map(([key, list]) => [key, one(list)]));
  };

  const state = (node: Node): Obj => {
    const { json, live } = node;
    const own = json.transitions ?? [];
    const on = (type: string) => one(own.filter((t) => t.eventType === type).map(transition(node)));
    const after = own.filter((t) => t.delay !== undefined && t.eventType.startsWith('xstate.after.'));
    const taken = new Set([...after.map((t) => t.eventType), `xstate.done.state.${node.id}`]);
    const invokes = (json.invoke ?? []).map((invoke, i) => {
      const id = String(invoke.id);
      // An inline actor's src is made up by XState (`xstate.invoke.…`), which means something else in code.
      const { src: given } = invoke;
      const src = typeof given === 'string' && !given.startsWith('xstate.invoke.') ? given : id;
      used.actors.add(src);
      const events = Object.entries(INVOKE).map(([key, prefix]) => [key, `${prefix}.${id}`] as const);
      for (const [, type] of events) taken.add(type);
      return obj({
        id: id === `${i}.${node.id}` ? undefined : str(id),
        src: str(src),
        systemId: typeof invoke.systemId === 'string' ? str(invoke.systemId) : undefined,
        input: literal(invoke.input),
        ...Object.fromEntries(events.map(([key, type]) => [key, on(type)])),
      });
    });
    for (const t of after) if (typeof t.delay === 'string') delays.add(t.delay);
    // `after` adds a raise to the entry actions and a cancel to the exit actions per delay: not the user's.
    const added = new Set(after.map((t) => t.eventType)).size;
    const userActions = (list: readonly unknown[] = [], type: string) =>
      actions(list.filter((action, i) => i < list.length - added || (action as Loose).type !== type));
    const initial = nodeOf(json.initial?.target?.[0]);
    const history = json.type === 'history' ? [live?.config?.target ?? []].flat() : [];
    const kids = [...(children.get(node) ?? [])];
    return obj({
      id: node.parent && node.id === node.path ? undefined : str(node.id),
      type: ['parallel', 'final', 'history'].includes(json.type) ? str(json.type) : undefined,
      history: json.type === 'history' && typeof json.history === 'string' ? str(json.history) : undefined,
      // A history state's default: as written (relative to its parent), or as found.
      target: one(history.flatMap((t) => (typeof t === 'string' ? [str(t)] : targetsOf(node, [t])))),
      initial: initial && str(initial.key),
      description: typeof json.description === 'string' ? str(json.description) : undefined,
      tags: json.tags?.length ? literal(json.tags) : undefined,
      meta: literal(json.meta),
      entry: userActions(json.entry, 'xstate.raise'),
      exit: userActions(json.exit, 'xstate.cancel'),
      invoke: one(invokes),
      on: grouped(own.filter((t) => !taken.has(t.eventType)).map((t) => [t.eventType, transition(node)(t)])),
      after: grouped(after.map((t) => [String(t.delay), transition(node)(t)])),
      always: one((live?.always ?? []).map(transition(node))),
      onDone: on(`xstate.done.state.${node.id}`),
      output: literal(json.output),
      states: kids.length ? data(kids.map(([key, child]) => [key, state(child)])) : undefined,
    });
  };

  const config = print(state(top), '');
  if (used.actors.size > 0) imports.add('fromPromise');
  const delayValues = (machine as { implementations?: { delays?: Loose } }).implementations?.delays;
  const delay = (name: string) => (delayValues as Record<string, unknown> | undefined)?.[name];
  const stubs = (names: Set<string>, stub: (name: string) => string) =>
    names.size ? data([...names].map((name) => [name, stub(name)])) : undefined;
  const setup = obj({
    actions: stubs(used.actions, () => '() => {}'),
    guards: stubs(used.guards, () => '() => true'),
    actors: stubs(used.actors, () => 'fromPromise(async () => {})'),
    delays: stubs(delays, (name) => (typeof delay(name) === 'number' ? String(delay(name)) : '1000')),
  });
  return [
    `// The machine ${str(top.id)}, written by greenstate's toXStateCode for Stately's editor.`,
    '// Implementations cannot be serialised: actions, guards, actors and delays are referenced by name,',
    '// and setup() gives each a stub that does nothing; replace them with the real ones.',
    `import { ${[...imports].sort().join(', ')} } from 'xstate';`,
    '',
    `export const machine = setup(${print(setup, '')}).createMachine(${config});`,
    '',
  ].join('\n');
}

/** A key that XState reads as itself in a path: not empty, no `.` or `\`, not an id (`#`). */
function plain(key: string): boolean {
  return /^[^.\\#][^.\\]*$/.test(key);
}

/** An action's or a guard's name: itself, or its `type`. */
function nameOf(named: unknown, otherwise: string): string {
  const type = typeof named === 'string' ? named : (named as Loose | null)?.type;
  return typeof type === 'string' ? type : otherwise;
}

/** One item alone, several as an array, none as `undefined`. */
function one(list: readonly Code[]): Code | undefined {
  return list.length === 0 ? undefined : list.length === 1 ? list[0] : list;
}

/** An object of config fields, whose names are plain identifiers. */
function obj(fields: Record<string, Code | undefined>): Obj {
  return new Obj(Object.entries(fields));
}

/** An object keyed by the machine's names: quoted, and `__proto__` computed, to be an own key. */
function data(entries: readonly (readonly [string, Code | undefined])[]): Obj {
  return new Obj(entries.map(([key, value]) => [key === '__proto__' ? `[${str(key)}]` : str(key), value]));
}

/** A string literal, also safe in a line comment (JSON.stringify leaves U+2028 and U+2029 as they are). */
function str(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Plain data as code; `undefined` for functions, cycles and anything else that code cannot hold. */
function literal(value: unknown, seen: readonly unknown[] = []): Code | undefined {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value !== 'object' || seen.includes(value)) return undefined;
  const inner = [...seen, value];
  if (Array.isArray(value)) return value.map((item) => literal(item, inner) ?? 'undefined');
  return data(Object.entries(value).map(([key, v]) => [key, literal(v, inner)]));
}

/** Code as text: on one line when it fits, else one entry a line. */
function print(code: Code, indent: string): string {
  if (typeof code === 'string') return code;
  const inner = `${indent}  `;
  const isObj = code instanceof Obj;
  const items = isObj
    ? code.entries.flatMap(([key, value]) => (value === undefined ? [] : [`${key}: ${print(value, inner)}`]))
    : (code as readonly Code[]).map((item) => print(item, inner));
  const [open, close] = isObj ? ['{', '}'] : ['[', ']'];
  if (items.length === 0) return `${open}${close}`;
  const flat = isObj ? `{ ${items.join(', ')} }` : `[${items.join(', ')}]`;
  if (indent.length + flat.length <= 100 && !flat.includes('\n')) return flat;
  return `${open}\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}${close}`;
}
