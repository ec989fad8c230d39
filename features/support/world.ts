// The cucumber World: holds the simulation of one scenario; steps stay thin and call src/ through it.
import { After, Before, setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import {
  addEdgeOrganization, addPartnerPair, describeFate, fateOf, type Lab, makePartner, type ProbeCertificate, type ProbeResult,
  probeSmtp, Simulation, type SimOrganization, startLab,
} from '../../src/sim/index.js';
import { issueFaulty } from '../../src/ca/index.js';

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
    data: t.headers ? `${t.headers.split(/\s*;\s*/).join('\r\n')}\r\n\r\nProbe.` : undefined,
  };
}

export class DomsecWorld extends World {
  sim?: Simulation;
  lab?: Lab;
  lastMessageId?: string;
  /** Every message a scenario sent, in order. */
  sent: { from: string; to: string; messageId: string }[] = [];
  probe?: ProbeResult;
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
      probe: this.probe?.replies,
    };
    await this.attach(JSON.stringify(evidence), 'application/vnd.domsec.evidence+json');
    await this.sim.stop();
  }
});
