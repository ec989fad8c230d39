// A deliberately plain SMTP client for probing a simulated receiver: it may skip STARTTLS, present any certificate or
// none, and send any MAIL FROM (spoofed, null); it returns every reply. The relay's own send side never misbehaves.
import type net from 'node:net';
import tls from 'node:tls';
import type { SimNetwork } from './network.js';
import { PEER_GUARD_MS } from './smtp-client-session.js';

export interface ProbeCertificate {
  privateKeyPem?: string;
  certificate: { pem: string };
  chain: { pem: string; isSelfSigned: boolean }[];
}

export interface ProbeOptions {
  network: SimNetwork;
  /** Source address the receiver sees (picks its receive connector by RemoteIPRanges). */
  from: string;
  to: string;
  /** Port as dialled (25); the network maps it to the real listener and applies its fault switches. */
  port?: number;
  ehlo: string;
  /** Send STARTTLS when the server offers it. */
  starttls: boolean;
  /** Client certificate offered in the handshake; none when undefined. */
  certificate?: ProbeCertificate;
  /** Envelope sender, '' for the null sender `<>`. */
  mailFrom: string;
  rcptTo: string[];
  /** Message text for DATA (CRLF line ends added); DATA is skipped when MAIL or every RCPT fails. */
  data?: string;
}

export interface ProbeReply {
  command: string;
  reply: string; // the reply's lines joined with a space, as the protocol log shows a multi-line reply
  code: number;
}

export interface ProbeResult {
  replies: ProbeReply[];
  starttlsOffered: boolean;
  tls: boolean;
  /** The reply to the first command that starts with `command` (e.g. 'MAIL FROM'), if it was sent. */
  replyTo(command: string): ProbeReply | undefined;
}

/**
 * Real-time guard against a silent peer; protocol timers are virtual, this only keeps a broken scenario from hanging.
 * The peer's own guard (smtp-client-session.ts): 8 s for an outside MTA, 5 min for a simulated edge, which only load
 * delays (at 5 s a loaded machine turned a reply into "no reply").
 */
class ReplyReader {
  constructor(private readonly guardMs: number) {}

  #buffer = '';
  #waiting?: (line: string | undefined) => void;
  #lines: string[] = [];
  #closed = false;

  attach(s: net.Socket | tls.TLSSocket): void {
    // Decoded here, not with setEncoding: TLS over a socket of an edge thread (a stream, not a net.Socket) refuses a
    // stream that has a decoder set.
    s.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      let i: number;
      while ((i = this.#buffer.indexOf('\r\n')) >= 0) {
        this.#lines.push(this.#buffer.slice(0, i));
        this.#buffer = this.#buffer.slice(i + 2);
      }
      this.#wake();
    });
    s.on('close', () => { this.#closed = true; this.#wake(); });
    s.on('error', () => { this.#closed = true; this.#wake(); });
  }

  detach(s: net.Socket): void {
    s.removeAllListeners('data');
    s.removeAllListeners('close');
    s.removeAllListeners('error');
    s.on('error', () => undefined);
  }

  #wake(): void {
    const w = this.#waiting;
    if (!w) return;
    if (this.#lines.length > 0) { this.#waiting = undefined; w(this.#lines.shift()); } else if (this.#closed) { this.#waiting = undefined; w(undefined); }
  }

  #line(): Promise<string | undefined> {
    if (this.#lines.length > 0) return Promise.resolve(this.#lines.shift());
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.#waiting = undefined; resolve(undefined); }, this.guardMs).unref();
      this.#waiting = (l) => { clearTimeout(t); resolve(l); };
    });
  }

  /** One whole reply (all its lines); code 0 when the connection closed first. */
  async reply(): Promise<{ lines: string[]; code: number }> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.#line();
      if (l === undefined) return { lines: lines.length ? lines : ['(connection closed)'], code: lines.length ? Number(lines[0].slice(0, 3)) : 0 };
      lines.push(l);
      if (/^\d{3}(?: |$)/.test(l)) return { lines, code: Number(l.slice(0, 3)) };
    }
  }
}

export async function probeSmtp(o: ProbeOptions): Promise<ProbeResult> {
  const replies: ProbeReply[] = [];
  const result: ProbeResult = {
    replies, starttlsOffered: false, tls: false,
    replyTo: (c) => replies.find((r) => r.command.toUpperCase().startsWith(c.toUpperCase())),
  };
  const conn = await o.network.connect(o.from, o.to, o.port ?? 25, 21_000);
  if (!conn.ok) {
    replies.push({ command: '(connect)', reply: `Failed to connect. Winsock error code: ${conn.winsock}`, code: 0 });
    return result;
  }
  let socket: net.Socket | tls.TLSSocket = conn.socket;
  const reader = new ReplyReader(conn.external ? PEER_GUARD_MS.outside : PEER_GUARD_MS.simulated);
  reader.attach(socket);
  const exchange = async (command: string, wire = command): Promise<ProbeReply> => {
    if (command !== '(greeting)') socket.write(`${wire}\r\n`);
    const r = await reader.reply();
    const p = { command, reply: r.lines.join(' '), code: r.code };
    replies.push(p);
    return p;
  };
  const transaction = async (): Promise<void> => {
    if ((await exchange('(greeting)')).code !== 220) return;
    let ehlo = await exchange(`EHLO ${o.ehlo}`);
    result.starttlsOffered = /(?:^|\s)250[ -]STARTTLS\b/i.test(ehlo.reply);
    if (o.starttls && result.starttlsOffered) {
      if ((await exchange('STARTTLS')).code !== 220) return;
      reader.detach(socket);
      socket = await handshake(conn.socket, o.certificate);
      result.tls = true;
      reader.attach(socket);
      ehlo = await exchange(`EHLO ${o.ehlo}`);
    }
    if ((await exchange(`MAIL FROM:<${o.mailFrom}>`)).code !== 250) return;
    let anyRcpt = false;
    for (const r of o.rcptTo) anyRcpt = (await exchange(`RCPT TO:<${r}>`)).code === 250 || anyRcpt;
    if (!anyRcpt || o.data === undefined) return;
    if ((await exchange('DATA')).code !== 354) return;
    await exchange('(message)', `${o.data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.`);
  };
  try {
    await transaction();
    // Always end with QUIT: its reply shows whether the server had already closed the session (DS-RECV-09).
    await exchange('QUIT');
    return result;
  } catch (e) {
    replies.push({ command: '(tls)', reply: `TLS negotiation failed: ${(e as Error).message}`, code: 0 });
    return result;
  } finally {
    socket.destroy();
    conn.socket.destroy();
  }
}

function handshake(socket: net.Socket, c: ProbeCertificate | undefined): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const t = tls.connect({
      socket, rejectUnauthorized: false, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2',
      key: c?.privateKeyPem, cert: c ? [c.certificate.pem, ...c.chain.filter((x) => !x.isSelfSigned).map((x) => x.pem)].join('\n') : undefined,
    });
    t.once('secureConnect', () => { t.removeListener('error', reject); resolve(t); });
    t.once('error', reject);
  });
}
