// A Simulation: the virtual clock, DNS, network and CRL services, and the organizations that run on them (contract.md).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalDomain, EXCHANGE_KEY_ALGORITHM, type KeyAlgorithm } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { VirtualClock } from './clock.js';
import { CrlCache } from './crl-cache.js';
import { CrlService } from './crl-service.js';
import { DnsZone } from './dns-zone.js';
import type { HopEvidence } from './evidence.js';
import { EdgeThreads } from './edge-threads.js';
import { addExternalEdge } from './external-organization.js';
import { SimNetwork } from './network.js';
import { SeededIds } from './seeded-ids.js';
import type { SessionSummary, SimContext } from './sim-context.js';
import { SimOrganization, type SimOrganizationOptions, type StoredPki } from './sim-organization.js';

export interface SimulationOptions {
  seed?: string;
  now?: Date;
  /** Where protocol logs go; a temp dir (removed at stop) when not given. */
  logRoot?: string;
  /**
   * The key algorithm of every organization's CA and of what it issues, unless an organization says otherwise.
   * Default RSA-2048, as New-ExchangeCertificate and an AD CS template make them; keys are derived from the seed either
   * way (docs/model-choices.md "Keys from the seed"). ECDSA-P256 is the switch for speed.
   */
  keyAlgorithm?: KeyAlgorithm;
  /**
   * The seed keys are derived from; default `seed`. A suite passes its run seed here and a per-scenario `seed`, so its
   * scenarios draw from one pool of keys (fast with the key cache) while names, ids and serials stay per scenario.
   */
  keySeed?: string;
  /** A stored PKI to reuse for an organization (by primary domain) instead of creating one: `lab up --dir` keeps its CAs. */
  pkiFor?: (domain: string) => StoredPki | undefined;
  /** A fixed listening port for edge `edgeIndex` (0-based) of organization `orgIndex` (1-based); none: any free port. */
  edgePort?: (orgIndex: number, edgeIndex: number, domain: string, edge: string) => number | undefined;
  /**
   * Worker threads for the edges' sockets and TLS (`lab up --edge-threads N`, edge-threads.ts); 0 or none: every edge
   * on the main thread. Outcomes, logs and evidence are the same either way: only where the crypto runs changes.
   */
  edgeThreads?: number;
}

export const DEFAULT_START = new Date('2026-03-02T09:00:00.000Z');

export class Simulation {
  readonly ctx: SimContext;
  readonly orgs: SimOrganization[] = [];
  #crls: CrlService[] = [];
  #ownsLogRoot: boolean;
  readonly keyAlgorithm: KeyAlgorithm;
  readonly keySeed: string;
  #stopped = false;
  readonly #pkiFor: SimulationOptions['pkiFor'];
  readonly #edgePort: SimulationOptions['edgePort'];

