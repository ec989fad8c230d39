// One inbound SMTP session's state and its domain-security hooks (BEHAVIOUR §3, DS-RECV-01…10, DS-RECV-08 headers).
import type tls from 'node:tls';
import { type Certificate, type ChainResult, matchDomain, validateChain } from '../ca/index.js';
import {
  decideAtMailFrom, type Decision, domainOf, type EdgeServer, formatReply, type Organization, type ReceiveConnectorSettings,
  receiveConnectorIdentity, type StoredCertificate,
} from '../orgs/index.js';
import { certificateLines, peerCertificateKind, summarize } from './certificate-lines.js';
import type { HopEvidence, TranscriptLine } from './evidence.js';
import { closeInboundHop, isInboundExternalHop, openInboundHop } from './external-organization.js';
import type { MailboxStore } from './mailbox-store.js';
import type { DeliveredMessage } from './message.js';
import { peerCertificates } from './peer-certificates.js';
import { withoutAuthHeaders } from './auth-headers.js';
import { serializeHeaders } from './message.js';
import type { Observability } from './observability.js';
import type { SessionLogger } from './protocol-log.js';
import { receivedHeader } from './exchange-replies.js';
import type { SessionSummary, SimContext } from './sim-context.js';
import { keyExchangeBits, tlsSuccessLine } from './tls-description.js';

export interface ReceiveEnv {
  ctx: SimContext;
  org: Organization;
  edge: EdgeServer;
  connector: ReceiveConnectorSettings;
  serverCert?: StoredCertificate;
  starttlsAdvertised: boolean;
  mailboxes: MailboxStore;
  obs: Observability;
}

export class ReceiveSession {
  tls = false;
  /** The negotiated version and IANA cipher name, for the Received header. */
  tlsFacts?: { version: string; cipher: string };
  clientCert?: Certificate;
  presented: Certificate[] = [];
  chain?: ChainResult;
  decision?: Decision;
  ehlo?: string;
  mailFromAddress?: string;
  /** What settled the session: its first refusal (4xx/5xx), else its last reply other than QUIT's 221. */
  lastReply?: string;
  #refused = false;
  /** The client sent STARTTLS and the reply has not gone out yet (edge-receiver.ts logs the certificate after it). */
  startTlsPending = false;
  #hop?: HopEvidence;

  constructor(readonly env: ReceiveEnv, readonly log: SessionLogger, readonly remote: string) {}

  get fqdn(): string {
    return this.env.connector.fqdn ?? this.env.edge.fqdn;
  }

