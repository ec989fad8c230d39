// Swaps real MTAs into a running simulation for the organizations an interop profile names; the others stay simulated.
import type { SimOrganization, Simulation } from '../sim/index.js';
import { type Party, peerParty, simParty } from './party.js';
import type { Endpoint, MtaQueueKnobs, PeerImplementation, RunningPeer } from './peer.js';
import { implementationOf, type InteropProfile, startPeer } from './profile.js';
import { freePort } from './testing/interop-lab.js';

export interface PeerSwapOptions {
  /** Parent of the MTA instance directories; must be enterable by postfix/nobody/Debian-exim (not a 0700 temp dir). */
  workDir?: string;
  queue?: Partial<MtaQueueKnobs>;
}

/** True when the profile hands at least one organization to a real MTA: such a lab must run on the wall clock. */
export function needsRealMta(profile: InteropProfile): boolean {
  return Object.values(profile).some((i) => i !== 'simulated');
}

export class PeerSwap {
  readonly #peers = new Map<string, RunningPeer>();
  #started = false;

  private constructor(private readonly sim: Simulation, private readonly profile: InteropProfile, private readonly o: PeerSwapOptions) {}

  /**
   * Takes the simulated edge of every organization the profile gives to an MTA off the network at once, so nothing
   * else answers on its address. The MTAs themselves start on the first message (`start`), after the scenario's
   * Given steps have configured the organization: an MTA's configuration is rendered once, when it starts.
   */
  static async prepare(sim: Simulation, profile: InteropProfile, o: PeerSwapOptions = {}): Promise<PeerSwap> {
    const swap = new PeerSwap(sim, profile, o);
    for (const org of sim.orgs) if (swap.implementationOf(org.name) !== 'simulated') await org.stopEdge();
    return swap;
  }

  implementationOf(domain: string) {
    return implementationOf(this.profile, domain);
  }

  /** The real MTAs' organizations (in this simulation). */
  get swapped(): string[] {
    return this.sim.orgs.map((o) => o.name).filter((d) => this.implementationOf(d) !== 'simulated');
  }

  get started(): boolean {
    return this.#started;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    for (const org of this.sim.orgs) {
      const kind = this.implementationOf(org.name);
      if (kind !== 'simulated') this.#peers.set(org.name, await this.#startOne(kind, org));
    }
  }

  async #startOne(kind: PeerImplementation, org: SimOrganization): Promise<RunningPeer> {
    const edge = org.edge();
    // The MTA's own connections go straight to each simulated partner's real listener (sim.network faults do not apply to them).
    const routes: Record<string, Endpoint> = {};
    for (const other of this.sim.orgs) {
      if (other === org || this.implementationOf(other.name) !== 'simulated') continue;
      for (const d of other.model.domains) routes[d] = { address: other.edge().address, port: other.edge().port };
    }
    const peer = await startPeer(kind, org.model, {
      workDir: this.o.workDir, port: await freePort(edge.address), routes, queue: this.o.queue,
      fetchCrl: (url) => this.sim.ctx.fetchCrl(url, edge.address),
    });
    this.sim.network.publish(edge.address, 25, peer.port); // partners dial mail.<domain>:25 → the MTA
    return peer;
  }

  peer(domain: string): RunningPeer | undefined {
    return this.#peers.get(domain.toLowerCase());
  }

  /** A party for any organization of the simulation: the MTA's once started, the simulated one otherwise. */
  party(org: SimOrganization): Party {
    const peer = this.peer(org.name);
    return peer ? peerParty(this.sim, org, peer) : simParty(this.sim, org);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#peers.values()].map((p) => p.stop()));
    this.#peers.clear();
  }
}
