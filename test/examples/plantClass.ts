import { runOf, state } from 'greenstate';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Plant {
  history: string[] = [];

  @state({ transitionsTo: 'growing', onStart: record })
  async sprouting(eaten: boolean) {
    await sleep(10); // germination
    return this.growing(eaten); // the sprouting task ends here; growing starts
  }

  @state({ transitionsTo: 'flowering', onStart: record })
  async growing(eaten: boolean) {
    await sleep(10);
    return this.flowering(eaten);
  }

  @state({ transitionsTo: ['dead', 'withering'], onStart: record })
  async flowering(eaten: boolean) {
    await sleep(10);
    return eaten ? this.dead(true) : this.withering();
  }

  @state({ transitionsTo: 'dead', onStart: record })
  async withering() {
    await sleep(10);
    return this.dead(false);
  }

  @state({ onStart: record })
  async dead(eaten: boolean) {
    return eaten ? 'eaten' : 'withered';
  }
}

// onStart runs with `this` the plant, the state's name and the state's arguments.
function record(this: Plant, state: string) {
  this.history.push(state);
}

const plant = new Plant();
plant.sprouting(true); // from outside: starts the plant's machine
const run = runOf(plant);
console.log(await run?.done); // eaten
console.log(plant.history.join(' -> ')); // sprouting -> growing -> flowering -> dead
