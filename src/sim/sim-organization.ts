// A simulated organization: its model, its PKI, its edges' relays, mailboxes, queues, logs and counters (contract.md).
import path from 'node:path';
import { CertificateAuthority, type KeyAlgorithm, type KeyedCertificate, type LeafOptions } from '../ca/index.js';
import { type CounterName, type EdgeServer, Organization, type OrganizationOptions } from '../orgs/index.js';
import type { CrlService } from './crl-service.js';
import { EdgeReceiver } from './edge-receiver.js';
import { MailboxStore } from './mailbox-store.js';
import type { DeliveredMessage } from './message.js';
import { Observability } from './observability.js';
import { ProtocolLog } from './protocol-log.js';
import type { SimContext } from './sim-context.js';
import { type SubmitInput, TransportService } from './transport-service.js';

export interface EdgeSpec {
  name: string;
  fqdn: string;
}

export interface SimOrganizationOptions extends OrganizationOptions {
  edges: EdgeSpec[];
  pki?: { algorithm?: KeyAlgorithm };
  /** Skip the default Internet send connector and Default receive connector a fresh edge has. */
  bare?: boolean;
}

export interface SimEdge {
  model: EdgeServer;
  address: string;
  port: number;
  logDir: string;
  protocolLog(direction: 'Send' | 'Receive'): string;
  protocolLogFiles(direction: 'Send' | 'Receive'): string[];
}

export class SimOrganization {
  readonly model: Organization;
  readonly mailboxes = new MailboxStore();
  readonly obs = new Observability();
  readonly transport: TransportService;
  pki!: { root: CertificateAuthority; issuing: CertificateAuthority; crlUrl: string };
  #receivers = new Map<string, EdgeReceiver>();
  #logs = new Map<string, { send: ProtocolLog; recv: ProtocolLog; dir: string }>();

  constructor(private readonly ctx: SimContext, readonly index: number, o: SimOrganizationOptions, private readonly crl: CrlService) {
    this.model = new Organization(o);
    this.transport = new TransportService(ctx, this.model, this.mailboxes, this.obs, (edge) => this.#logsFor(edge).send);
  }

  get name(): string {
    return this.model.name;
  }

  async createPki(algorithm: KeyAlgorithm | undefined, seed: string): Promise<void> {
    const label = this.model.primaryDomain.split('.')[0];
    const display = label.charAt(0).toUpperCase() + label.slice(1);
    const now = this.ctx.clock.now();
    const root = await CertificateAuthority.createRoot({ name: `${display} Root CA`, algorithm, now, serialSeed: `${seed}/${label}/root`, crlUrl: this.crl.urlFor(`${label}-root`) });
    const issuing = await root.createSubordinate({ name: `${display} Issuing CA`, algorithm, now, serialSeed: `${seed}/${label}/issuing`, crlUrl: this.crl.urlFor(`${label}-issuing`) });
    this.crl.serve(`${label}-root`, root);
    this.crl.serve(`${label}-issuing`, issuing);
    this.pki = { root, issuing, crlUrl: this.crl.urlFor(`${label}-issuing`) };
    this.model.trustedRoots.add(root.certificate); // an organization trusts its own root
  }

  async addEdge(spec: EdgeSpec, address: string, bare: boolean): Promise<SimEdge> {
    const edge = this.model.addEdge(spec.name, spec.fqdn, address);
    if (!bare) {
      edge.newReceiveConnector({ name: `Default ${spec.name}`, usage: 'Internet' });
      if (this.model.sendConnectors.length === 0) this.model.newSendConnector({ name: 'Internet', usage: 'Internet', addressSpaces: ['SMTP:*;100'] });
    }
    const r = new EdgeReceiver(this.ctx, this.model, edge, this.#logsFor(spec.name).recv, this.mailboxes, this.obs);
    await r.start();
    this.#receivers.set(spec.name, r);
    this.ctx.dns.setA(spec.fqdn, address);
    return this.edge(spec.name);
  }

  #logsFor(edgeName: string): { send: ProtocolLog; recv: ProtocolLog; dir: string } {
    let l = this.#logs.get(edgeName);
    if (!l) {
      const dir = path.join(this.ctx.logRoot, this.model.primaryDomain, edgeName);
      l = { dir, send: new ProtocolLog(path.join(dir, 'ProtocolLog', 'SmtpSend'), 'Send'), recv: new ProtocolLog(path.join(dir, 'ProtocolLog', 'SmtpReceive'), 'Receive') };
      this.#logs.set(edgeName, l);
    }
    return l;
  }

  edge(name?: string): SimEdge {
    const model = this.model.edge(name);
    const logs = this.#logsFor(model.name);
    const r = this.#receivers.get(model.name);
    return {
      model, address: model.address, port: r?.port ?? 0, logDir: logs.dir,
      protocolLog: (d) => (d === 'Send' ? logs.send : logs.recv).text(),
      protocolLogFiles: (d) => (d === 'Send' ? logs.send : logs.recv).files(),
    };
  }

  /** Issues an edge certificate from this organization's CA, imports it into the edge's store and enables it for SMTP. */
  async issueEdgeCertificate(edgeName?: string, o: Partial<LeafOptions> = {}): Promise<KeyedCertificate> {
    const edge = this.model.edge(edgeName);
    const k = await this.pki.issuing.issue({ commonName: edge.fqdn, dnsNames: [edge.fqdn], notBefore: this.ctx.clock.now(), ...o, ...(o.notBefore ? {} : { notBefore: new Date(this.ctx.clock.nowMs() - 86_400_000) }) });
    this.installEdgeCertificate(edge.name, k);
    return k;
  }

  installEdgeCertificate(edgeName: string | undefined, k: KeyedCertificate): void {
    const edge = this.model.edge(edgeName);
    edge.certificates.import(k, 'Domain Security');
    edge.certificates.enable(k.certificate.thumbprint, ['SMTP'], true);
  }

  /** Imports the other organization's root into this one's trusted roots (DS-CERT-01). */
  trust(other: SimOrganization): void {
    this.model.trustedRoots.add(other.pki.root.certificate);
  }

  send(m: SubmitInput): Promise<string> {
    return this.transport.submit(m);
  }

  mailbox(address: string): DeliveredMessage[] {
    return this.mailboxes.read(address);
  }

  queues() {
    return this.transport.queues();
  }

  retryQueue(identity?: string): Promise<void> {
    return this.transport.retry(identity);
  }

  messages() {
    return this.transport.messages();
  }

  counters(): Record<CounterName, number> {
    return { ...this.obs.counters };
  }

  events() {
    return [...this.obs.events];
  }

  trackingLog() {
    return [...this.obs.tracking];
  }

  busy(): Promise<void>[] {
    return this.transport.busy();
  }

  async stop(): Promise<void> {
    this.transport.cancelAll();
    await Promise.all([...this.#receivers.values()].map((r) => r.stop()));
  }
}
