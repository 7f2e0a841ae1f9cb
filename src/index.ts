export { tracksAsyncContext } from '#async-context';
export { callSync } from './calls/callSync.js';
export { DeferredCallHandler } from './calls/DeferredCallHandler.js';
export {
  type HandlerActorRef,
  type HandlerSnapshot,
  handlerMachine,
} from './calls/handlerMachine.js';
export type {
  CallEvent,
  CallReply,
  CancelEvent,
  CloseEvent,
  HandlerEvent,
  LoopEvent,
  ReplyTarget,
  StopProcessingEvent,
  TraceEvent,
} from './calls/protocol.js';
export { type ConnectOptions, connectHandler, type RemoteHandler } from './calls/remote/connectHandler.js';
export { exposeHandler, type ServedHandler } from './calls/remote/exposeHandler.js';
export type { Endpoint } from './calls/remote/openEndpoint.js';
export type { RemoteHandlerContext, RemoteHandlerRef } from './calls/remote/remoteHandlerMachine.js';
export type {
  CallOptions,
  HandlerContext,
  HandlerOptions,
  MethodName,
  OnewayCallInfo,
  OnewayProxy,
  ProcessOptions,
  SyncMethods,
  SyncProxy,
} from './calls/types.js';
export type { Clock } from './clock.js';
export { createTestClock, type TestClock } from './createTestClock.js';
export {
  AbortError,
  DeadlockError,
  HandlerClosedError,
  QueueFullError,
  StateDefinitionError,
  StateValidationError,
  TimeoutError,
  ValidationError,
} from './errors.js';
export { type GraphEdge, type GraphNode, type MachineGraph, machineGraph } from './graph/machineGraph.js';
export { toMermaid } from './graph/toMermaid.js';
export { toXStateCode } from './graph/toXStateCode.js';
export { defineStates } from './states/defineStates.js';
export { machineOf, runOf } from './states/machineOf.js';
export type {
  FinalStateName,
  RunContext,
  RunInput,
  StateRun,
  StatesMachine,
  TransitionEvent,
} from './states/runTypes.js';
export { type StateMethodOptions, type StateOptions, state } from './states/state.js';
export type { ExitReason, StateTimeout } from './states/stateOptions.js';
export type {
  DefineStatesOptions,
  RunOutput,
  StateArgs,
  StateBody,
  StateContext,
  StateDefinition,
  StateGraph,
  StatesOptions,
  Transition,
} from './states/stateTypes.js';
