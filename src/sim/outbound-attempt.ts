// One delivery attempt from an edge to a next-hop domain: route, connect, STARTTLS, check the partner, send (DS-SEND-01…06).
import { matchDomain, validateChain } from '../ca/index.js';
import {
  chooseSendConnector, decideAfterEhlo, decideAfterHandshake, decideBeforeConnect, decideRemoteCertificate, type Decision,
  type EdgeServer, formatReply, type Organization, REPLIES, type SendContext,
} from '../orgs/index.js';
import { certificateLines, peerCertificateKind, summarize } from './certificate-lines.js';
import type { HopEvidence } from './evidence.js';
import { closeHop, openHop } from './hop-record.js';
import { decideFollowOn, type SessionFacts } from './kept-connection.js';
import type { AttemptFailure } from './last-error.js';
import type { OutboundMessage } from './message.js';
import { clientTlsContext } from './client-tls-context.js';
import { peerCertificates } from './peer-certificates.js';
import { type ProtocolLog, SessionLogger } from './protocol-log.js';
import type { SimContext } from './sim-context.js';
import { PEER_GUARD_MS, SmtpClientSession } from './smtp-client-session.js';
import { keyExchangeBits, tlsSuccessLine } from './tls-description.js';

/** What one message's transaction settled, recipient by recipient (the exactly-once bookkeeping of issue 10). */
export interface MessageResult {
  messageId: string;
  /** Got 250 to the end of DATA: never sent again, whatever happens to the session afterwards. */
  accepted: string[];
  /** Refused with 5xx: they alone get the NDR. */
  failed: { rcpt: string; reply: string }[];
  /** Refused with 4xx: they stay queued and are retried. */
  deferred: { rcpt: string; reply: string }[];
}

export type AttemptOutcome =
  /** The session got as far as transactions: one result per message it settled; messages without one stay queued. */
  | { kind: 'delivered'; results: MessageResult[]; tlsDomain?: string; interrupted?: AttemptFailure }
  | { kind: 'deferred'; failure: AttemptFailure }
  | { kind: 'failed'; reply: string };

export interface AttemptInput {
  ctx: SimContext;
  org: Organization;
  edge: EdgeServer;
  sendLog: ProtocolLog;
  domain: string;
  messages: OutboundMessage[];
  recipientsOf: (m: OutboundMessage) => string[];
  onDecision: (d: Decision) => void;
  /** Each message's result as soon as its transaction settled, before the session goes on. */
  onResult?: (r: MessageResult, hop: HopEvidence) => void;
  /**
   * The kept connection: asked when the messages so far are done, with how many this session carried; answers the next
   * queued messages for this hop (each decided again before it is sent), or none, and the session QUITs.
   */
  more?: (carried: number) => Promise<OutboundMessage[]>;
}

export async function attemptDelivery(i: AttemptInput): Promise<{ outcome: AttemptOutcome; hop: HopEvidence }> {
  const r = await attemptSession(i);
  closeHop(i.ctx, r.hop);
  return r;
}

