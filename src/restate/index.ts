export { RestateCallError } from './RestateCallError.js';
export { restateContext } from './restateContext.js';
export { type RestateHandler, type RestateHandlerOptions, restateHandler } from './restateHandler.js';
export { type RestateObjectOptions, restateObject } from './restateObject.js';
export { type RestateRun, type RestateRunSnapshot, restateRun } from './restateRun.js';
export { type RestateStatesOptions, type RestateStatesService, restateStates } from './restateStates.js';