  /** The sender's half of the hop, once its client has registered it. */
  hop(): HopEvidence | undefined {
    if (!this.#hop) {
      const o = this.env;
      // A session an external organization's MTA opened gets a hop of its own (external-organization.ts).
      this.#hop = o.ctx.openHops.get(this.remote) ?? openInboundHop(o.ctx, this.remote, { org: o.org.name, domain: o.org.primaryDomain, edge: o.edge, connector: o.connector });
      if (this.#hop) this.#hop.to = { ...this.#hop.to, org: this.env.org.name, edge: this.env.edge.name, connector: receiveConnectorIdentity(this.env.connector) };
    }
    return this.#hop;
  }

  line(dir: '<' | '>' | '*', text: string, context = ''): void {
    if (dir === '<' && /^(?:EHLO|HELO)\s+/i.test(text)) this.ehlo = text.split(/\s+/)[1];
    if (dir === '>' && !this.#refused && /^[2-5]\d\d[ -]/.test(text) && !/^221[ -]/.test(text)) {
      this.lastReply = text;
      this.#refused = /^[45]/.test(text); // a pipelined RCPT/DATA answered after the refusal did not decide anything
    }
    this.log.write(dir, dir === '*' ? context : text, dir === '*' ? text : context);
    this.#transcript({ at: this.env.ctx.nowIso(), dir, text: dir === '*' ? `${text}${context ? ` ${context}` : ''}` : text });
  }

  /**
   * Lines written before the dialling side registered its hop (its connect and this accept can be reported in either
   * order, always so with edge threads) wait for it: the greeting then stays in the hop's server transcript. Only the
   * first few are kept: a session whose client is no hop of the simulation (an outside tool) has none to wait for.
   */
  #early: TranscriptLine[] = [];

  #transcript(line: TranscriptLine): void {
    const hop = this.hop();
    if (!hop) {
      if (this.#early.length < 8) this.#early.push(line);
      return;
    }
    if (this.#early.length > 0) hop.serverTranscript.push(...this.#early.splice(0));
    hop.serverTranscript.push(line);
  }

  info(context: string, data = ''): void {
    this.log.info(context, data);
    this.#transcript({ at: this.env.ctx.nowIso(), dir: '*', text: [data, context].filter(Boolean).join(', ') });
  }

  onStartTlsCommand(): void {
    if (!this.env.serverCert) return;
    for (const [data, context] of certificateLines('Sending certificate', this.env.serverCert.certificate)) this.info(context, data);
  }

  async onSecure(socket: tls.TLSSocket): Promise<void> {
    this.tls = true;
    const cipher = socket.getCipher();
    this.tlsFacts = { version: socket.getProtocol() ?? cipher.version, cipher: cipher.standardName ?? cipher.name };
    this.presented = peerCertificates(socket);
    if (this.presented.length > 0) {
      this.clientCert = this.presented[0];
      for (const [data, context] of certificateLines(peerCertificateKind(this.env.org.transport.settings.exchangeVersion), this.clientCert)) this.info(context, data);
      const o = this.env.org;
      this.chain = await validateChain({
        presented: this.presented, trustedRoots: o.trustedRoots.list(), at: this.env.ctx.clock.now(),
        fetchCrl: (url) => this.env.ctx.fetchCrl(url, this.env.edge.address), revocation: o.transport.settings.revocationMode,
      });
    }
    this.info(tlsSuccessLine({ version: socket.getProtocol() ?? cipher.version, cipher: cipher.name, ephemeralBits: keyExchangeBits(socket, 'SERVER') }, 'SERVER'));
    const hop = this.hop();
    if (hop && this.clientCert) hop.certificates.client = summarize(this.clientCert);
    if (hop && this.env.serverCert) hop.certificates.server = summarize(this.env.serverCert.certificate);
  }

  #delivered = 0;

  /** The session is over: an outside MTA's hop is settled from what this side saw. */
  ended(): void {
    const hop = this.#hop;
    if (isInboundExternalHop(hop)) closeInboundHop(this.env.ctx, hop, { delivered: this.#delivered, lastReply: this.lastReply, mailFrom: this.mailFromAddress !== undefined, tls: this.tls, tlsFacts: this.tlsFacts });
  }

  /** What `lab up` prints for this session once it ended. */
  summary(): SessionSummary {
    const d = this.decision;
    return {
      at: this.env.ctx.nowIso(), remote: this.remote, ...(this.ehlo ? { ehlo: this.ehlo } : {}), org: this.env.org.name, edge: this.env.edge.name,
      connector: receiveConnectorIdentity(this.env.connector), tls: this.tls,
      ...(this.clientCert ? { clientCertificate: this.clientCert.subject } : {}),
      ...(this.mailFromAddress !== undefined ? { mailFrom: this.mailFromAddress } : {}),
      ...(d ? { decision: { rule: d.rule, outcome: d.outcome, ...(d.reply ? { reply: formatReply(d.reply) } : {}) } } : {}),
      ...(this.lastReply ? { reply: this.lastReply } : {}),
      ...(this.#hop ? { hop: this.#hop.id, from: [this.#hop.from.org, this.#hop.from.edge].filter(Boolean).join('/') } : {}),
    };
  }

  mailFrom(address: string): Decision {
    this.mailFromAddress = address;
    const senderDomain = address ? domainOf(address) : undefined;
    const o = this.env.org;
    const d = decideAtMailFrom({
      senderDomain, receiveList: o.transport.tlsReceiveDomainSecureList, connector: this.env.connector, tls: this.tls,
      starttlsAdvertised: this.env.starttlsAdvertised, clientCertificate: !!this.clientCert,
      nameMatch: this.clientCert && senderDomain ? matchDomain(this.clientCert.names, senderDomain) : undefined, chain: this.chain,
    });
    this.decision = d;
    this.hop()?.decisions.push(d);
    for (const x of d.info ?? []) this.info(x);
    if (d.rule === 'DS-RECV-02' && o.transport.settings.authTarpit > 0) this.env.ctx.clock.elapse(o.transport.settings.authTarpit);
    if (d.outcome === 'partner' && this.clientCert) {
      for (const [data, context] of certificateLines('Validated received certificate', this.clientCert)) this.info(context, data);
    }
    if (d.outcome === 'reject' && d.event) {
      this.env.obs.event({ id: d.event, source: 'MSExchangeTransport', at: this.env.ctx.nowIso(), server: this.env.edge.name, text: `${d.reason} (${formatReply(d.reply!)})` });
    }
    return d;
  }

  rcptAllowed(address: string): boolean {
    return this.env.org.isAcceptedDomain(domainOf(address) ?? '');
  }

  /**
   * Delivers the DATA into mailboxes with the DS-RECV-08 headers; incoming Auth* headers are stripped first. Returns
   * the message id at once, or, in a durable lab, once every copy is on disk (the 250 waits for it).
   */
  deliver(raw: string, from: string, to: string[], helo?: string): string | Promise<string> {
    const { headers: kept, body } = withoutAuthHeaders(raw);
    const partner = this.decision?.outcome === 'partner';
    const auth: [string, string][] = partner
      ? [
        ['X-MS-Exchange-Organization-AuthSource', this.fqdn],
        ['X-MS-Exchange-Organization-AuthAs', 'Partner'],
        ['X-MS-Exchange-Organization-AuthMechanism', '02'],
        ['X-MS-Exchange-Organization-AuthDomain', this.decision!.authDomain!],
      ]
      : [['X-MS-Exchange-Organization-AuthSource', this.fqdn], ['X-MS-Exchange-Organization-AuthAs', 'Anonymous']];
    const received = receivedHeader(this.env.org.transport.settings.exchangeVersion, {
      helo: helo || `[${this.remote.split(':')[0]}]`, clientIp: this.remote.split(':')[0], fqdn: this.fqdn, serverIp: this.env.edge.address,
      at: this.env.ctx.clock.now(), tls: this.tlsFacts,
    });
    const all: [string, string][] = [['Received', received], ...kept, ...auth];
    const messageId = kept.find(([n]) => n.toLowerCase() === 'message-id')?.[1] ?? this.env.ctx.ids.messageId(this.env.org.primaryDomain);
    const subject = kept.find(([n]) => n.toLowerCase() === 'subject')?.[1] ?? '';
    const at = this.env.ctx.nowIso();
    const message = (): DeliveredMessage => ({
      messageId, from, to, subject, headers: all, body, raw: `${serializeHeaders(all)}\r\n\r\n${body}`, receivedBy: this.fqdn,
      authAs: partner ? 'Partner' : 'Anonymous', authDomain: partner ? this.decision!.authDomain : undefined, kind: 'mail', at,
    });
    const done = () => {
      if (partner) this.env.obs.count('Domain-Secured Messages Received');
      this.#delivered += 1;
      if (isInboundExternalHop(this.#hop)) this.#hop.messageIds.push(messageId);
      const server = this.env.edge.fqdn;
      const connectorId = receiveConnectorIdentity(this.env.connector);
      const serverIp = this.remote.split(':')[0];
      // Written out, not spread from one base: an object built by spreading got a hidden class of its own in V8 (two
      // per message, kept with every tracking entry of a long-running lab).
      this.env.obs.track({ dateTime: at, server, messageId, sender: from, recipients: to, subject, connectorId, serverIp, eventId: 'RECEIVE', source: 'SMTP', messageInfo: partner ? `02P:${this.decision!.authDomain}` : undefined });
      this.env.obs.track({ dateTime: at, server, messageId, sender: from, recipients: to, subject, connectorId, serverIp, eventId: 'DELIVER', source: 'STOREDRIVER' });
      return messageId;
    };
    const mailboxes = this.env.mailboxes;
    if (!mailboxes.onDeliverGrouped) {
      for (const rcpt of to) mailboxes.deliver(rcpt, message());
      return done();
    }
    return Promise.all(to.map((rcpt) => mailboxes.deliverDurably(rcpt, message()))).then(done);
  }
}
