// A tiny SMTP client that plays a partner edge against a real MTA: EHLO, optional STARTTLS with a client certificate, MAIL, RCPT, DATA.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { KeyedCertificate } from '../ca/index.js';
import { pemBundle } from './peer-plan.js';

export interface ProbeOptions {
  host: string;
  port: number;
  /** Source address, so the receiver's RemoteIPRanges see the partner edge. */
  localAddress?: string;
  ehlo: string;
  /** 'skip' = never try, even if offered (DS-RECV-02). */
  starttls: 'use' | 'skip';
  clientCertificate?: KeyedCertificate;
  from: string;
  to: string[];
  /** Full message text; omit to stop after RCPT. */
  data?: string;
  timeoutMs?: number;
}

export interface ProbeReply {
  code: number;
  text: string;
}

export interface ProbeResult {
  transcript: string[];
  starttlsOffered: boolean;
  tls?: { protocol: string; cipher: string; serverSubject?: string };
  mailFrom?: ProbeReply;
  rcpt: ProbeReply[];
  data?: ProbeReply;
  /** Set when the conversation ended early (a refusal or a socket error). */
  error?: string;
}

class LineReader {
  #buf = '';
  #waiters: ((r: ProbeReply) => void)[] = [];
  #lines: string[] = [];
  constructor(private readonly transcript: string[]) {}
  feed(chunk: string): void {
    this.#buf += chunk;
    let i: number;
    while ((i = this.#buf.indexOf('\n')) >= 0) {
      const line = this.#buf.slice(0, i).replace(/\r$/, '');
      this.#buf = this.#buf.slice(i + 1);
      this.transcript.push(`< ${line}`);
      this.#lines.push(line.slice(4));
      if (/^\d{3} /.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), text: this.#lines.join('\n') };
        this.#lines = [];
        this.#waiters.shift()?.(reply);
      }
    }
  }
  next(): Promise<ProbeReply> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

export async function probeSmtp(o: ProbeOptions): Promise<ProbeResult> {
  const transcript: string[] = [];
  const result: ProbeResult = { transcript, starttlsOffered: false, rcpt: [] };
  let socket: Socket | TLSSocket = netConnect({ host: o.host, port: o.port, localAddress: o.localAddress });
  socket.setTimeout(o.timeoutMs ?? 10_000);
  let reader = new LineReader(transcript);
  let failure: ((e: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => (failure = reject));
  const attach = (s: Socket | TLSSocket) => {
    s.on('data', (d: Buffer) => reader.feed(d.toString('latin1')));
    s.on('error', (e) => failure?.(e));
    s.on('timeout', () => failure?.(new Error('timed out')));
  };
  attach(socket);
  const read = () => Promise.race([reader.next(), failed]);
  const send = async (line: string) => {
    transcript.push(`> ${line}`);
    socket.write(`${line}\r\n`);
    return read();
  };
  try {
    await read(); // greeting
    let ehlo = await send(`EHLO ${o.ehlo}`);
    result.starttlsOffered = /^STARTTLS$/im.test(ehlo.text);
    if (o.starttls === 'use' && result.starttlsOffered) {
      const go = await send('STARTTLS');
      if (go.code !== 220) throw new Error(`STARTTLS refused: ${go.code} ${go.text}`);
      socket.removeAllListeners('data');
      const k = o.clientCertificate;
      const secure = tlsConnect({
        socket, servername: undefined, rejectUnauthorized: false, minVersion: 'TLSv1.2',
        ...(k ? { key: k.privateKeyPem, cert: pemBundle([k.certificate, ...k.chain.filter((c) => !c.isSelfSigned)]) } : {}),
      });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', () => resolve());
        secure.once('error', reject);
      });
      reader = new LineReader(transcript);
      socket = secure;
      attach(secure);
      const peer = secure.getPeerCertificate();
      const cn = peer?.subject?.CN;
      const tls = { protocol: secure.getProtocol() ?? '', cipher: secure.getCipher().name, serverSubject: Array.isArray(cn) ? cn[0] : cn };
      result.tls = tls;
      transcript.push(`* TLS ${tls.protocol} ${tls.cipher}`);
      ehlo = await send(`EHLO ${o.ehlo}`);
    }
    result.mailFrom = await send(`MAIL FROM:<${o.from}>`);
    if (result.mailFrom.code < 400) for (const r of o.to) result.rcpt.push(await send(`RCPT TO:<${r}>`));
    if (o.data !== undefined && result.rcpt.some((r) => r.code < 400)) {
      const go = await send('DATA');
      if (go.code === 354) {
        const body = o.data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
        transcript.push('> (message)');
        socket.write(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}`);
        result.data = await send('.');
      }
    }
    await send('QUIT').catch(() => undefined);
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  } finally {
    socket.destroy();
  }
  return result;
}
