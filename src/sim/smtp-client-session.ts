// The send side's SMTP session on nodemailer's SMTPConnection, as awaitable stages with a transcript (DESIGN: send on nodemailer).
import type net from 'node:net';
import type tls from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ThreadedSocket } from './threaded-socket.js';
import { clientStartTlsOnThread } from './threaded-starttls.js';

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
  /** The real-time guard (PEER_GUARD_MS): short for an outside MTA, generous for a simulated peer. */
  guardMs?: number;
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
  /** Each refused recipient with its own reply (a 452 for one, a 550 for another), or the transaction's reply for all. */
  refused: { rcpt: string; reply: string; code: number }[];
  /** The session cannot carry another transaction: the connection is gone, timed out, or the server said 421. */
  sessionLost: boolean;
}

type SendError = Error & { code?: string; response?: string; responseCode?: number; command?: string; rejected?: string[]; rejectedErrors?: RecipientError[] };
type RecipientError = Error & { recipient?: string; response?: string; responseCode?: number };

function refusedOf(errors: RecipientError[] | undefined): SendResult['refused'] {
  return (errors ?? []).filter((e) => e.recipient).map((e) => ({ rcpt: e.recipient!, reply: e.response ?? e.message, code: e.responseCode ?? 0 }));
}

/**
 * Protection against a peer that hangs: real-time limits, not protocol timers (those are virtual). An outside MTA gets
 * 8 s (a real server that does not greet in 8 s is broken). A simulated peer runs in this process, so only load delays
 * it: sending a 50-organization mesh at once left 2,050 of 2,450 messages deferred by an 8 s "Greeting never received";
 * its guard is far above any session's duration, so no outcome depends on the machine's speed.
 */
export const PEER_GUARD_MS = { outside: 8000, simulated: 5 * 60_000 } as const;

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
    const guard = o.guardMs ?? PEER_GUARD_MS.outside;
    this.conn = new SMTPConnection({
      connection: o.socket, name: o.ehloName, ignoreTLS: o.starttls === 'none', opportunisticTLS: false,
      tls: o.tls, logger, transactionLog: true, greetingTimeout: guard, socketTimeout: guard, connectionTimeout: guard,
      socketCloseTimeout: 0,
    });
    // nodemailer wraps the logger in one that copies every entry into a new object first (twice per SMTP line); every
    // call it makes passes the entry object first, as ours expects, so it calls ours directly.
    (this.conn as unknown as { logger: typeof logger }).logger = logger;
    if ((o.socket as unknown) instanceof ThreadedSocket) clientStartTlsOnThread(this.conn);
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

  /**
   * `p`, unless the connection ends first or nothing comes within the guard: nodemailer drops the callbacks of
   * commands still waiting when the server hangs up (an RSET to a peer that just dropped would wait for ever).
   */
  #guarded<T>(p: Promise<T>, lost: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<T>((resolve) => { timer = setTimeout(() => resolve(lost), this.o.guardMs ?? PEER_GUARD_MS.outside); timer.unref(); });
    return Promise.race([p, this.#closed.then(() => lost), guard]).finally(() => clearTimeout(timer));
  }

  send(from: string, to: string[], raw: string): Promise<SendResult> {
    const lost: SendResult = { ok: false, reply: 'Connection closed', code: 0, accepted: [], rejected: to, refused: to.map((rcpt) => ({ rcpt, reply: 'Connection closed', code: 0 })), sessionLost: true };
    return this.#guarded(new Promise((resolve) => {
      // SIZE= on MAIL FROM, as Exchange sends it (seed 004: `MAIL FROM:<user@example.com> SIZE=614`).
      this.conn.send({ from, to, size: Buffer.byteLength(raw) } as { from: string; to: string[] }, raw, (err, info) => {
        if (err) {
          const e = err as SendError;
          const code = e.responseCode ?? 0;
          const reply = e.response ?? e.message;
          // No reply code (socket closed, timed out) or 421: nothing more can be said in this session.
          const sessionLost = code === 0 || code === 421 || e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET';
          // Every recipient refused at RCPT: each keeps its own reply; otherwise (MAIL, DATA, the dot) the reply is everyone's.
          const perRecipient = e.command === 'RCPT TO' ? refusedOf(e.rejectedErrors) : [];
          const refused = perRecipient.length > 0 ? perRecipient : to.map((rcpt) => ({ rcpt, reply, code }));
          resolve({ ok: false, reply, code, accepted: [], rejected: e.rejected ?? to, stage: e.command, refused, sessionLost });
          return;
        }
        const i = info as { accepted: string[]; rejected: string[]; response: string; rejectedErrors?: RecipientError[] };
        resolve({ ok: true, reply: i.response, code: Number(i.response.slice(0, 3)), accepted: i.accepted, rejected: i.rejected, refused: refusedOf(i.rejectedErrors), sessionLost: false });
      });
    }), lost);
  }

  /** RSET after a refused transaction, so the next message of the session starts clean; false when the session is unusable. */
  reset(): Promise<boolean> {
    return this.#guarded(new Promise((resolve) => {
      try {
        this.conn.reset((err) => resolve(!err));
      } catch {
        resolve(false);
      }
    }), false);
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
