// A connection whose real socket, and after STARTTLS its TLS, lives on an edge thread (edge-thread.mjs): a Duplex that
// smtp-server and nodemailer drive as they drive a net.Socket, its plaintext bytes crossing the worker's MessagePort.
import { Duplex } from 'node:stream';
import type tls from 'node:tls';
import type { ContextRecipe } from './tls-context-recipes.js';

/** The main thread's end of one edge thread (edge-threads.ts). */
export interface ThreadLink {
  post(message: { t: string; cid?: string } & Record<string, unknown>, transfer?: ArrayBuffer[]): void;
  /** The recipe as the worker needs it: whole the first time, its id after that. */
  recipe(r: ContextRecipe): Partial<ContextRecipe>;
}

export interface Endpoints {
  remoteAddress?: string;
  remotePort?: number;
  localAddress?: string;
  localPort?: number;
}

export interface ThreadError {
  message: string;
  code?: string;
  reason?: string;
  library?: string;
}

export interface StartTlsOptions {
  role: 'server' | 'client';
  recipe: ContextRecipe;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** What the worker read off the TLS socket once its handshake was done. */
export interface TlsFacts {
  protocol: string | null;
  cipher: tls.CipherNameAndProtocol & { standardName?: string };
  ephemeral: tls.EphemeralKeyInfo | object | null;
  servername?: string | false;
  peerChain: Uint8Array[];
  authorized?: boolean;
  authorizationError?: string;
  ownBits?: number;
  peerBits?: number;
  session?: Uint8Array;
}

export class ThreadedSocket extends Duplex {
  remoteAddress?: string;
  remotePort?: number;
  localAddress?: string;
  localPort?: number;
  /** The TLS side once STARTTLS began: what the worker reads from then on is its. */
  upgraded?: ThreadedTlsSocket;
  #pending: Buffer[] = [];
  #flushQueued = false;
  #paused = false;
  #gone = false;
  #timeoutMs = 0;
  #timer?: NodeJS.Timeout;

  constructor(readonly link: ThreadLink, readonly cid: string, at: Endpoints) {
    // Half-open as the worker's real socket decides: it ends its side itself when the peer ends (allowHalfOpen false there).
    super({ allowHalfOpen: true });
    Object.assign(this, at);
  }

  get readyState(): string {
    if (this.destroyed) return 'closed';
    if (!this.writable) return this.readableEnded ? 'closed' : 'readOnly';
    return this.readableEnded ? 'writeOnly' : 'open';
  }

  // ---- from the worker ----

  /** The turn of the event loop until which the reader is busy with the lines it got, one per turn (edge-threads.ts). */
  busyUntil = 0;

