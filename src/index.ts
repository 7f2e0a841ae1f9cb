export { tracksAsyncContext } from '#async-context';
export { callSync } from './calls/callSync.js';
export { DeferredCallHandler } from './calls/DeferredCallHandler.js';
export { type HandlerActorRef, type HandlerSnapshot, handlerMachine } from './calls/handlerMachine.js';
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
} from './calls/types.js';
export {
  AbortError,
  DeadlockError,
  HandlerClosedError,
  StateDefinitionError,
  StateValidationError,
  TimeoutError,
  ValidationError,
} from './errors.js';
export { type GraphEdge, type GraphNode, type MachineGraph, machineGraph } from './graph/machineGraph.js';
export { toMermaid } from './graph/toMermaid.js';
export type { StatesMachine } from './states/compileMachine.js';
export { defineStates } from './states/defineStates.js';
export { machineOf, runOf, type StateOptions, state } from './states/state.js';
export type {
  RunOutput,
  StateArgs,
  StateBody,
  StateContext,
  StateDefinition,
  StateGraph,
  StateRun,
  StatesOptions,
  Transition,
} from './states/stateTypes.js';
