export { tracksAsyncContext } from '#async-context';
export { callSync } from './callSync.js';
export type { StatesMachine } from './compileMachine.js';
export { DeferredCallHandler } from './DeferredCallHandler.js';
export { defineStates } from './defineStates.js';
export {
  AbortError,
  DeadlockError,
  HandlerClosedError,
  StateDefinitionError,
  StateValidationError,
  TimeoutError,
  ValidationError,
} from './errors.js';
export { type HandlerActorRef, type HandlerSnapshot, handlerMachine } from './handlerMachine.js';
export { type GraphEdge, type GraphNode, type MachineGraph, machineGraph } from './machineGraph.js';
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
} from './protocol.js';
export { machineOf, runOf, type StateOptions, state } from './state.js';
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
} from './stateTypes.js';
export { toMermaid } from './toMermaid.js';
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
