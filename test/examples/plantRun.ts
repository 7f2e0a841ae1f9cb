import { plant } from './plant.js';

const run = plant.sprouting(false); // a new run in "sprouting"; its body runs once we yield
console.log(run.state); // sprouting
console.log(await run.done); // withered (after "dead: cleaning up")
console.log(run.state); // undefined: the run has ended
