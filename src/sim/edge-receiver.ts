// An edge's receive side: one loopback listener, the receive connector chosen per client IP, smtp-server per connector.
import net from 'node:net';
import type tls from 'node:tls';
import type { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { chooseReceiveConnector, type EdgeServer, MAX_RECIPIENT_ENVELOPE_LIMIT, type Organization, type ReceiveConnectorSettings, receiveConnectorIdentity, type StoredCertificate } from '../orgs/index.js';
import { DomsecError } from '../errors.js';
import { type EdgeQuirks, refuseStartTls } from './edge-quirks.js';
import { InboundAdmission } from './inbound-admission.js';
import { LIMIT_EVENTS, LIMIT_REPLIES, limitReplyLine } from './limit-replies.js';
import { applySessionDeadlines } from './session-deadlines.js';
import { tlsVersionBounds } from './client-tls-context.js';
import { refusedAtConnect } from './external-organization.js';
import { queuedReply, speakExchange } from './exchange-replies.js';
import type { MailboxStore } from './mailbox-store.js';
import type { Observability } from './observability.js';
import { legacyTlsOptions } from './legacy-tls.js';
import { type ProtocolLog, SessionLogger } from './protocol-log.js';
import { ReceiveSession } from './receive-session.js';
import { smtpServerLogger } from './smtp-server-logger.js';
import { SharedTlsContexts, SharedTlsServer } from './shared-tls-server.js';
import { ThreadedSocket } from './threaded-socket.js';
import { serverStartTlsOnThread } from './threaded-starttls.js';
import type { SessionSummary, SimContext } from './sim-context.js';

type Conn = InstanceType<typeof SMTPConnection> & { close(): void; connectionReady(next?: () => void): void; _setListeners(cb: () => void): void; send(code: number, text: string): void };

/** A net.Server, or an edge thread's listener (edge-threads.ts). */
type Listening = { address(): unknown; close(cb: () => void): unknown };

interface ConnectorServer {
  key: string;
  server: SMTPServer;
  starttls: boolean;
  cert?: StoredCertificate;
}

/** An open session: its connection is set once made, and `finish` once the session can end. */
interface LiveSession { session: ReceiveSession; conn?: Conn; finish?: () => void }

export class EdgeReceiver {
  #listener?: Listening;
  /** By server configuration (#serverFor). */
  #servers = new Map<string, ConnectorServer>();
  /** One TLS context per configuration, shared by the connectors' servers (shared-tls-server.ts). */
  #tls = new SharedTlsContexts();
  /** Open sessions by id, which is also the smtp-server connection's id: the session, its connection, what ends it. */
  #live = new Map<string, LiveSession>();
  port = 0;
  /** A port chosen by the user (`lab up --port-base`, `port:` in a lab file): taken or refused, never swapped for another. */
  fixedPort?: number;
  /** Peer misbehaviours switched on for this edge (edge-quirks.ts); servers are rebuilt when they change. */
  quirks: EdgeQuirks = {};
  /** MaxInboundConnection / MaxInboundConnectionPerSource accounting and the shedding spell after EMFILE. */
  readonly admission = new InboundAdmission();
  #lastAcceptEvent = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly org: Organization,
    readonly edge: EdgeServer,
    private readonly recvLog: ProtocolLog,
    private readonly mailboxes: MailboxStore,
    private readonly obs: Observability,
  ) {}

  get running(): boolean {
    return !!this.#listener;
  }

  /** Listens on the edge's address; can follow stop() (an edge that goes down and comes back). */
  async start(): Promise<void> {
    if (this.#listener) return;
    // An edge that comes back keeps its port when it can (contract.md: stable per run): a real MTA peer routes to it directly.
    const listener = this.fixedPort !== undefined ? await this.#listenFixed(this.fixedPort) : await this.#listen(this.port).catch(() => this.#listen(0));
    this.#listener = listener;
    this.port = (listener.address() as net.AddressInfo).port;
    this.ctx.network.publish(this.edge.address, 25, this.port);
  }

  async #listenFixed(port: number): Promise<Listening> {
    try {
      return await this.#listen(port);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new DomsecError('ERR_ADDRESS_IN_USE', `${this.edge.address}:${port} (edge ${this.edge.name}) cannot be listened on (${code ?? (e as Error).message}): another program uses it. Stop that program or choose other ports (--port-base, or port: in the lab file).`, { address: this.edge.address, port });
    }
  }

  #listen(port: number): Promise<Listening> {
    const threads = this.ctx.network.threads;
    if (threads) return threads.listen(this.edge.address, port, (s) => this.#accept(s as unknown as net.Socket), (e) => this.#acceptFailed(e));
    const listener = net.createServer((s) => this.#accept(s));
    return new Promise<net.Server>((resolve, reject) => listener.once('error', reject).listen(port, this.edge.address, () => {
      listener.removeListener('error', reject);
      // After listen, 'error' means accept() failed (EMFILE, ENFILE): without a handler the process dies with every edge.
      listener.on('error', (e: NodeJS.ErrnoException) => this.#acceptFailed(e));
      resolve(listener);
    }));
  }

  async stop(): Promise<void> {
    const listener = this.#listener;
    if (!listener) return;
    this.#listener = undefined;
    this.ctx.network.unpublish(this.edge.address, 25);
    for (const l of this.#live.values()) l.conn?.close();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  /** Sessions still open: Simulation.settle() waits for them, so a session's closing log line is written before anyone reads. */
  busy(): Promise<void>[] {
    return [...this.#open];
  }

  #open = new Set<Promise<void>>();

  /** Survives a failed accept: sheds new sockets for a moment (descriptors come back as sessions end) and says so once a second. */
  #acceptFailed(e: NodeJS.ErrnoException): void {
    const now = Date.now();
    this.admission.acceptFailed(now);
    if (now - this.#lastAcceptEvent < 1000) return;
    this.#lastAcceptEvent = now;
    this.obs.event({ id: LIMIT_EVENTS.acceptFailed, source: 'MSExchangeTransport', at: this.ctx.nowIso(), server: this.edge.name,
      text: `${this.edge.name} could not accept a connection on ${this.edge.address}:25 (${e.code ?? e.message}); new connections are refused with 421 for a moment.` });
  }

  /** Refuses a socket with one reply line and makes sure it goes away even if the client never reads or closes. */
  #refuse(socket: net.Socket, line: string): void {
    socket.setTimeout(5000, () => socket.destroy());
    socket.end(`${line}\r\n`);
  }

  #accept(socket: net.Socket): void {
    // First of all: a client that resets at once must not raise an unhandled 'error' (that killed `lab up`).
    socket.on('error', () => undefined);
    this.ctx.network.track(socket);
    if (this.admission.shedding(Date.now())) {
      this.#refuse(socket, limitReplyLine(LIMIT_REPLIES.notAvailable));
      return;
    }
    const sourceIp = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    // Sessions from a simulated edge's address are the simulation's own; settle() waits for them. An outside client
    // (swaks, a real MTA, an idle trickle) is never waited for: `lab send` must not hang behind it.
    const fromSimulation = this.ctx.network.isEdgeAddress(sourceIp);
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => { resolveClosed = resolve; });
    if (fromSimulation) this.#open.add(closed);
    // Real-time guard: a peer that never hangs up must not stall settle() for ever (protocol timers stay virtual).
    const guard = setTimeout(() => resolveClosed(), 3000).unref();
    void closed.then(() => { clearTimeout(guard); this.#open.delete(closed); });
    socket.once('close', () => resolveClosed());
    const remoteIp = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const remote = `${remoteIp}:${socket.remotePort}`;
    const connector = chooseReceiveConnector(this.edge.receiveConnectors, remoteIp, 25);
    const sessionId = this.ctx.ids.sessionId();
    if (!connector) {
      // Exchange drops a session no receive connector accepts.
      const reply = limitReplyLine(LIMIT_REPLIES.notAvailable);
      this.#refuse(socket, reply);
      refusedAtConnect(this.ctx, remote, { org: this.org.name, domain: this.org.primaryDomain, edge: this.edge }, reply);
      this.#announce({ at: this.ctx.nowIso(), remote, org: this.org.name, edge: this.edge.name, tls: false, reply });
      return;
    }
    const admitted = this.admission.admit(connector, remoteIp);
    if (!admitted.ok) {
      this.obs.event({ id: admitted.event, source: 'MSExchangeTransport', at: this.ctx.nowIso(), server: this.edge.name, text: admitted.reason });
      this.#refuse(socket, limitReplyLine(admitted.reply));
      this.#announce({ at: this.ctx.nowIso(), remote, org: this.org.name, edge: this.edge.name, tls: false, reply: limitReplyLine(admitted.reply) });
      return;
    }
    const cs = this.#serverFor(connector);
    const verbose = connector.protocolLoggingLevel === 'Verbose';
    const log = new SessionLogger(verbose ? this.recvLog : undefined, () => this.ctx.nowIso(), receiveConnectorIdentity(connector), sessionId, `${this.edge.address}:25`, remote);
    const session = new ReceiveSession({ ctx: this.ctx, org: this.org, edge: this.edge, connector, serverCert: cs.cert, starttlsAdvertised: cs.starttls, mailboxes: this.mailboxes, obs: this.obs }, log, remote);
    log.write('+', '');
    if (!cs.starttls && connector.authMechanism.includes('Tls')) {
      // DS-CONF-07: no certificate for the FQDN, so STARTTLS is not advertised (event 12014).
      this.obs.event({ id: 12014, source: 'MSExchangeTransport', at: this.ctx.nowIso(), server: this.edge.name, text: `No certificate for ${session.fqdn} is enabled for SMTP: STARTTLS is not advertised on ${receiveConnectorIdentity(connector)}.` });
    }
    const live: LiveSession = { session };
    this.#live.set(sessionId, live);
    // Built by hand rather than server.connect(): that path waits 100 ms before the greeting (early-talker check)
    // and the harness has no early talkers to catch; the reverse lookup is off in the server options.
    const conn = new SMTPConnection(cs.server, socket, { id: sessionId }) as Conn;
    live.conn = conn;
    cs.server.connections.add(conn);
    conn.on('error', () => undefined);
    if ((socket as unknown) instanceof ThreadedSocket) serverStartTlsOnThread(conn);
    speakExchange(conn, {
      version: this.org.transport.settings.exchangeVersion, fqdn: session.fqdn, clientIp: remoteIp, now: () => this.ctx.clock.now(),
      size: connector.maxMessageSize, starttls: cs.starttls, auth: connector.authMechanism.includes('Tls'),
    });
    if (this.quirks.refuseStartTls) refuseStartTls(conn);
    // The session stops counting against MaxInboundConnection(PerSource) once QUIT is answered: a client that opens its
    // next session on the 221, before this socket has closed, must not be refused for a connection that is over.
    const sendReply = conn.send.bind(conn);
    conn.send = ((code: number, ...rest: unknown[]) => {
      (sendReply as (c: number, ...r: unknown[]) => void)(code, ...rest);
      if (code === 221) admitted.release();
    }) as Conn['send'];
    const deadlines = applySessionDeadlines(conn, {
      connector, clock: this.ctx.clock, simulated: () => this.ctx.network.isSimulatedClient(remote),
      note: (text) => session.info(text),
    });
    // After STARTTLS the TLS socket owns the connection and the plain socket never reports 'close'; smtp-server's
    // onClose hook (or the plain socket, for a session that stayed plain) tells when the session is over.
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      admitted.release();
      deadlines.stop();
      log.write('-', '');
      session.ended();
      this.#announce(session.summary());
      this.#live.delete(sessionId);
      cs.server.connections.delete(conn);
      this.ctx.network.forget(socket);
      resolveClosed();
    };
    live.finish = finish;
    socket.once('close', finish);
    conn._setListeners(() => conn.connectionReady());
  }

  /** A listener's failure is its own: it must never take the session (or the socket's close handler) down. */
  #announce(summary: SessionSummary): void {
    for (const l of this.ctx.sessionListeners) {
      try {
        l(summary);
      } catch {
        // ignored on purpose: printing a session line is not part of the protocol
      }
    }
  }

  /**
   * One smtp-server per server configuration, shared by the connectors that have the same one; rebuilt when the
   * configuration changes. In a full mesh with one receive connector per partner every connector has the same
   * configuration, and a server per connector was one smtp-server built per message (~0.4 ms each).
   */
  #serverFor(c: ReceiveConnectorSettings): ConnectorServer {
    const fqdn = c.fqdn ?? this.edge.fqdn;
    const sel = this.edge.certificates.selectForFqdn(fqdn);
    const cert = sel.ok ? sel.stored : undefined;
    const starttls = c.authMechanism.includes('Tls') && !!cert;
    const strict = !!this.quirks.rejectUntrustedClientCertificateInHandshake;
    const requestCert = starttls && (strict || (c.domainSecureEnabled && this.org.transport.tlsReceiveDomainSecureList.length > 0));
    // The key holds everything the server's options depend on; the session reads the connector itself.
    // The roots by their store's version: writing a mesh's 99 thumbprints here per session was most of this method.
    const key = JSON.stringify([fqdn, starttls, c.maxMessageSize, cert?.certificate.thumbprint, this.org.trustedRoots.version, requestCert, strict, this.edge.tlsVersions]);
    const existing = this.#servers.get(key);
    if (existing) return existing;
    const server = this.#createServer(c, fqdn, starttls, requestCert, cert, strict);
    const cs = { key, server, starttls, cert };
    // A configuration that changed leaves its server behind: keep the latest few (a session holds its own server).
    if (this.#servers.size >= 64) this.#servers.delete(this.#servers.keys().next().value!);
    this.#servers.set(key, cs);
    return cs;
  }

  #createServer(c: ReceiveConnectorSettings, fqdn: string, starttls: boolean, requestCert: boolean, cert: StoredCertificate | undefined, rejectUnauthorized: boolean): SMTPServer {
    const sessionOf = (id: string) => this.#live.get(id)?.session;
    const fail = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
    const logger = smtpServerLogger(sessionOf);
    // The trusted roots go into the context only when OpenSSL itself must refuse an untrusted client certificate (the
    // rejectUntrustedClientCertificateInHandshake quirk). Otherwise the session's own validation (ReceiveSession.onSecure,
    // validateChain against the organization's roots) decides, and Exchange does not send its trusted issuer list in
    // the CertificateRequest either (Schannel's SendTrustedIssuerList is 0 since Windows Server 2012): an empty list,
    // and no n × n root loads in a full mesh (docs/model-choices.md).
    const roots = rejectUnauthorized ? this.org.trustedRoots.list() : [];
    const tlsOptions = {
      key: cert?.privateKeyPem, cert: cert ? [cert.certificate.pem, ...cert.chain.filter((x) => !x.isSelfSigned).map((x) => x.pem)].join('\n') : undefined,
      ...(rejectUnauthorized ? { ca: roots.map((r) => r.pem) } : {}), ...tlsVersionBounds(this.edge.tlsVersions), ...legacyTlsOptions(cert),
    };
    const context = this.#tls.get(JSON.stringify([cert?.certificate.thumbprint, cert?.chain.map((x) => x.thumbprint), rejectUnauthorized, roots.map((r) => r.thumbprint), this.edge.tlsVersions]), tlsOptions);
    const server = new SharedTlsServer({
      name: fqdn, logger: logger as never, ...tlsOptions, requestCert, rejectUnauthorized,
      // Commands Exchange does not take (smtp-server's VRFY, XCLIENT… and its joke verbs) answer `500 5.3.3 Unrecognized command`.
      disabledCommands: [...(starttls ? [] : ['STARTTLS']), 'AUTH', 'VRFY', 'XCLIENT', 'XFORWARD', 'WIZ', 'SHELL', 'KILL'], authOptional: true,
      hideENHANCEDSTATUSCODES: true, disableReverseLookup: true, size: c.maxMessageSize, socketTimeout: 30_000,
      onClose: (session) => this.#live.get(session.id)?.finish?.(),
      onSecure: (socket, session, cb) => {
        const s = sessionOf(session.id);
        if (!s) return cb();
        s.onSecure(socket as tls.TLSSocket).then(() => cb(), (e: Error) => cb(fail(454, `4.7.0 ${e.message}`)));
      },
      onMailFrom: (address, session, cb) => {
        const s = sessionOf(session.id);
        if (!s) return cb(fail(421, '4.3.2 Service not available'));
        const d = s.mailFrom(address.address);
        if (d.outcome === 'reject') {
          cb(fail(d.reply!.code, `${d.reply!.enhanced} ${d.reply!.text}`));
          if (d.disconnect) setImmediate(() => this.#live.get(session.id)?.conn?.close());
          return;
        }
        cb();
      },
      onRcptTo: (address, session, cb) => {
        const s = sessionOf(session.id);
        if (!s || !s.rcptAllowed(address.address)) return cb(fail(550, '5.7.1 Unable to relay'));
        // MaxRecipientsPerMessage (connector) within MaxRecipientEnvelopeLimit (organization): the client sends the rest later.
        const limit = Math.min(s.env.connector.maxRecipientsPerMessage, MAX_RECIPIENT_ENVELOPE_LIMIT);
        if (session.envelope.rcptTo.length >= limit) return cb(fail(LIMIT_REPLIES.tooManyRecipients.code, LIMIT_REPLIES.tooManyRecipients.text));
        cb();
      },
      onData: (stream, session, cb) => {
        // Kept only up to MaxMessageSize: past it the rest is read and dropped (the reply needs the final dot), never held.
        const chunks: Buffer[] = [];
        const max = sessionOf(session.id)?.env.connector.maxMessageSize ?? c.maxMessageSize;
        let size = 0;
        let tooBig = false;
        stream.on('data', (b: Buffer) => {
          if (tooBig) return;
          size += b.length;
          if (size > max) {
            tooBig = true;
            chunks.length = 0;
          } else chunks.push(b);
        });
        // A client gone mid-DATA destroys the stream with an error: nothing to deliver, nothing to answer.
        stream.on('error', () => undefined);
        stream.on('end', () => {
          const s = sessionOf(session.id);
          if (!s) return cb(fail(451, '4.3.2 Session lost'));
          if (tooBig || stream.sizeExceeded) return cb(fail(LIMIT_REPLIES.messageTooBig.code, LIMIT_REPLIES.messageTooBig.text));
          const env = session.envelope;
          // A durable lab could not write the message to disk (queue-journal.ts): no 250 for what is not kept.
          const storageFailed = () => cb(fail(451, '4.3.0 Temporary storage failure, try again later'));
          let stored: string | Promise<string>;
          try {
            stored = s.deliver(Buffer.concat(chunks).toString('utf8'), env.mailFrom ? env.mailFrom.address : '', env.rcptTo.map((r) => r.address), session.hostNameAppearsAs || undefined);
          } catch {
            return storageFailed();
          }
          // Taken now, in session order, so ids stay the same for a seed however long the disk takes.
          const internalId = BigInt(`0x${this.ctx.ids.hex('internal-id', 11)}`).toString();
          const queued = (id: string) => cb(null, queuedReply(this.org.transport.settings.exchangeVersion, { messageId: id, internalId, hostname: this.edge.fqdn }));
          if (typeof stored === 'string') queued(stored);
          else stored.then(queued, storageFailed);
        });
      },
    }, context);
    // smtp-server wraps the logger in one that copies every entry first (~3% of a busy edge): the server calls ours directly.
    (server as unknown as { logger: typeof logger }).logger = logger;
    return server;
  }
}
