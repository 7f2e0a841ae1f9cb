export { tracksAsyncContext } from '#async-context';
export { callSync } from './callSync.js';
export { DeferredCallHandler } from './DeferredCallHandler.js';
export {
  AbortError,
  DeadlockError,
  HandlerClosedError,
  StateValidationError,
  TimeoutError,
  ValidationError,
} from './errors.js';
export { type HandlerActorRef, type HandlerSnapshot, handlerMachine } from './handlerMachine.js';
export type {
  CallEvent,
  CallReply,
  CancelEvent,
  CloseEvent,
  HandlerEvent,
  LoopEvent,
  ReplyTarget,
  StopProcessingEvent,
} from './protocol.js';
export type {
  CallOptions,
  Clock,
  HandlerOptions,
  MethodName,
  OnewayCallInfo,
  OnewayProxy,
  ProcessOptions,
  SyncMethods,
  SyncProxy,
} from './types.js';
