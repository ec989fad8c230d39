// A lab's edge threads (`lab up --edge-threads N`): worker threads that own the edges' listening and dialled sockets and
// do their TLS, so handshakes and record crypto use the machine's other cores. Node 20 cannot hand a socket to a
// worker, so the worker listens and dials itself (edge-thread.mjs); the main thread keeps every SMTP state machine,
// DS decision, log line, queue and mailbox, and sees each connection as a ThreadedSocket (threaded-socket.ts).
import { Worker } from 'node:worker_threads';
import { DomsecError } from '../errors.js';
import { watchSimulatedLeaves } from './simulated-leaves.js';
import type { ContextRecipe } from './tls-context-recipes.js';
import { type Endpoints, type ThreadError, type ThreadLink, ThreadedSocket, type TlsFacts } from './threaded-socket.js';

/** A listening socket on an edge thread: what EdgeReceiver needs of a net.Server. */
export interface ThreadedListener {
  address(): { address: string; port: number };
  close(cb: () => void): void;
}

type FromThread =
  | ({ t: 'accepted'; lid: string; cid: string } & Endpoints)
  | ({ t: 'connected'; cid: string; socket?: ThreadedSocket } & Endpoints)
  | { t: 'dial-failed' | 'error'; cid: string; error: ThreadError }
  | { t: 'listen-failed' | 'accept-error'; lid: string; error: ThreadError }
  | { t: 'listening'; lid: string; port: number }
  | { t: 'unlistened'; lid: string }
  | { t: 'data'; cid: string; data: Uint8Array }
  | { t: 'end'; cid: string }
  | { t: 'close'; cid: string; hadError: boolean }
  | { t: 'secure'; cid: string; facts: TlsFacts };

const asError = (e: ThreadError) => Object.assign(new Error(e.message), e);

