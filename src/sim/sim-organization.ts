// A simulated organization: its model, its PKI, its edges' relays, mailboxes, queues, logs and counters (contract.md).
import { DomsecError } from '../errors.js';
import path from 'node:path';
import { CertificateAuthority, type FaultKind, issueFaulty, type KeyAlgorithm, type KeyedCertificate, type LeafOptions, matchHost } from '../ca/index.js';
import { type CounterName, type EdgeServer, Organization, type OrganizationOptions, type StoredCertificate } from '../orgs/index.js';
import type { CrlService } from './crl-service.js';
import type { ExternalSpec } from './external-organization.js';
import { insideDir } from './confined-path.js';
import type { EdgeQuirks } from './edge-quirks.js';
import { EdgeReceiver } from './edge-receiver.js';
import { MailboxStore } from './mailbox-store.js';
import type { DeliveredMessage } from './message.js';
import { Observability } from './observability.js';
import { ProtocolLog } from './protocol-log.js';
import { LIMIT_EVENTS } from './limit-replies.js';
import type { SimContext } from './sim-context.js';
import type { SettlePoint } from './delivery-queue.js';
import { type SubmitInput, TransportService } from './transport-service.js';

export interface EdgeSpec {
  name: string;
  fqdn: string;
  /** Played by an outside MTA (external-organization.ts addExternalEdge); the simulation adds no receive side for it. */
  external?: ExternalSpec;
}

export interface SimOrganizationOptions extends OrganizationOptions {
  edges: EdgeSpec[];
  pki?: { algorithm?: KeyAlgorithm };
  /** Skip the default Internet send connector and Default receive connector a fresh edge has. */
  bare?: boolean;
}

/** A PKI kept from an earlier run (`lab up --dir`): the CAs with their keys, rebuilt instead of created. */
export interface StoredPki {
  root: KeyedCertificate;
  issuing: KeyedCertificate;
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
  #keySeedPrefix = '';
  #keysMade = 0;