  received(data: Uint8Array, turn = 0): void {
    this.#touch();
    let lines = 0;
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) lines += 1;
    this.busyUntil = Math.max(this.busyUntil, turn) + lines;
    if (!this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) && !this.#paused) {
      this.#paused = true;
      this.link.post({ t: 'pause', cid: this.cid });
    }
  }

  remoteEnded(): void {
    this.push(null);
  }

  failed(e: ThreadError): void {
    this.#gone = true;
    this.destroy(Object.assign(new Error(e.message), e));
  }

  /**
   * The worker's socket closed: this side closes as a net.Socket would. Bytes a flowing reader has not had yet are
   * handed out first (within this turn); nobody waits on a paused reader or a plain socket that TLS took over.
   */
  remoteClosed(): void {
    this.#gone = true;
    if (this.destroyed) return;
    if (!this.readableEnded) this.push(null);
    if (this.readableLength === 0 || this.upgraded || this.readableFlowing !== true) {
      this.destroy();
      return;
    }
    this.once('end', () => this.destroy());
    setImmediate(() => this.destroy());
  }

  // ---- to the worker ----

  override _read(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.link.post({ t: 'resume', cid: this.cid });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.#pending.push(chunk);
    this.#touch();
    // Writes of one turn cross together (a multi-line EHLO reply, a message's chunks): fewer messages between threads.
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => {
        this.#flushQueued = false;
        const data = this.#take();
        if (data) this.link.post({ t: 'write', cid: this.cid, data }, [data.buffer]);
      });
    }
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    const data = this.#take();
    this.link.post({ t: 'end', cid: this.cid, data }, data ? [data.buffer] : []);
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    clearTimeout(this.#timer);
    if (!this.#gone) this.link.post({ t: 'destroy', cid: this.cid });
    this.#gone = true;
    cb(err);
  }

  /**
   * The bytes written so far, in an ArrayBuffer of their own: a Buffer is often a view into Node's 8 KB pool, and posting
   * a view copies its whole ArrayBuffer. Handed over (transferred) to the worker, not copied again.
   */
  #take(): Uint8Array<ArrayBuffer> | undefined {
    if (this.#pending.length === 0) return undefined;
    const size = this.#pending.reduce((n, b) => n + b.length, 0);
    const data = new Uint8Array(size);
    let at = 0;
    for (const b of this.#pending) {
      data.set(b, at);
      at += b.length;
    }
    this.#pending = [];
    return data;
  }

  /** The worker starts TLS on this connection; the bytes written so far (the 220) go out first, in the same step. */
  startTls(o: StartTlsOptions): ThreadedTlsSocket {
    const secure = new ThreadedTlsSocket(this.link, this.cid, this);
    this.upgraded = secure;
    const head = this.#take();
    this.link.post({ t: 'starttls', cid: this.cid, head, role: o.role, recipe: this.link.recipe(o.recipe), requestCert: !!o.requestCert, rejectUnauthorized: !!o.rejectUnauthorized, servername: o.servername }, head ? [head.buffer] : []);
    return secure;
  }

  // ---- net.Socket's surface that smtp-server, nodemailer and the simulation use ----

  setTimeout(ms: number, cb?: () => void): this {
    this.#timeoutMs = ms;
    if (cb) {
      if (ms > 0) this.once('timeout', cb);
      else this.removeListener('timeout', cb);
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#touch();
    return this;
  }

  #touch(): void {
    if (this.#timeoutMs <= 0 || this.destroyed) return;
    if (this.#timer) this.#timer.refresh();
    else this.#timer = setTimeout(() => { this.#timer = undefined; this.emit('timeout'); }, this.#timeoutMs).unref();
  }

  resetAndDestroy(): this {
    if (!this.#gone) this.link.post({ t: 'destroy', cid: this.cid, reset: true });
    this.#gone = true;
    this.destroy();
    return this;
  }

  setKeepAlive(): this { return this; }
  setNoDelay(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
  address(): { address?: string; port?: number } { return { address: this.localAddress, port: this.localPort }; }
}

/** The TLS side: emits 'secure' (server) or 'secureConnect' (client) and answers what a TLSSocket answers about the session. */
export class ThreadedTlsSocket extends ThreadedSocket {
  readonly encrypted = true;
  facts?: TlsFacts;
  authorized = false;
  authorizationError?: string;
  servername?: string | false;

  constructor(link: ThreadLink, cid: string, plain: ThreadedSocket) {
    super(link, cid, { remoteAddress: plain.remoteAddress, remotePort: plain.remotePort, localAddress: plain.localAddress, localPort: plain.localPort });
  }

  secured(facts: TlsFacts): void {
    this.facts = facts;
    this.authorized = !!facts.authorized;
    this.authorizationError = facts.authorizationError;
    this.servername = facts.servername;
    this.emit('secure');
    this.emit('secureConnect');
  }

  getProtocol(): string | null { return this.facts?.protocol ?? null; }
  getCipher(): TlsFacts['cipher'] { return this.facts?.cipher as TlsFacts['cipher']; }
  getEphemeralKeyInfo(): TlsFacts['ephemeral'] { return this.facts?.ephemeral ?? null; }
  getCertificate(): { bits?: number } | null { return this.facts?.ownBits === undefined ? null : { bits: this.facts.ownBits }; }
  getPeerCertificate(): { bits?: number } { return this.facts?.peerBits === undefined ? {} : { bits: this.facts.peerBits }; }
  getSession(): Buffer | undefined { return this.facts?.session ? Buffer.from(this.facts.session) : undefined; }
  /** The peer's chain, leaf first, read by peer-chain.mjs on the edge thread. */
  peerChainDer(): Uint8Array[] { return this.facts?.peerChain ?? []; }
}
