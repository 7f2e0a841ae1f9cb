// The Restate benchmark's service: `node --import tsx restateService.ts <port>`.
import * as restate from '@restatedev/restate-sdk';
import { restateObject, restateStates } from 'greenstate/restate';
import { countdown, Tally } from './restateCases.js';

restate.serve({
  services: [restateObject(Tally), restateStates(countdown)],
  port: Number(process.argv[2]),
  logger: () => {},
});