  constructor(private readonly ctx: SimContext, readonly index: number, o: SimOrganizationOptions, readonly crl: CrlService) {
    this.model = new Organization(o);
    this.transport = new TransportService(ctx, this.model, this.mailboxes, this.obs, (edge) => this.#logsFor(edge).send);
  }

  get name(): string {
    return this.model.name;
  }

  /** Where this organization's CRL distribution point listens (127.0.<n>.200, port 80 as dialled). */
  get pkiAddress(): string {
    return this.crl.address;
  }

  /** Where the CRL service really listens (its port 80 as the simulated network dials it): for outside tools. */
  get crlEndpoint(): { address: string; port: number } {
    return { address: this.crl.address, port: this.crl.port };
  }

  /**
   * Keys, like serial numbers, come from the seed: the same seed gives the same keys and (RSA) the same thumbprints.
   * A stored PKI (`lab up --dir` keeps its CAs) is reused as it is instead; its CAs still get the key seeds a first
   * start gives them, so what the lab issues from them at start (edge certificates the stored ones then replace) takes
   * derived, cached keys: drawing fresh RSA keys there cost a restart ~0.3 s of waiting for keys it throws away.
   */
  async createPki(algorithm: KeyAlgorithm | undefined, seed: string, keySeed = seed, stored?: StoredPki): Promise<void> {
    const label = this.model.primaryDomain.split('.')[0];
    const display = label.charAt(0).toUpperCase() + label.slice(1);
    const now = this.ctx.clock.now();
    const clock = () => this.ctx.clock.now();
    this.#keySeedPrefix = `${keySeed}/${label}`;
    // The same seeds and CRL address whether a CA is made or rebuilt from the stored PKI (see above).
    const seeds = (which: 'root' | 'issuing') => ({ serialSeed: `${seed}/${label}/${which}`, keySeed: `${keySeed}/${label}/${which}`, crlUrl: this.crl.urlFor(`${label}-${which}`) });
    const root = stored
      ? await CertificateAuthority.fromKeyed(stored.root, { clock, ...seeds('root') })
      : await CertificateAuthority.createRoot({ name: `${display} Root CA`, algorithm, now, ...seeds('root') });
    const issuing = stored
      ? await CertificateAuthority.fromKeyed(stored.issuing, { clock, ...seeds('issuing') })
      : await root.createSubordinate({ name: `${display} Issuing CA`, algorithm, now, ...seeds('issuing') });
    this.crl.serve(`${label}-root`, root);
    this.crl.serve(`${label}-issuing`, issuing);
    this.pki = { root, issuing, crlUrl: this.crl.urlFor(`${label}-issuing`) };
    this.model.trustedRoots.add(root.certificate); // an organization trusts its own root
  }

  /** The seed for the next key made outside the CA (a request, New-ExchangeCertificate, an impostor CA), in call order. */
  nextKeySeed(kind: string): string {
    return `${this.#keySeedPrefix}/${kind}/${this.#keysMade++}`;
  }

  async addEdge(spec: EdgeSpec, address: string, bare: boolean, fixedPort?: number): Promise<SimEdge> {
    const edge = this.model.addEdge(spec.name, spec.fqdn, address);
    if (!bare) {
      // As Exchange's Edge default receive connector: anonymous Internet mail, and Partners so domain security can be switched on.
      edge.newReceiveConnector({ name: `Default ${spec.name}`, usage: 'Internet', permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'Partners'] });
      if (this.model.sendConnectors.length === 0) this.model.newSendConnector({ name: 'Internet', usage: 'Internet', addressSpaces: ['SMTP:*;100'] });
    }
    const r = new EdgeReceiver(this.ctx, this.model, edge, this.#logsFor(spec.name).recv, this.mailboxes, this.obs);
    r.fixedPort = fixedPort;
    await r.start();
    this.#receivers.set(spec.name, r);
    this.ctx.dns.setA(spec.fqdn, address);
    return this.edge(spec.name);
  }

  #logsFor(edgeName: string): { send: ProtocolLog; recv: ProtocolLog; dir: string } {
    let l = this.#logs.get(edgeName);
    if (!l) {
      const dir = insideDir(this.ctx.logRoot, this.model.primaryDomain, edgeName);
      l = { dir, send: new ProtocolLog(path.join(dir, 'ProtocolLog', 'SmtpSend'), 'Send'), recv: new ProtocolLog(path.join(dir, 'ProtocolLog', 'SmtpReceive'), 'Receive') };
      // A failed log write (disk full, folder removed) is an application event; mail flow goes on (issue 10).
      for (const log of [l.send, l.recv]) {
        log.onWriteError = (file, e) => this.obs.event({ id: LIMIT_EVENTS.writeFailed, source: 'MSExchangeTransport', at: this.ctx.nowIso(), server: edgeName,
          text: `The protocol log ${file} could not be written (${(e as NodeJS.ErrnoException).code ?? e.message}); its lines are kept in memory and writing is tried again.` });
      }
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
    // Valid since yesterday unless told otherwise, so "now" is never before NotBefore.
    const k = await this.pki.issuing.issue({ commonName: edge.fqdn, dnsNames: [edge.fqdn], notBefore: new Date(this.ctx.clock.nowMs() - 86_400_000), ...o });
    this.installEdgeCertificate(edge.name, k);
    return k;
  }

  installEdgeCertificate(edgeName: string | undefined, k: KeyedCertificate): void {
    const edge = this.model.edge(edgeName);
    edge.certificates.import(k, 'Domain Security');
    edge.certificates.enable(k.certificate.thumbprint, ['SMTP'], true);
  }

  /**
   * Takes every certificate out of the edge's store and installs `k` alone, so the edge presents exactly `k` (the
   * store would otherwise prefer an older certificate that matches the FQDN). When `k` does not name the edge FQDN,
   * the edge's connectors take `presentAs` (default: k's first name) as their Fqdn, so DS-CONF-07 still selects it.
   */
  replaceEdgeCertificate(edgeName: string | undefined, k: KeyedCertificate | undefined, presentAs?: string): void {
    const edge = this.model.edge(edgeName);
    for (const c of edge.certificates.list()) edge.certificates.remove(c.certificate.thumbprint);
    if (!k) return;
    this.installEdgeCertificate(edge.name, k);
    const fqdn = presentAs ?? (matchHost(k.certificate.names, edge.fqdn) ? undefined : hostFor(k.certificate.names));
    if (!fqdn) return;
    for (const c of edge.receiveConnectors) edge.setReceiveConnector(c.name, { fqdn });
    for (const c of this.model.sendConnectors) this.model.setSendConnector(c.name, { fqdn });
  }

  /**
   * Issues a certificate from this organization's CA (names default to the edge FQDN; `fault` makes it one of
   * src/ca's named faulty certificates) and makes it the only one the edge presents.
   */
  async presentCertificate(spec: { commonName?: string; dnsNames?: string[]; fault?: FaultKind | 'forged-issuer' }, edgeName?: string): Promise<KeyedCertificate> {
    const edge = this.model.edge(edgeName);
    const now = this.ctx.clock.now();
    const base: LeafOptions = { commonName: spec.commonName ?? edge.fqdn, dnsNames: spec.dnsNames ?? [edge.fqdn], notBefore: new Date(now.getTime() - 86_400_000) };
    const k = spec.fault === 'forged-issuer' ? await this.#forged(base, now)
      : spec.fault ? await issueFaulty(this.pki.issuing, spec.fault, { ...base, now }) : await this.pki.issuing.issue(base);
    this.replaceEdgeCertificate(edge.name, k);
    return k;
  }

  /**
   * 'forged-issuer': signed by an impostor CA that carries this organization's issuing CA name, sent with the real
   * issuing CA certificate. Over real TLS the peer's chain is linked by key identifier, so the real issuing CA does not
   * attach to the forged leaf and validation sees the leaf alone: UntrustedRoot (SignatureFailure is unreachable this way).
   */
  async #forged(base: LeafOptions, now: Date): Promise<KeyedCertificate> {
    const keySeed = this.nextKeySeed('impostor');
    const impostor = await CertificateAuthority.createRoot({ name: this.pki.issuing.certificate.commonName ?? 'Issuing CA', now, algorithm: this.pki.issuing.algorithm, keySeed, serialSeed: keySeed });
    const k = await impostor.issue(base);
    return { ...k, chain: [this.pki.issuing.certificate, this.pki.root.certificate] };
  }