async function attemptSession(i: AttemptInput): Promise<{ outcome: AttemptOutcome; hop: HopEvidence }> {
  const { ctx, org, edge, domain } = i;
  const connector = chooseSendConnector(org.sendConnectors.filter((c) => c.sourceServers.length === 0 || c.sourceServers.includes(edge.name)), domain);
  const hop: HopEvidence = {
    id: `hop-${ctx.ids.next('hop')}`, sessionId: ctx.ids.sessionId(), at: ctx.nowIso(),
    from: { org: org.name, edge: edge.name, fqdn: connector?.fqdn ?? edge.fqdn, address: edge.address, connector: connector?.name },
    to: { host: '', address: '', port: 25 }, nextHopDomain: domain, messageIds: i.messages.map((m) => m.messageId),
    clientTranscript: [], serverTranscript: [], certificates: {}, decisions: [], result: 'deferred',
  };
  openHop(ctx, hop);
  const decide = (d: Decision) => { hop.decisions.push(d); i.onDecision(d); return d; };
  let facts: SessionFacts | undefined;
  const finish = (outcome: AttemptOutcome) => {
    // Nothing accepted (e.g. 530 at MAIL FROM): the hop is a refusal, whatever the message's other recipients became.
    hop.result = outcome.kind === 'delivered' ? sessionResult(outcome) : outcome.kind === 'failed' ? 'failed' : 'deferred';
    return { outcome, hop };
  };
  const local = (reply: string): AttemptOutcome => { hop.reply = reply; return { kind: 'deferred', failure: { kind: 'local', reply } }; };

  if (!connector) return finish(local(`451 4.4.0 Unable to route: no send connector has an address space for ${domain}`));
  const sendCtx: SendContext = { nextHopDomain: domain, sendList: org.transport.tlsSendDomainSecureList, connector };
  const d0 = decide(decideBeforeConnect(sendCtx));
  const verbose = connector.protocolLoggingLevel === 'Verbose';
  // DS-LOG-02 local-endpoint: the address and port the receiver sees (`:0` only for a session that never connected).
  const log = (remote: string, local = `${edge.address}:0`) => new SessionLogger(verbose ? i.sendLog : undefined, () => ctx.nowIso(), connector.name, hop.sessionId, local, remote);
  if (d0.outcome === 'defer') {
    const l = log('');
    for (const line of d0.info ?? []) l.info(line);
    return finish(local(formatReply(d0.reply!)));
  }

  const fqdn = connector.fqdn ?? edge.fqdn;
  const own = edge.certificates.selectForFqdn(fqdn, connector.tlsCertificateName);
  if (!own.ok && connector.tlsCertificateName) {
    decide({ rule: 'DS-CONF-07', outcome: 'defer', reply: REPLIES.tlsCertificateNameMissing, reason: own.detail });
    return finish(local(formatReply(REPLIES.tlsCertificateNameMissing)));
  }

  // Route: DNS MX/A for DNS-routed connectors, else the first smart host.
  let host: string;
  let address: string | undefined;
  if (connector.dnsRoutingEnabled) {
    const r = ctx.dns.resolveMailHost(domain);
    if (!r.ok) {
      hop.reply = r.status === 'NXDOMAIN' ? '550 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain' : `451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NoDataForDomain; ${r.detail}`;
      return finish(r.status === 'NXDOMAIN' ? { kind: 'failed', reply: hop.reply } : { kind: 'deferred', failure: { kind: 'local', reply: hop.reply } });
    }
    host = r.host;
    address = r.address;
  } else {
    host = connector.smartHosts[0];
    address = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : ctx.dns.a(host);
    if (!address) return finish(local(`451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NoDataForDomain; smart host ${host} has no address`));
  }
  hop.to = { host, address, port: connector.port };
  const endpoint = ctx.network.endpointName(address, connector.port);
  const conn = await ctx.network.connect(edge.address, address, connector.port, org.transport.settings.connectTimeout);
  hop.network = conn.faults;
  if (!conn.ok) {
    hop.reply = `Failed to connect. Winsock error code: ${conn.winsock} (${conn.detail})`;
    return finish({ kind: 'deferred', failure: { kind: 'socket', winsock: conn.winsock, endpoint } });
  }
  ctx.openHops.set(conn.wire, hop);
  const l = log(endpoint, conn.wire);
  l.write('+', '');
  const line = (dir: '>' | '<' | '*', text: string) => hop.clientTranscript.push({ at: ctx.nowIso(), dir, text });
  const ownCert = own.ok ? own.stored : undefined;
  // DS-SEND-03 "no certificate of ours": mutual TLS cannot be negotiated without one, so STARTTLS is not even tried.
  const noCredentials = d0.tlsMode === 'domain-secure' && !ownCert;
  const session = new SmtpClientSession({
    socket: conn.socket, ehloName: fqdn, guardMs: conn.external ? PEER_GUARD_MS.outside : PEER_GUARD_MS.simulated, starttls: connector.ignoreStartTls || noCredentials ? 'none' : 'when-offered',
    tls: { secureContext: clientTlsContext(ownCert, edge.tlsVersions), rejectUnauthorized: false, servername: /^\d/.test(host) ? undefined : host },
    onLine: (dir, text) => { l.write(dir, text); line(dir, text); },
    onStartTls: () => {
      if (!ownCert) return;
      for (const [data, context] of certificateLines('Sending certificate', ownCert.certificate)) l.info(context, data);
    },
    onSecure: (t) => {
      const cipher = t.getCipher();
      hop.tls = { version: t.getProtocol() ?? cipher.version, cipher: cipher.name, bits: keyExchangeBits(t, 'CLIENT') };
      const peer = peerCertificates(t)[0];
      if (!peer) return;
      for (const [data, context] of certificateLines(peerCertificateKind(org.transport.settings.exchangeVersion), peer)) l.info(context, data);
      l.info(tlsSuccessLine({ version: hop.tls.version, cipher: cipher.name, ephemeralBits: hop.tls.bits }, 'CLIENT'));
    },
  });
  try {
    return finish(await converse());
  } finally {
    await session.quit();
    l.write('-', '');
    ctx.openHops.delete(conn.wire);
  }

  async function converse(): Promise<AttemptOutcome> {
    const opened = await session.open();
    if (!opened.ok) {
      if (opened.stage === 'starttls-refused') {
        const d = decide(decideAfterEhlo(sendCtx, 'refused'));
        for (const x of d.info ?? []) l.info(x);
        if (d.outcome === 'defer') return deferOn(d);
        // Opportunistic TLS would accept plain text, but the refusal ended this session: the next attempt tries again.
        hop.reply = opened.reply ?? '454 4.7.0 STARTTLS refused';
        return { kind: 'deferred', failure: { kind: 'reply', reply: hop.reply, endpoint } };
      }
      if (opened.stage === 'handshake') {
        const d = decide(decideAfterHandshake(sendCtx, { ok: false, error: opened.error }));
        for (const x of d.info ?? []) l.info(x);
        return deferOn(d);
      }
      hop.reply = opened.reply ?? opened.error;
      return opened.reply && opened.reply.startsWith('5')
        ? { kind: 'failed', reply: opened.reply }
        : { kind: 'deferred', failure: { kind: 'reply', reply: opened.reply ?? `421 4.4.2 ${opened.error}`, endpoint } };
    }
    if (!opened.secure && noCredentials && opened.starttls === 'offered') {
      const d = decide(decideAfterHandshake(sendCtx, { ok: false, error: `SEC_E_NO_CREDENTIALS (no certificate for ${fqdn} is enabled for SMTP)` }));
      for (const x of d.info ?? []) l.info(x);
      return deferOn(d);
    }
    facts = { connector: connector!.name, tlsMode: d0.tlsMode, secure: opened.secure };
    if (!opened.secure) {
      // Not secure here means STARTTLS was not offered, or IgnoreSTARTTLS skipped it (never with domain security, DS-CONF-03).
      const d = decide(decideAfterEhlo(sendCtx, 'not-offered'));
      if (d.outcome === 'defer') {
        for (const x of d.info ?? []) l.info(x);
        return deferOn(d);
      }
    } else {
      decide(decideAfterHandshake(sendCtx, { ok: true }));
      // The certificate and TLS lines were logged as the handshake finished (onSecure above).
      const presented = peerCertificates(opened.tlsSocket!);
      if (presented.length > 0) {
        hop.certificates.server = summarize(presented[0]);
        if (ownCert) hop.certificates.client = summarize(ownCert.certificate);
        const chain = await validateChain({
          presented, trustedRoots: org.trustedRoots.list(), at: ctx.clock.now(),
          fetchCrl: (url) => ctx.fetchCrl(url, edge.address), revocation: org.transport.settings.revocationMode,
        });
        const match = matchDomain(presented[0].names, domain);
        const d = decide(decideRemoteCertificate(sendCtx, match, chain));
        facts.certificate = { match, chain, outcome: d.outcome };
        for (const x of d.info ?? []) l.info(x);
        if (d.outcome === 'defer') return deferOn(d);
        if (d.outcome === 'sent') for (const [data, context] of certificateLines('Secure domain certificate', presented[0])) l.info(context, data);
      } else if (d0.tlsMode === 'domain-secure') {
        return deferOn(decide(decideRemoteCertificate(sendCtx, matchDomain([], domain), {
          ok: false, status: 'EmptyCertificate', detail: 'The server presented no certificate.', rule: 'DS-CERT-01', info: [], chain: [],
        })));
      }
    }
    return transfer();
  }

  async function transfer(): Promise<AttemptOutcome> {
    const results: MessageResult[] = [];
    let interrupted: AttemptFailure | undefined;
    let carried = 0;
    for (let batch = i.messages, followOn = false; batch.length > 0 && !interrupted; batch = i.more ? await i.more(carried) : [], followOn = true) {
      for (const m of batch) {
        if (followOn) {
          // Each message on a kept connection is decided again, on the handshake's facts and today's configuration.
          const verdict = decideFollowOn(org, edge.name, domain, facts!);
          // Recorded, not counted: a follow-on turned away is no session failure; the new session decides and counts.
        hop.decisions.push(...verdict.decisions.map((d) => ({ ...d, followOn: { messageId: m.messageId } })));
          // Changed under the session: this message and the rest wait for a new session, which decides from scratch.
          if (!verdict.ok) return settledOutcome(results, interrupted);
          hop.messageIds.push(m.messageId);
        }
        carried += 1;
        // Recorded before any transaction: whatever got 250 stays recorded even if a later transaction breaks the session.
        const result: MessageResult = { messageId: m.messageId, accepted: [], failed: [], deferred: [] };
        results.push(result);
        interrupted = await sendMessage(m, result);
        if (result.accepted.length + result.failed.length + result.deferred.length > 0) i.onResult?.(result, hop);
        if (interrupted) break;
      }
      if (!i.more) break;
    }
    return settledOutcome(results, interrupted);
  }

  /** One message's transactions (more than one after a 452 4.5.3); the failure when the session cannot go on. */
  async function sendMessage(m: OutboundMessage, result: MessageResult): Promise<AttemptFailure | undefined> {
    let pending = i.recipientsOf(m);
    while (pending.length > 0) {
      const r = await session.send(m.from, pending, m.raw);
      hop.reply = r.reply;
      // This transaction was not accepted: its recipients stay queued, and so does every message after it.
      if (r.sessionLost) return { kind: 'reply', reply: r.code ? r.reply : `421 4.4.2 Connection dropped (${r.reply})`, endpoint };
      if (r.ok) result.accepted.push(...r.accepted);
      // 452 4.5.3 (too many recipients) after some were taken: RFC 5321 4.5.3.1.10, the rest go in the next transaction now.
      const tooMany = r.ok && r.accepted.length > 0 ? r.refused.filter((x) => x.code === 452) : [];
      for (const x of r.refused) if (!tooMany.includes(x)) (x.code >= 500 ? result.failed : result.deferred).push({ rcpt: x.rcpt, reply: x.reply });
      // A refused transaction may leave the server mid-envelope: RSET, or the next MAIL FROM meets 503.
      if (!r.ok && !(await session.reset())) return { kind: 'reply', reply: '421 4.4.2 Connection dropped after RSET', endpoint };
      pending = tooMany.map((x) => x.rcpt);
    }
    return undefined;
  }

  function settledOutcome(results: MessageResult[], interrupted: AttemptFailure | undefined): AttemptOutcome {
    const secured = hop.decisions.some((d) => d.outcome === 'sent');
    const settled = results.filter((r) => r.accepted.length + r.failed.length + r.deferred.length > 0);
    // Nothing settled at all: an ordinary deferral of the whole session, with its reply as the queue's LastError.
    if (interrupted && settled.length === 0) return { kind: 'deferred', failure: interrupted };
    return { kind: 'delivered', results: settled, tlsDomain: secured ? domain : undefined, interrupted };
  }

  function deferOn(d: Decision): AttemptOutcome {
    hop.reply = formatReply(d.reply!);
    return { kind: 'deferred', failure: { kind: 'reply', reply: hop.reply, endpoint } };
  }
}

/** A session that carried transactions: delivered if any recipient got 250, deferred if any is still owed, else failed. */
function sessionResult(o: Extract<AttemptOutcome, { kind: 'delivered' }>): HopEvidence['result'] {
  if (o.results.some((r) => r.accepted.length > 0)) return 'delivered';
  // Nothing accepted and nothing deferred: the receiver refused the transaction (530 at MAIL FROM, 5xx to every RCPT).
  return o.interrupted || o.results.some((r) => r.deferred.length > 0) ? 'deferred' : 'rejected';
}
