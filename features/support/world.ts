// The cucumber World: holds the simulation of one scenario; steps stay thin and call src/ through it.
import { After, AfterStep, Before, setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import {
  addEdgeOrganization, addPartnerPair, describeFate, fateOf, type Lab, makePartner, type ProbeCertificate, type ProbeResult,
  probeSmtp, Simulation, type SimOrganization, startLab,
} from '../../src/sim/index.js';
import { isKeyAlgorithm, issueFaulty, type KeyAlgorithm } from '../../src/ca/index.js';
import { DomsecError } from '../../src/errors.js';
import { expectContains, expectEqual } from './expect.js';
import {
  collectLogs, type InteropProfile, needsRealMta, type Party, PeerSwap, QueueHistory, RoleLog, simParty, snapshotQueues,
} from '../../src/peers/index.js';

setDefaultTimeout(20_000);

export interface ProbeSpec {
  starttls: boolean;
  /** 'none', an organization's domain (its edge certificate), or 'untrusted' (a certificate from an issuer nobody trusts). */
  certificate: string;
  mailFrom: string;
  rcptTo: string;
  data?: string;
}

/** A probe session from a Gherkin table: STARTTLS yes/no, certificate, MAIL FROM (`<>` = null sender), RCPT TO, headers `a: b; c: d`. */
export function probeSpec(t: Record<string, string>): ProbeSpec {
  return {
    starttls: t.STARTTLS === 'yes', certificate: t.certificate ?? 'none', mailFrom: t['MAIL FROM'].replace(/^<|>$/g, ''), rcptTo: t['RCPT TO'],
    // `\r` in a header cell is a bare CR on the wire (the probe turns bare LFs into CRLF itself).
    data: t.headers ? `${t.headers.split(/\s*;\s*/).join('\r\n').replace(/\\r/g, '\r')}\r\n\r\nProbe.` : undefined,
  };
}

export class DomsecWorld extends World {
  sim?: Simulation;
  lab?: Lab;
  lastMessageId?: string;
  /** Every message a scenario sent, in order. */
  sent: { from: string; to: string; messageId: string }[] = [];
  probe?: ProbeResult;
  /** The organization the last probe talked to (whose words its replies are). */
  probeTarget?: string;
  notes: string[] = [];
  /** Real MTAs swapped in for the organizations the profile's `implementations` names (cucumber.mjs interop profiles). */
  peers?: PeerSwap;
  readonly queueHistory = new QueueHistory();
  readonly roles = new RoleLog();

  constructor(options: IWorldOptions) {
    super(options);
  }

  async simulation(): Promise<Simulation> {
    this.sim ??= await Simulation.start({ seed: this.seed(), ...this.keyOptions() });
    return this.sim;
  }

  async startLab(name: string): Promise<Lab> {
    const profile = this.implementations();
    // A real MTA checks certificates on the wall clock: such a lab starts now, not at the fixed virtual date.
    const real = needsRealMta(profile);
    this.lab = await startLab(name, { seed: this.seed(), ...this.keyOptions(), ...(real ? { now: new Date() } : {}) });
    this.sim = this.lab.sim;
    if (real) this.peers = await PeerSwap.prepare(this.sim, profile);
    return this.lab;
  }

  /** worldParameters.implementations: organization → 'simulated' | 'postfix' | 'exim' (absent: all simulated). */
  implementations(): InteropProfile {
    return (this.parameters as { implementations?: InteropProfile }).implementations ?? {};
  }

  /** The organization under test, whatever plays it (src/peers/party.ts). */
  party(domain: string): Party {
    return this.peers ? this.peers.party(this.org(domain)) : simParty(this.sim!, this.org(domain));
  }

  parties(): Party[] {
    return this.sim ? this.sim.orgs.map((o) => this.party(o.name)) : [];
  }

  /**
   * What a real MTA cannot show is never passed (DESIGN): the note turns into the report's 'not-observable'
   * (collect-cucumber-messages.ts) and 'skipped' keeps cucumber from counting the scenario as passed.
   */
  notObservable(reason: string): 'skipped' {
    this.log(`not-observable: ${reason}`);
    return 'skipped';
  }

  /**
   * Exchange's exact words. A simulated organization must say them (a mismatch fails). When a real MTA produced the
   * words, a mismatch is a divergence: the step stops the scenario ('skipped', never passed) and leaves a
   * `divergent:` note that the report turns into a failure unless expectations.json documents it for the profile.
   */
  expectExchangeWording(actual: string, expected: string, what: string, producers: string[], mode: 'is' | 'contains' = 'is'): 'skipped' | undefined {
    const ok = mode === 'is' ? actual === expected : actual.includes(expected);
    if (ok) return undefined;
    const real = producers.filter((d) => d && this.peers?.implementationOf(d) !== undefined && this.peers.implementationOf(d) !== 'simulated');
    if (real.length === 0) {
      if (mode === 'is') expectEqual(actual, expected, what);
      else expectContains(actual, expected, what);
    }
    const who = real.map((d) => `${d} = ${this.peers!.implementationOf(d)}`).join(', ');
    this.log(`divergent: ${what} (${who})\nexpected: ${mode === 'contains' ? `to contain ${JSON.stringify(expected)}` : expected}\nactual: ${actual}`);
    return 'skipped';
  }

  /** Starts the swapped-in MTAs on the scenario's first message: Given steps configure the organization before that. */
  async ready(): Promise<void> {
    await this.peers?.start();
  }

  async partners(a: string, b: string): Promise<void> {
    await addPartnerPair(await this.simulation(), a, b);
  }

  /** A further organization that is a Domain Security partner of `of` both ways. */
  async addPartnerOf(domain: string, of: string): Promise<void> {
    const org = await addEdgeOrganization(await this.simulation(), domain);
    makePartner(org, this.org(of));
    makePartner(this.org(of), org);
  }

  org(domain: string): SimOrganization {
    if (!this.sim) throw new Error('No simulation is running in this scenario: start a lab or add organizations first.');
    return this.sim.org(domain);
  }

  orgOf(address: string): SimOrganization {
    return this.org(address.split('@')[1]);
  }

  async send(from: string, to: string, headers?: [string, string][]): Promise<string> {
    this.roles.exchange(from.split('@')[1], to.split('@')[1]);
    if (this.peers) {
      await this.ready();
      const id = await this.party(from.split('@')[1]).send({ from, to, subject: `Test from ${from} #${this.sent.length + 1}`, body: 'Domain Security test message.', headers });
      this.lastMessageId = id;
      this.sent.push({ from, to, messageId: id });
      return id;
    }
    const messageId = await this.orgOf(from).send({ from, to: [to], subject: `Test from ${from}`, body: 'Domain Security test message.', headers });
    this.lastMessageId = messageId;
    this.sent.push({ from, to, messageId });
    await this.sim!.settle();
    return messageId;
  }

  /** What became of the last message from `from` to `to` (delivery-outcome.ts). */
  fate(from: string, to: string): string {
    const m = [...this.sent].reverse().find((x) => x.from === from && x.to === to);
    if (!m) throw new Error(`No message from ${from} to ${to} was sent in this scenario.`);
    return describeFate(fateOf(this.orgOf(from), this.orgOf(to), m.messageId, to));
  }

  queue(of: string, to: string) {
    const q = this.org(of).queues().find((x) => x.nextHopDomain === to.toLowerCase());
    if (!q) throw new Error(`${of} has no queue to ${to}; its queues: ${this.org(of).queues().map((x) => x.nextHopDomain).join(', ') || 'none'}`);
    return q;
  }

  /** Connects a probe client from `fromOrg`'s edge address to `toOrg`'s edge and runs one SMTP transaction. */
  async runProbe(fromOrg: string, toOrg: string, spec: ProbeSpec): Promise<ProbeResult> {
    this.roles.exchange(fromOrg, toOrg);
    this.probeTarget = toOrg;
    await this.ready();
    const src = this.org(fromOrg);
    const dst = this.org(toOrg);
    this.probe = await probeSmtp({
      network: this.sim!.network, from: src.edge().address, to: dst.edge().address, ehlo: src.edge().model.fqdn,
      starttls: spec.starttls, certificate: await this.#probeCertificate(spec.certificate, src), mailFrom: spec.mailFrom,
      rcptTo: [spec.rcptTo], data: spec.data ?? `From: ${spec.mailFrom || 'MAILER-DAEMON'}\r\nTo: ${spec.rcptTo}\r\nSubject: probe\r\nMessage-ID: <probe-${this.sent.length}@probe.invalid>\r\n\r\nProbe message.`,
    });
    return this.probe;
  }

  async #probeCertificate(kind: string, src: SimOrganization): Promise<ProbeCertificate | undefined> {
    if (kind === 'none') return undefined;
    if (kind === 'untrusted') {
      const fqdn = src.edge().model.fqdn;
      return issueFaulty(src.pki.issuing, 'unknown-issuer', { commonName: fqdn, dnsNames: [fqdn], now: this.sim!.clock.now() });
    }
    const c = this.org(kind).edgeCertificate();
    if (!c) throw new Error(`${kind} has no edge certificate to lend the probe.`);
    return c;
  }

  /**
   * The run's key seed: every scenario derives its keys from it (docs/model-choices.md "Keys from the seed"), so the
   * suite needs one pool of RSA keys, cached on disk, instead of a new set per scenario.
   */
  keySeed(): string {
    return `run:${(this.parameters as { seed?: string }).seed ?? 'domsec'}`;
  }

  /** The key seed, and worldParameters.keyAlgorithm when a run asks for another algorithm (ECDSA-P256 for speed). */
  keyOptions(): { keySeed: string; keyAlgorithm?: KeyAlgorithm } {
    const wanted = (this.parameters as { keyAlgorithm?: unknown }).keyAlgorithm;
    if (wanted !== undefined && !isKeyAlgorithm(wanted)) {
      throw new DomsecError('ERR_PARAMETER_VALUE', `worldParameters.keyAlgorithm "${String(wanted)}" is not a key algorithm. Use RSA-2048 (the default), RSA-1024, RSA-4096 or ECDSA-P256.`);
    }
    return { keySeed: this.keySeed(), ...(wanted !== undefined ? { keyAlgorithm: wanted } : {}) };
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

// Queue history (issue 5): every organization's queues after each step that changed them; deduplicated in QueueHistory.
AfterStep(async function (this: DomsecWorld) {
  if (this.sim) this.queueHistory.record(await snapshotQueues(this.parties()));
});

After(async function (this: DomsecWorld, { pickle }) {
  if (this.sim) {
    const parties = this.parties();
    // Evidence for the report: every hop, the queues over time, counters, events, the logs and who played whom.
    this.queueHistory.record(await snapshotQueues(parties));
    const evidence = {
      hops: this.sim.evidence,
      queues: this.queueHistory.series,
      // A real MTA has no counters or events; its simulated stand-in's zeros would be false evidence.
      counters: Object.fromEntries(parties.flatMap((p) => { const c = p.counters(); return c.observable ? [[p.domain, c.value]] : []; })),
      events: Object.fromEntries(this.sim.orgs.filter((o) => this.party(o.name).implementation === 'simulated').map((o) => [o.name, o.events()])),
      logs: await collectLogs(parties),
      decisions: parties.flatMap((p) => p.unhoppedDecisions()),
      probe: this.probe?.replies,
      ...(this.peers || pickle.tags.some((t) => t.name === '@interop') ? { interop: this.roles.participation(parties) } : {}),
    };
    await this.attach(JSON.stringify(evidence), 'application/vnd.domsec.evidence+json');
    await this.peers?.stop();
    await this.sim.stop();
  }
});
