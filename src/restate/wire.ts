// What the served objects and their clients agree on, beside Restate's own HTTP API.

/** The shared handler every served handler object has, which cancels one of its calls by invocation id. */
export const CANCEL = '_cancel';

/** The key of a served handler object's fields in its Restate state. */
export const FIELDS = 'fields';

/** The metadata key of a failed call's error record (JSON of `serializeError`). */
export const ERROR_METADATA = 'greenstate-error';

/** The header a oneway call is sent with, so that the object reports its failure (nobody waits for it). */
export const ONEWAY_HEADER = 'x-greenstate-oneway';

/**
 * How an error that a body failed with is kept in a run's persisted snapshot (its `error`, or the
 * arguments of the `onError` state it led to): `{ "greenstate.error": <serializeError record> }`.
 */
export const RUN_ERROR = 'greenstate.error';
