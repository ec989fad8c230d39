// The send side's SMTP session on nodemailer's SMTPConnection, as awaitable stages with a transcript (DESIGN: send on nodemailer).
import type net from 'node:net';
import type tls from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface ClientSessionOptions {
  socket: net.Socket;
  ehloName: string;
  /** 'none' never sends STARTTLS (IgnoreSTARTTLS); otherwise STARTTLS whenever it is offered. */
  starttls: 'when-offered' | 'none';
  tls: tls.ConnectionOptions;
  onLine: (dir: '>' | '<', text: string) => void;
  /** Called when the server accepted STARTTLS, before the handshake: where "Sending certificate" is logged. */
  onStartTls: () => void;
  /** Called once the handshake is done, before the second EHLO: where the peer's certificate is logged (seed 004). */
  onSecure?: (socket: tls.TLSSocket) => void;
}

export type OpenResult =
  | { ok: true; secure: boolean; starttls: 'offered' | 'not-offered'; tlsSocket?: tls.TLSSocket }
  | { ok: false; stage: 'greeting' | 'ehlo' | 'starttls-refused' | 'handshake' | 'connection'; reply?: string; error: string };

export interface SendResult {
  ok: boolean;
  reply: string;
  code: number;
  accepted: string[];
  rejected: string[];
  stage?: string;
}

/** Protection against a peer that hangs: real-time limits, not protocol timers (those are virtual). */
const GUARD_MS = 8000;

export class SmtpClientSession {
  readonly conn: SMTPConnection;
  #sawStartTls = false;
  #startTlsAccepted = false;
  #ehloOffersStartTls = false;
  #closed: Promise<void>;

  constructor(private readonly o: ClientSessionOptions) {
    const logger = {
      debug: (entry: { tnx?: string }, message: string) => this.#onLog(entry, message),
      info: (_entry: unknown, message: string) => {
        if (message === 'Connection upgraded with STARTTLS') o.onSecure?.((this.conn as unknown as { _socket: tls.TLSSocket })._socket);
      }, warn: () => undefined, error: () => undefined, trace: () => undefined, fatal: () => undefined,
    };
    this.conn = new SMTPConnection({
      connection: o.socket, name: o.ehloName, ignoreTLS: o.starttls === 'none', opportunisticTLS: false,
      tls: o.tls, logger, transactionLog: true, greetingTimeout: GUARD_MS, socketTimeout: GUARD_MS, connectionTimeout: GUARD_MS,
      socketCloseTimeout: 0,
    });
    this.#closed = new Promise((resolve) => this.conn.once('end', () => resolve()));
  }

  #onLog(entry: { tnx?: string }, message: string): void {
    if (entry.tnx === 'client') {
      if (/^STARTTLS$/i.test(message)) this.#sawStartTls = true;
      this.o.onLine('>', message);
    } else if (entry.tnx === 'server') {
      if (/^250[ -]/.test(message) && /[ -]STARTTLS\b/im.test(message)) this.#ehloOffersStartTls = true;
      this.o.onLine('<', message);
      // Seed 004's send log: `<220 2.0.0 …` to STARTTLS, then `*Sending certificate` before the handshake.
      if (this.#sawStartTls && !this.#startTlsAccepted && /^220/.test(message)) {
        this.#startTlsAccepted = true;
        this.o.onStartTls();
      }
    }
  }

  /** Greeting, EHLO, STARTTLS when offered (and wanted), EHLO again. */
  open(): Promise<OpenResult> {
    return new Promise((resolve) => {
      const onError = (err: Error & { code?: string; response?: string; command?: string }) => {
        this.conn.removeListener('error', onError);
        let stage: 'greeting' | 'ehlo' | 'starttls-refused' | 'handshake' | 'connection' = 'connection';
        if (this.#sawStartTls && !this.#startTlsAccepted) stage = 'starttls-refused';
        else if (this.#sawStartTls) stage = 'handshake';
        else if (err.command === 'EHLO' || err.command === 'HELO') stage = 'ehlo';
        else if (err.command === 'CONN' && err.response) stage = 'greeting';
        resolve({ ok: false, stage, reply: err.response, error: describeTlsError(err) });
      };
      this.conn.on('error', onError);
      this.conn.connect(() => {
        this.conn.removeListener('error', onError);
        this.conn.on('error', () => undefined); // later errors surface through send()'s callback
        const tlsSocket = this.conn.secure ? ((this.conn as unknown as { _socket: tls.TLSSocket })._socket) : undefined;
        resolve({ ok: true, secure: this.conn.secure, starttls: this.#ehloOffersStartTls ? 'offered' : 'not-offered', tlsSocket });
      });
    });
  }

  send(from: string, to: string[], raw: string): Promise<SendResult> {
    return new Promise((resolve) => {
      // SIZE= on MAIL FROM, as Exchange sends it (seed 004: `MAIL FROM:<user@example.com> SIZE=614`).
      this.conn.send({ from, to, size: Buffer.byteLength(raw) } as { from: string; to: string[] }, raw, (err, info) => {
        if (err) {
          const e = err as Error & { response?: string; responseCode?: number; command?: string; rejected?: string[] };
          resolve({ ok: false, reply: e.response ?? e.message, code: e.responseCode ?? 0, accepted: [], rejected: e.rejected ?? to, stage: e.command });
          return;
        }
        const i = info as { accepted: string[]; rejected: string[]; response: string };
        resolve({ ok: true, reply: i.response, code: Number(i.response.slice(0, 3)), accepted: i.accepted, rejected: i.rejected });
      });
    });
  }

  async quit(): Promise<void> {
    try {
      this.conn.quit();
    } catch {
      this.conn.close();
    }
    const guard = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([this.#closed, guard]);
    this.conn.close();
  }

  close(): void {
    this.conn.close();
  }
}

/** A handshake error as the protocol log's `TLS negotiation failed with error <reason>` shows it. */
function describeTlsError(err: Error & { code?: string }): string {
  const m = /(?:alert|error)[^:]*:\s*([^\n]+)/i.exec(err.message);
  return (m ? m[1] : err.message).replace(/^Error initiating TLS - /, '').trim() || (err.code ?? 'UnknownError');
}