/** Opt-in profiling of the edge threads, whose CPU a profile of the main thread does not show. */
function cpuProfArgs(): string[] {
  const dir = process.env.DOMSEC_EDGE_THREAD_CPU_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

/** One worker: its connections by id and the replies awaited from it. */
class EdgeThread implements ThreadLink {
  // Plain JavaScript: none of the process's flags (`--import tsx`, an `-e` script's `--input-type`, which a worker started
  // from a file refuses and exits on) are passed on.
  // DOMSEC_EDGE_THREAD_CPU_PROF=DIR profiles each edge thread (node --cpu-prof, one .cpuprofile per thread in DIR).
  readonly worker = new Worker(new URL('./edge-thread.mjs', import.meta.url), { execArgv: cpuProfArgs() });
  readonly conns = new Map<string, ThreadedSocket>();
  readonly waiting = new Map<string, { resolve: (m: FromThread) => void; reject: (e: Error) => void }>();
  readonly accepting = new Map<string, { onConnection: (s: ThreadedSocket) => void; onError: (e: NodeJS.ErrnoException) => void }>();
  #recipes = new Set<string>();
  handshakes = 0;
  /** Turns of the event loop in which messages came (lines received in the same turn as an end are waited for). */
  #turn = 0;
  #turnCounted = false;

  constructor() {
    this.worker.on('message', (batch: FromThread[]) => {
      if (!this.#turnCounted) {
        this.#turnCounted = true;
        setImmediate(() => { this.#turn += 1; this.#turnCounted = false; });
      }
      for (const m of batch) this.#receive(m);
    });
    // A worker that dies takes its sockets with it: their sessions see a reset, as with a crashed MTA process.
    this.worker.on('error', (e) => this.#lost(e));
    this.worker.on('exit', () => { this.#unwatch(); this.#lost(new Error('edge thread exited')); });
    // Which peers' chains the worker may read once (peer-chain.mjs): the leaves the simulation's own contexts send.
    this.#unwatch = watchSimulatedLeaves((fingerprint, listed) => this.post({ t: 'simulated-leaf', fingerprint, listed }));
  }

  readonly #unwatch: () => void;

  /** Sent together at the end of this turn of the event loop (one wake-up of the worker for many sessions' bytes). */
  #batch: object[] = [];
  #transfers: ArrayBuffer[] = [];

  post(message: { t: string } & Record<string, unknown>, transfer?: ArrayBuffer[]): void {
    if (this.#batch.length === 0) setImmediate(() => this.#flush());
    this.#batch.push(message);
    if (transfer) this.#transfers.push(...transfer);
  }

  #flush(): void {
    const batch = this.#batch;
    const transfers = this.#transfers;
    this.#batch = [];
    this.#transfers = [];
    this.worker.postMessage(batch, transfers);
  }

  recipe(r: ContextRecipe): Partial<ContextRecipe> {
    if (this.#recipes.has(r.id)) return { id: r.id };
    this.#recipes.add(r.id);
    return r;
  }

  ask(key: string, message: { t: string } & Record<string, unknown>): Promise<FromThread> {
    return new Promise((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      this.post(message);
    });
  }

  #answer(key: string, m: FromThread): void {
    const w = this.waiting.get(key);
    this.waiting.delete(key);
    w?.resolve(m);
  }

  #receive(m: FromThread): void {
    switch (m.t) {
      case 'data': this.#current(m.cid)?.received(m.data, this.#turn); return;
      case 'end': this.#later(m.cid, () => this.#current(m.cid)?.remoteEnded()); return;
      case 'secure': {
        this.handshakes += 1;
        this.conns.get(m.cid)?.upgraded?.secured(m.facts);
        return;
      }
      case 'error': this.#later(m.cid, () => this.#current(m.cid)?.failed(m.error)); return;
      case 'close': this.#later(m.cid, () => this.#closed(m.cid)); return;
      case 'accepted': {
        const s = new ThreadedSocket(this, m.cid, m);
        this.conns.set(m.cid, s);
        this.accepting.get(m.lid)?.onConnection(s);
        return;
      }
      case 'accept-error': this.accepting.get(m.lid)?.onError(asError(m.error)); return;
      case 'connected': {
        // Made now, not when dial() resumes: the greeting may be the very next message.
        const socket = new ThreadedSocket(this, m.cid, m);
        this.conns.set(m.cid, socket);
        this.#answer(m.cid, { ...m, socket });
        return;
      }
      case 'dial-failed': this.#answer(m.cid, m); return;
      case 'listening': case 'listen-failed': case 'unlistened': this.#answer(m.lid, m); return;
    }
  }

  /**
   * How a connection ends reaches its reader only after it had a turn of the event loop per line it got (counted from
   * the turn each line came in). A native socket reports its last bytes and its end, reset or close in separate callbacks, turns apart, and
   * both SMTP libraries handle one reply or command per turn: delivered at once, a 550 followed by a close read as a
   * dropped connection, and a 250 to DATA was lost and the message sent again.
   */
  #later(cid: string, fn: () => void): void {
    const s = this.conns.get(cid);
    const reader = s?.upgraded ?? s;
    let turns = Math.min(Math.max(1, (reader?.busyUntil ?? 0) - this.#turn + 1), 1000);
    const step = () => (--turns > 0 ? setImmediate(step) : fn());
    setImmediate(step);
  }

  #closed(cid: string): void {
    const s = this.conns.get(cid);
    this.conns.delete(cid);
    s?.upgraded?.remoteClosed();
    s?.remoteClosed();
  }

  #current(cid: string): ThreadedSocket | undefined {
    const s = this.conns.get(cid);
    return s?.upgraded ?? s;
  }

  #lost(e: Error): void {
    if (this.#stopping) return;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
    for (const s of this.conns.values()) (s.upgraded ?? s).failed({ message: e.message, code: 'ECONNRESET' });
    this.conns.clear();
  }

  #stopping = false;

  /** Ends the worker; connections still known here (their close was on its way) just close, with no error to report. */
  terminate(): Promise<number> {
    this.#stopping = true;
    this.#unwatch();
    for (const cid of [...this.conns.keys()]) this.#closed(cid);
    this.waiting.clear();
    return this.worker.terminate();
  }
}

export class EdgeThreads {
  readonly #threads: EdgeThread[];
  /** Which thread an address listens on: its edge's outgoing sessions are dialled from the same one. */
  #byAddress = new Map<string, EdgeThread>();
  #next = 0;
  #ids = 0;

  constructor(readonly count: number) {
    if (!Number.isInteger(count) || count < 1 || count > 64) throw new DomsecError('ERR_USAGE', `--edge-threads takes a whole number from 1 to 64 (got ${count}).`);
    this.#threads = Array.from({ length: count }, () => new EdgeThread());
  }

  #pick(address: string): EdgeThread {
    let t = this.#byAddress.get(address);
    if (!t) {
      t = this.#threads[this.#next++ % this.#threads.length]!;
      this.#byAddress.set(address, t);
    }
    return t;
  }

  /** Listens on `host:port` (0: any free port) on an edge thread; rejects with the errno code (EADDRINUSE) as net does. */
  async listen(host: string, port: number, onConnection: (s: ThreadedSocket) => void, onError: (e: NodeJS.ErrnoException) => void): Promise<ThreadedListener> {
    const t = this.#pick(host);
    const lid = `l${++this.#ids}`;
    t.accepting.set(lid, { onConnection, onError });
    const m = await t.ask(lid, { t: 'listen', lid, host, port });
    if (m.t !== 'listening') {
      t.accepting.delete(lid);
      throw asError((m as { error: ThreadError }).error);
    }
    return {
      address: () => ({ address: host, port: m.port }),
      close: (cb) => {
        t.accepting.delete(lid);
        void t.ask(lid, { t: 'unlisten', lid }).then(() => cb(), () => cb());
      },
    };
  }

  /** Dials `host:port` from `localAddress` on the thread of the edge that owns that address. */
  async dial(localAddress: string | undefined, host: string, port: number, timeoutMs?: number): Promise<ThreadedSocket> {
    const t = this.#pick(localAddress ?? host);
    const cid = `d${++this.#ids}`;
    const m = await t.ask(cid, { t: 'dial', cid, host, port, localAddress, timeoutMs });
    if (m.t !== 'connected') throw asError((m as { error: ThreadError }).error);
    return m.socket!;
  }

  /** TLS handshakes the workers completed: what shows that the crypto ran off the main thread. */
  get handshakes(): number {
    return this.#threads.reduce((n, t) => n + t.handshakes, 0);
  }

  /** Ends every worker (lab down, Simulation.stop): nothing of theirs keeps the process alive. */
  async stop(): Promise<void> {
    await Promise.all(this.#threads.map((t) => t.terminate()));
  }
}