  private constructor(o: SimulationOptions) {
    this.#pkiFor = o.pkiFor;
    this.#edgePort = o.edgePort;
    const clock = new VirtualClock(o.now ?? DEFAULT_START);
    const dns = new DnsZone();
    const network = new SimNetwork(clock);
    // DOMSEC_EDGE_THREADS: the default for every simulation of the process, so a whole suite can run with edge threads.
    const threads = o.edgeThreads ?? Number(process.env.DOMSEC_EDGE_THREADS || 0);
    if (threads) network.threads = new EdgeThreads(threads);
    this.#ownsLogRoot = !o.logRoot;
    this.keyAlgorithm = o.keyAlgorithm ?? EXCHANGE_KEY_ALGORITHM;
    this.keySeed = o.keySeed ?? o.seed ?? 'domsec';
    const logRoot = o.logRoot ?? mkdtempSync(path.join(os.tmpdir(), 'domsec-'));
    let isoAt = Number.NaN;
    let iso = '';
    const crlCache = new CrlCache({ dns, network }, (address) => this.#crls.find((c) => c.address === address));
    this.ctx = {
      clock, dns, network, ids: new SeededIds(o.seed ?? 'domsec'), evidence: [], hopsRecorded: 0, hopListeners: new Set(), openHops: new Map(), logRoot,
      fetchCrl: (url, from) => crlCache.fetch(url, from),
      // Every protocol-log line asks; the virtual clock seldom moves between two of them.
      nowIso: () => {
        const ms = clock.nowMs();
        if (ms !== isoAt) {
          isoAt = ms;
          iso = new Date(ms).toISOString();
        }
        return iso;
      },
      sessionListeners: new Set(),
    };
  }

  static async start(o: SimulationOptions = {}): Promise<Simulation> {
    return new Simulation(o);
  }

  get clock(): VirtualClock { return this.ctx.clock; }
  get dns(): DnsZone { return this.ctx.dns; }
  get network(): SimNetwork { return this.ctx.network; }
  /** The latest hops (HOPS_IN_MEMORY of them), oldest first. */
  get evidence(): HopEvidence[] { return this.ctx.evidence; }
  /** How many hops were ever recorded: `hopsSince(n)` gives those recorded after the n-th that are still in memory. */
  get hopsRecorded(): number { return this.ctx.hopsRecorded; }

  hopsSince(n: number): HopEvidence[] {
    return this.ctx.evidence.slice(Math.max(0, this.ctx.evidence.length - (this.ctx.hopsRecorded - n)));
  }

  /** Calls `listener` with each hop once it is over; returns the unsubscribe. */
  onHop(listener: (hop: HopEvidence) => void): () => void {
    this.ctx.hopListeners.add(listener);
    return () => this.ctx.hopListeners.delete(listener);
  }
  get seed(): string { return this.ctx.ids.seed; }

  /** Calls `listener` as each inbound SMTP session ends, outside tools' sessions included; returns the unsubscribe. */
  onSession(listener: (s: SessionSummary) => void): () => void {
    this.ctx.sessionListeners.add(listener);
    return () => this.ctx.sessionListeners.delete(listener);
  }

  /** Adds an organization with its own PKI, edges on 127.0.<n>.<e>, MX records and (unless bare) default connectors. */
  async addOrganization(o: SimOrganizationOptions): Promise<SimOrganization> {
    if (this.#stopped) throw new DomsecError('ERR_SIM_STATE', 'The simulation has been stopped; start a new one.');
    const n = this.orgs.length + 1;
    if (n > 199) throw new DomsecError('ERR_SIM_STATE', 'A simulation holds at most 199 organizations.');
    const crl = new CrlService(this.ctx, `pki.${o.domains[0].toLowerCase()}`, `127.0.${n}.200`);
    await crl.start();
    this.#crls.push(crl);
    const org = new SimOrganization(this.ctx, n, o, crl);
    this.orgs.push(org);
    await org.createPki(o.pki?.algorithm ?? this.keyAlgorithm, this.seed, this.keySeed, this.#pkiFor?.(org.model.primaryDomain));
    for (const [i, e] of o.edges.entries()) {
      if (e.external) await addExternalEdge(this, org, { name: e.name, fqdn: e.fqdn, external: e.external });
      else await org.addEdge(e, `127.0.${n}.${i + 1}`, !!o.bare, this.#edgePort?.(n, i, org.model.primaryDomain, e.name));
    }
    // An external edge (edges[].external) is listed first: it is the edge under test, the one partners' DNS-routed mail reaches.
    const mx = [...o.edges.filter((e) => e.external), ...o.edges.filter((e) => !e.external)].map((e) => e.fqdn);
    for (const d of org.model.domains) this.dns.setMx(d, mx);
    return org;
  }

  org(nameOrDomain: string): SimOrganization {
    const k = nameOrDomain.toLowerCase();
    const domain = canonicalDomain(nameOrDomain); // once, not once per organization
    const o = this.orgs.find((x) => x.name.toLowerCase() === k || x.model.domains.includes(domain));
    if (!o) throw new DomsecError('ERR_SIM_STATE', `No organization ${nameOrDomain} in this simulation.`);
    return o;
  }

  /** Waits until no delivery attempt is in flight. */
  async settle(): Promise<void> {
    for (;;) {
      const busy = this.orgs.flatMap((o) => o.busy());
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  /** Moves virtual time forward, running every retry, delay notice and expiry that falls due, in order. */
  async advance(ms: number): Promise<void> {
    await this.settle();
    await this.clock.advanceTo(this.clock.nowMs() + ms, () => this.settle());
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.settle().catch(() => undefined);
    this.clock.cancelAll();
    await Promise.all(this.orgs.map((o) => o.stop()));
    await Promise.all(this.#crls.map((c) => c.stop()));
    this.network.destroyAll();
    await this.network.threads?.stop();
    if (this.#ownsLogRoot) rmSync(this.ctx.logRoot, { recursive: true, force: true });
  }
}
