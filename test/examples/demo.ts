import { runResourceManager } from './resourceManager.js';

console.log('greenstate demo: a resource manager with deferred calls');
const reports = await runResourceManager(5);
const whole = reports.every((report) => [0, 3].includes(Object.keys(report).length));
console.log(
  `done: the consumer read ${reports.length} reports, ${whole ? 'none' : 'some'} of them half-built`,
);
