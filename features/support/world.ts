// The cucumber World: holds the simulation of one scenario; steps stay thin and call src/ through it.
import { After, Before, setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { type Lab, Simulation, type SimOrganization, startLab } from '../../src/sim/index.js';

setDefaultTimeout(20_000);

export class DomsecWorld extends World {
  sim?: Simulation;
  lab?: Lab;
  lastMessageId?: string;
  notes: string[] = [];

  constructor(options: IWorldOptions) {
    super(options);
  }

  async simulation(): Promise<Simulation> {
    this.sim ??= await Simulation.start({ seed: this.seed() });
    return this.sim;
  }

  async startLab(name: string): Promise<Lab> {
    this.lab = await startLab(name, { seed: this.seed() });
    this.sim = this.lab.sim;
    return this.lab;
  }

  org(domain: string): SimOrganization {
    if (!this.sim) throw new Error('No simulation is running in this scenario: start a lab or add organizations first.');
    return this.sim.org(domain);
  }

  orgOf(address: string): SimOrganization {
    return this.org(address.split('@')[1]);
  }

  /** A scenario's seed: fixed per scenario so names, ids and log lines repeat run after run. */
  seed(): string {
    return `scenario:${(this.parameters as { seed?: string }).seed ?? 'domsec'}:${this.pickleName}`;
  }

  pickleName = '';
}

setWorldConstructor(DomsecWorld);

Before(function (this: DomsecWorld, { pickle }) {
  this.pickleName = pickle.name;
});

After(async function (this: DomsecWorld) {
  if (this.sim) {
    // Evidence for the report: every hop, the queues and the counters at the end of the scenario.
    const evidence = {
      hops: this.sim.evidence,
      queues: this.sim.orgs.map((o) => ({ org: o.name, queues: o.queues() })),
      counters: Object.fromEntries(this.sim.orgs.map((o) => [o.name, o.counters()])),
      events: Object.fromEntries(this.sim.orgs.map((o) => [o.name, o.events()])),
    };
    await this.attach(JSON.stringify(evidence), 'application/vnd.domsec.evidence+json');
    await this.sim.stop();
  }
});
