/**
 * The messages between a remote handler (`connectHandler`) and the handler it reaches (`exposeHandler`).
 * They cross in batches (see `Outbox`), flat: a batch is an array that starts with its tag, then (from a
 * remote handler) the prefix of its ids, then each message as its operation code followed by that
 * operation's fields — no array per message, since structured cloning costs per object. Anything else
 * on the endpoint (a program's own messages) is left alone by both ends.
 *
 * From a remote handler, `[wire.calls, prefix, …]`:
 * - `call, n, method, args`: a sync call, whose id is `prefix + n`; answered by `ok` or `error`;
 * - `oneway, method, args`: a oneway call, never answered (its error goes to the handler's onOnewayError);
 * - `cancel, n`: withdraws the queued call `prefix + n`, or aborts its signal if it runs;
 * - `hello`: the remote handler's first message: it asks the handler's name.
 *
 * From the handler's side, `[wire.answers, …]`:
 * - `ok, id, value`: a sync call's result;
 * - `error, id, SerializedError`: what a sync call threw, or why it could not be queued;
 * - `uncloneable, id, detail`: a sync call's result could not be cloned (`detail`: why, as cloning said);
 * - `welcome, prefix, name`: the handler's name, for the remote handler whose ids start with `prefix`;
 * - `closed, SerializedError, why`: the handler's side stopped serving (`why` says how); every remote
 *   handler on the endpoint closes, with the reason as the cause of its `HandlerClosedError`s.
 */
export const wire = {
  calls: 'greenstate.calls',
  answers: 'greenstate.answers',
  call: 0,
  oneway: 1,
  cancel: 2,
  hello: 3,
  ok: 4,
  error: 5,
  welcome: 6,
  closed: 7,
  uncloneable: 8,
} as const;

/** An operation's code. */
export type Op = (typeof wire)[Exclude<keyof typeof wire, 'calls' | 'answers'>];

/** How many fields follow each operation's code. */
const ARITY: readonly number[] = [3, 2, 1, 0, 2, 2, 2, 2, 2];

/** How many fields follow `op` (`undefined` for no operation: a malformed batch ends there). */
export function arityOf(op: unknown): number | undefined {
  return typeof op === 'number' ? ARITY[op] : undefined;
}

/** What reads a batch's messages: each operation's code and its fields (missing ones `undefined`). */
export interface MessageReader {
  read(op: Op, a: unknown, b: unknown, c: unknown): void;
}

/**
 * Reads the messages of a batch of `tag`, whose header is `header` items long (the tag and what follows
 * it), in order; returns the header (`undefined` if `data` is no such batch).
 */
export function readBatch(
  data: unknown,
  tag: string,
  header: number,
  reader: MessageReader,
): unknown[] | undefined {
  if (!Array.isArray(data) || data[0] !== tag) return undefined;
  for (let i = header; i < data.length; ) {
    const op: unknown = data[i];
    const arity = arityOf(op);
    if (arity === undefined) break;
    reader.read(
      op as Op,
      data[i + 1],
      arity > 1 ? data[i + 2] : undefined,
      arity > 2 ? data[i + 3] : undefined,
    );
    i += 1 + arity;
  }
  return data;
}
