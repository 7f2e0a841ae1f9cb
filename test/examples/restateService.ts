// A Restate service: the plant's graph as durable runs, and a greenhouse whose keys are handler objects.
// Run it (node --import tsx restateService.ts; on Node 20, --import ./withResolvers.ts too), then register
// it: curl 127.0.0.1:9070/deployments --json '{"uri": "http://127.0.0.1:9080", "force": true}'
import * as restate from '@restatedev/restate-sdk';
import { DeferredCallHandler } from 'greenstate';
import { restateObject, restateStates } from 'greenstate/restate';
import { plant } from './plant.js';

export class Greenhouse extends DeferredCallHandler {
  litres: Record<string, number> = {}; // the object's fields are its durable state

  water(bed: string, litres: number) {
    this.litres[bed] = (this.litres[bed] ?? 0) + litres;
    return this.litres[bed];
  }
}

restate.serve({
  services: [restateStates(plant), restateObject(Greenhouse)],
  port: Number(process.env.PORT ?? 9080),
});
