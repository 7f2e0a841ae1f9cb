// Clients of the service in restateService.ts, through the Restate ingress.
import { restateHandler, restateRun } from 'greenstate/restate';
import type { plant } from './plant.js';
import type { Greenhouse } from './restateService.js';

const ingress = process.env.RESTATE_INGRESS ?? 'http://127.0.0.1:8080';

const fern = restateRun<typeof plant>(ingress, 'fern', { name: 'plant' });
await fern.start(false); // a durable run: it goes on if the service restarts
console.log(await fern.done()); // withered

const north = restateHandler<typeof Greenhouse>(ingress, 'north', { name: 'Greenhouse' });
north.oneway.water('tomatoes', 2);
console.log(await north.sync({ timeout: 5_000 }).water('tomatoes', 1)); // 3 (6 the next time: it lasts)
