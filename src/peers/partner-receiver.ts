// The partner's edge as a receive side for an outside MTA under test: one address:port, its behaviour switched per
// check (a good edge, no STARTTLS, STARTTLS refused, a faulty certificate, a refused handshake, a firewall), every
// session the MTA opens recorded with its server-side transcript, TLS facts, client certificate and the message it carried.
import net from 'node:net';
import tls from 'node:tls';
import { Certificate, type KeyedCertificate } from '../ca/index.js';
import { peerChainDer } from '../sim/index.js';
import { pemBundle } from './peer-plan.js';

/** How the edge behaves for the sessions opened while the mode holds (BEHAVIOUR §4: the faults a sender must refuse). */
export type PartnerMode =
  | { kind: 'good'; certificate: KeyedCertificate; judgeClient: (chain: Certificate[], mailFrom: string) => Promise<ClientJudgement> }
  | { kind: 'certificate'; certificate: KeyedCertificate }
  | { kind: 'no-starttls' }
  | { kind: 'starttls-refused' }
  /** Asks for the client certificate and fails the handshake on it (trusts only `trusted`). */
  | { kind: 'handshake-refused'; certificate: KeyedCertificate; trusted: Certificate }
  /** A firewall that rejects: the connection is reset as soon as it is made. */
  | { kind: 'reset' }
  /** A firewall that drops: the connection is taken and never answered; closed when the mode changes. */
  | { kind: 'silent' };

/** The edge's verdict on the client certificate at MAIL FROM, as a reply (Exchange's DS-RECV-04…07). */
export interface ClientJudgement {
  ok: boolean;
  reply: string;
}

export interface PartnerSession {
  id: number;
  mode: PartnerMode['kind'];
  /** The certificate the edge offered in STARTTLS while this session's mode held. */
  presented?: KeyedCertificate;
  startedAt: number;
  endedAt?: number;
  remote: string;
  transcript: string[];
  tls?: { version: string; cipher: string };
  clientCertificate?: Certificate;
  mailFrom?: string;
  /** The Message-ID of the first message taken (250 after DATA), if one was. */
  delivered?: string;
  /** Every message taken in the session, in order: an MTA may send several over one connection. */
  messages: string[];
}

export interface PartnerReceiver {
  readonly address: string;
  readonly port: number;
  readonly sessions: PartnerSession[];
  setMode(mode: PartnerMode): void;
  close(): Promise<void>;
}

const CRLF = '\r\n';

export async function startPartnerReceiver(o: { address: string; port: number; fqdn: string; mode: PartnerMode }): Promise<PartnerReceiver> {
  let mode = o.mode;
  const sessions: PartnerSession[] = [];
  const open = new Set<net.Socket>();
  const silent = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    const s: PartnerSession = {
      id: sessions.length + 1, mode: mode.kind, ...('certificate' in mode ? { presented: mode.certificate } : {}),
      startedAt: Date.now(), remote: `${socket.remoteAddress}:${socket.remotePort}`, transcript: [], messages: [],
    };
    sessions.push(s);
    socket.on('close', () => { s.endedAt = Date.now(); });
    if (mode.kind === 'reset') {
      s.transcript.push('* connection reset (firewall rejects)');
      socket.resetAndDestroy();
      return;
    }
    if (mode.kind === 'silent') {
      s.transcript.push('* connection taken, never answered (firewall drops)');
      silent.add(socket);
      return;
    }
    converse(socket, s, mode, o.fqdn);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => resolve());
  });
  return {
    address: o.address, port: o.port, sessions,
    setMode(m) {
      mode = m;
      for (const x of silent) x.destroy();
      silent.clear();
    },
    close: () => new Promise<void>((resolve) => {
      for (const x of open) x.destroy();
      server.close(() => resolve());
    }),
  };
}