  /** The edge's SMTP certificate (the one for its FQDN first), if any: what a probe client can borrow. */
  edgeCertificate(edgeName?: string): StoredCertificate | undefined {
    const edge = this.model.edge(edgeName);
    const sel = edge.certificates.selectForFqdn(edge.fqdn);
    return sel.ok ? sel.stored : edge.certificates.list().find((c) => c.services.has('SMTP') && c.privateKeyPem);
  }

  /** Imports the other organization's root into this one's trusted roots (DS-CERT-01). */
  trust(other: SimOrganization): void {
    this.model.trustedRoots.add(other.pki.root.certificate);
  }

  /** Removes the other organization's root from this one's trusted roots (DS-CERT-01). */
  distrust(other: SimOrganization): void {
    this.model.trustedRoots.remove(other.pki.root.certificate.thumbprint);
  }

  /** Takes an edge's receive side off the network (connections are refused) until startEdge(). */
  async stopEdge(name?: string): Promise<void> {
    await this.#receivers.get(this.model.edge(name).name)?.stop();
  }

  async startEdge(name?: string): Promise<void> {
    await this.#receivers.get(this.model.edge(name).name)?.start();
  }

  /** Switches named peer misbehaviours on for an edge's receive side (edge-quirks.ts). */
  setEdgeQuirks(name: string | undefined, quirks: EdgeQuirks): void {
    const r = this.#receivers.get(this.model.edge(name).name);
    if (r) r.quirks = { ...quirks };
  }

  /** See TransportService.submit for when it resolves (`settleAt`). */
  send(m: SubmitInput, o?: { settleAt?: SettlePoint }): Promise<string> {
    // An external organization (external-organization.ts) has no edge to submit through: its own MTA sends its mail.
    if (this.model.edges.length === 0) return Promise.reject(new DomsecError('ERR_SIM_STATE', `${this.name} has no simulated edge (it is external): submit its mail to its own MTA.`));
    return this.transport.submit(m, o);
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
    return this.obs.trackingEntries(); // already a copy
  }

  busy(): Promise<void>[] {
    return [...this.transport.busy(), ...[...this.#receivers.values()].flatMap((r) => r.busy())];
  }

  /** Puts every protocol-log line written so far in its file (they are written in batches). */
  flushLogs(): void {
    for (const l of this.#logs.values()) { l.send.flush(); l.recv.flush(); }
  }

  async stop(): Promise<void> {
    this.transport.cancelAll();
    await Promise.all([...this.#receivers.values()].map((r) => r.stop()));
    for (const l of this.#logs.values()) { l.send.close(); l.recv.close(); }
  }
}

/** A host name a certificate's names cover under TLS host matching: the first plain name, or `mail.` under a wildcard. */
function hostFor(names: string[]): string | undefined {
  const plain = names.find((n) => !n.startsWith('*.'));
  return plain ?? (names[0] ? `mail.${names[0].slice(2)}` : undefined);
}