function converse(first: net.Socket, s: PartnerSession, mode: Exclude<PartnerMode, { kind: 'reset' | 'silent' }>, fqdn: string): void {
  let socket: net.Socket = first;
  let buf = '';
  let inData = false;
  let data: string[] = [];
  let busy = false;
  const say = (line: string) => {
    s.transcript.push(`> ${line.replace(/\r\n/g, ' | ')}`);
    socket.write(`${line}${CRLF}`);
  };
  const ehlo = () => {
    const tlsOffer = !s.tls && mode.kind !== 'no-starttls' ? ['STARTTLS'] : [];
    const lines = [fqdn, 'PIPELINING', '8BITMIME', ...tlsOffer];
    return lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}`).join(CRLF);
  };
  const upgrade = () => {
    const k = (mode as { certificate: KeyedCertificate }).certificate;
    const refused = mode.kind === 'handshake-refused';
    socket.removeAllListeners('data');
    const secure = new tls.TLSSocket(socket, {
      isServer: true, key: k.privateKeyPem, cert: pemBundle([k.certificate, ...k.chain.filter((c) => !c.isSelfSigned)]),
      requestCert: true, rejectUnauthorized: refused, minVersion: 'TLSv1.2',
      ...(refused ? { ca: [mode.trusted.pem] } : {}),
    });
    secure.on('error', (e) => { s.transcript.push(`* TLS handshake failed: ${e.message}`); secure.destroy(); });
    secure.once('secure', () => {
      // A TLSSocket made from a socket does not enforce rejectUnauthorized itself: the refusal is done here.
      if (refused && !secure.authorized) {
        s.transcript.push(`* TLS handshake refused: the client certificate does not verify (${String(secure.authorizationError)})`);
        secure.destroy();
        return;
      }
      s.tls = { version: secure.getProtocol() ?? '', cipher: secure.getCipher().name };
      const chain = peerChain(secure);
      if (chain.length > 0) s.clientCertificate = chain[0];
      s.transcript.push(`* TLS ${s.tls.version} ${s.tls.cipher}; client certificate ${s.clientCertificate?.subject ?? '(none)'}`);
    });
    socket = secure;
    socket.on('data', onData);
  };
  const command = async (line: string): Promise<void> => {
    s.transcript.push(`< ${line}`);
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') return say(ehlo());
    if (verb === 'HELO') return say(`250 ${fqdn}`);
    if (line.toUpperCase() === 'STARTTLS') {
      if (s.tls || mode.kind === 'no-starttls') return say('502 5.5.1 Command not implemented');
      if (mode.kind === 'starttls-refused') return say('454 4.7.0 TLS not available due to temporary reason');
      say('220 2.0.0 SMTP server ready');
      buf = ''; // nothing may follow STARTTLS in clear (RFC 3207 §4)
      return upgrade();
    }
    if (verb === 'MAIL') {
      s.mailFrom = /<([^>]*)>/.exec(line)?.[1] ?? '';
      if (mode.kind === 'good') {
        const j = await mode.judgeClient(s.tls ? peerChain(socket as tls.TLSSocket) : [], s.mailFrom);
        if (!j.ok) { s.mailFrom = undefined; return say(j.reply); }
      }
      return say('250 2.1.0 Sender OK');
    }
    if (verb === 'RCPT') return say(s.mailFrom !== undefined ? '250 2.1.5 Recipient OK' : '503 5.5.1 MAIL first');
    if (verb === 'DATA') {
      if (s.mailFrom === undefined) return say('503 5.5.1 MAIL first');
      inData = true;
      data = [];
      return say('354 Start mail input; end with <CRLF>.<CRLF>');
    }
    if (verb === 'RSET') { s.mailFrom = undefined; return say('250 2.0.0 Resetting'); }
    if (verb === 'NOOP') return say('250 2.0.0 OK');
    if (verb === 'QUIT') { say('221 2.0.0 Closing connection'); socket.end(); return; }
    return say('500 5.3.3 Unrecognized command');
  };
  const lineIn = async (line: string): Promise<void> => {
    if (!inData) return command(line);
    if (line !== '.') { data.push(line.startsWith('..') ? line.slice(1) : line); return; }
    inData = false;
    const id = data.map((l) => /^message-id:\s*<([^>]+)>/i.exec(l)?.[1]).find((x) => x !== undefined) ?? '(no Message-ID)';
    s.transcript.push(`< (message, ${data.length} lines, Message-ID <${id}>)`, '< .');
    s.delivered ??= id;
    s.messages.push(id);
    s.mailFrom = undefined;
    say('250 2.6.0 Queued mail for delivery');
  };
  // Lines are handled one at a time: MAIL FROM waits for the certificate's judgement, pipelined lines queue behind it.
  const onData = (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    void drain();
  };
  const drain = async () => {
    if (busy) return;
    busy = true;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
      await lineIn(line);
    }
    busy = false;
  };
  socket.on('data', onData);
  say(`220 ${fqdn} ESMTP`);
}

/** What the client sent, leaf first (peer-chain.mjs: without the root the context's store would append). */
function peerChain(secure: tls.TLSSocket): Certificate[] {
  return peerChainDer(secure).map((der) => Certificate.fromDer(der));
}
