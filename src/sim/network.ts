// The simulated network: loopback addresses per edge, the port each address really listens on, and the fault switches.
import net from 'node:net';
import { connectThroughStripper } from './starttls-stripper.js';
import { describeFault, faultApplies, type NetworkFault } from './network-faults.js';
import type { VirtualClock } from './clock.js';
import type { EdgeThreads } from './edge-threads.js';

export type ConnectResult =
  | { ok: true; socket: net.Socket; port: number; faults: string[]; /** the client endpoint the receiver sees */ wire: string; /** an outside MTA, not a simulated edge */ external: boolean }
  | { ok: false; winsock: 10060 | 10061 | 10054; detail: string; port: number; faults: string[] };

/**
 * At most this many sessions the simulation dials are open at once; the rest wait their turn (in real time, which
 * decides no outcome). Each costs two descriptors (client and server side): a 100-organization mesh sent at once
 * would otherwise open 9,900 sessions and run into EMFILE.
 */
export const MAX_OPEN_CONNECTIONS = 1000;

/** How many sockets SimNetwork.track() keeps between two sweeps for gone ones (a sweep reads every socket kept). */
const SWEEP_EVERY = 256;

export class SimNetwork {
  #faults: NetworkFault[] = [];
  #ports = new Map<string, number>(); // `${address}:${dialPort}` -> real listening port
  /** Routes to an outside MTA (external-organization.ts): named by their real port, with a real connect timeout. */
  #external = new Map<string, number>(); // `${address}:${dialPort}` -> real connect timeout (ms)
  #sockets = new Set<net.Socket>();
  /** Sockets kept since the last sweep of #sockets (SWEEP_EVERY). */
  #sinceSweep = 0;
  #openConnections = 0;
  #waiting: (() => void)[] = [];
  /** Client endpoints (`address:port`) of sessions the simulation itself dialled: its receivers time them virtually. */
  #wires = new Set<string>();

  /** The lab's edge threads (`--edge-threads`), when it has them: edges listen and dial on them (edge-threads.ts). */
  threads?: EdgeThreads;

  constructor(private readonly clock: VirtualClock) {}

  /** Switches a fault on; returns a function that switches it off. */
  add(fault: NetworkFault): () => void {
    this.#faults = [...this.#faults, fault];
    return () => this.remove(fault);
  }

  remove(fault: NetworkFault): void {
    this.#faults = this.#faults.filter((f) => f !== fault);
  }

  clear(): void {
    this.#faults = [];
  }

  get faults(): readonly NetworkFault[] {
    return this.#faults;
  }

  /** Records that `address:dialPort` (what DNS and connectors say, e.g. :25) really listens on `realPort`. */
  publish(address: string, dialPort: number, realPort: number): void {
    this.#ports.set(`${address}:${dialPort}`, realPort);
  }

  unpublish(address: string, dialPort: number): void {
    this.#ports.delete(`${address}:${dialPort}`);
  }

  /** An outside MTA at `address:realPort` that DNS and connectors reach as `address:dialPort`. */
  publishExternal(address: string, dialPort: number, realPort: number, connectTimeoutMs: number): void {
    this.publish(address, dialPort, realPort);
    this.#external.set(`${address}:${dialPort}`, connectTimeoutMs);
  }

  /** How logs and LastError name the endpoint: `address:25` for a simulated edge, the real HOST:PORT for an outside MTA. */
  endpointName(address: string, dialPort: number): string {
    return this.#external.has(`${address}:${dialPort}`) ? `${address}:${this.realPort(address, dialPort)}` : `${address}:${dialPort}`;
  }

  realPort(address: string, dialPort: number): number | undefined {
    return this.#ports.get(`${address}:${dialPort}`);
  }

  /**
   * Keeps a socket so stop() can close it even if its owner forgot. Its 'close' listener is not enough to forget it:
   * smtp-server strips every listener of a socket that starts TLS. So the receiving edge forgets its socket when the
   * session ends (forget()), and sockets that are gone are swept out every SWEEP_EVERY sockets kept. A socket kept
   * reaches its whole session (SMTP state machine, log, evidence) through its listeners: swept only when the set had
   * doubled, a 100-organization mesh (~2,000 sockets open at once) kept up to ~2,000 finished sessions alive, and every
   * receive session to the end of a run.
   */
  track(s: net.Socket): void {
    this.#sockets.add(s);
    s.once('close', () => this.#sockets.delete(s));
    if (++this.#sinceSweep < SWEEP_EVERY) return;
    this.#sinceSweep = 0;
    for (const x of this.#sockets) if (x.destroyed) this.#sockets.delete(x);
  }

  /** A socket whose session is over (its owner knows, when smtp-server took its 'close' listener away): not kept any longer. */
  forget(s: net.Socket): void {
    this.#sockets.delete(s);
  }

  /** Sockets kept for stop() (for tests). */
  get trackedSockets(): number {
    return this.#sockets.size;
  }

  /** Waits for one of the MAX_OPEN_CONNECTIONS; the returned function gives it back (once). */
  async #slot(): Promise<() => void> {
    if (this.#openConnections >= MAX_OPEN_CONNECTIONS) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#openConnections++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next in line, so the count stays as it is.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#openConnections--;
    };
  }

  /** True for a session a simulated edge (or probe) opened; false for an outside client of `lab up`. */
  isSimulatedClient(remote: string): boolean {
    return this.#wires.has(remote);
  }

  /** True when `ip` is a simulated edge's own address (where its sessions come from); outside tools use another one. */
  isEdgeAddress(ip: string): boolean {
    return this.#ports.has(`${ip}:25`);
  }

  faultsFor(from: string, to: string, dialPort: number): NetworkFault[] {
    return this.#faults.filter((f) => faultApplies(f, from, to, dialPort));
  }

  async connect(from: string, to: string, dialPort: number, connectTimeoutMs: number): Promise<ConnectResult> {
    const faults = this.faultsFor(from, to, dialPort);
    const names = faults.map(describeFault);
    const delay = faults.filter((f) => f.kind === 'delay').reduce((s, f) => s + (f.ms ?? 0), 0);
    if (delay > 0) this.clock.elapse(delay);
    const real = this.realPort(to, dialPort);
    if (faults.some((f) => f.kind === 'drop')) {
      // A dropped SYN never answers: the cost is the connect timeout, paid on the virtual clock.
      this.clock.elapse(connectTimeoutMs);
      return { ok: false, winsock: 10060, detail: `connect to ${to}:${dialPort} timed out after ${connectTimeoutMs / 1000} s`, port: real ?? dialPort, faults: names };
    }
    const rejecting = faults.some((f) => f.kind === 'reject');
    const external = this.#external.get(`${to}:${dialPort}`);
    const shown = external !== undefined ? this.endpointName(to, dialPort) : `${to}:${dialPort}`;
    // A rejecting firewall (or nobody listening) answers with a real RST from the kernel: dial a port that is closed.
    const port = rejecting || real === undefined ? await closedPort(to) : real;
    const release = await this.#slot();
    try {
      const { socket, wire } = faults.some((f) => f.kind === 'strip-starttls')
        ? await connectThroughStripper(from, to, port, (s) => this.track(s))
        : await this.#dial(from, to, port, external).then((s) => ({ socket: s, wire: `${s.localAddress}:${s.localPort}` }));
      socket.once('close', release);
      if (faults.some((f) => f.kind === 'reset')) {
        socket.resetAndDestroy();
        return { ok: false, winsock: 10054, detail: `connection to ${to}:${dialPort} was reset by the peer`, port, faults: names };
      }
      this.#wires.add(wire);
      socket.once('close', () => this.#wires.delete(wire));
      return { ok: true, socket, port, faults: names, wire, external: external !== undefined };
    } catch (e) {
      release();
      const code = (e as NodeJS.ErrnoException).code;
      const winsock = code === 'ECONNREFUSED' ? 10061 : code === 'ETIMEDOUT' ? 10060 : 10054;
      return { ok: false, winsock, detail: `connect to ${shown} failed: ${code ?? (e as Error).message}`, port, faults: names };
    }
  }

  /** `timeoutMs` (outside MTAs only): a real bound on an unanswered connect; off loopback the edge address cannot be the source. */
  #dial(from: string, to: string, port: number, timeoutMs?: number): Promise<net.Socket> {
    const localAddress = timeoutMs === undefined || to.startsWith('127.') ? from : undefined;
    // A ThreadedSocket stands in for a net.Socket: smtp-server, nodemailer and tls.connect only use the part it has.
    if (this.threads) return this.threads.dial(localAddress, to, port, timeoutMs).then((s) => { this.track(s as unknown as net.Socket); return s as unknown as net.Socket; });
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: to, port, ...(timeoutMs === undefined || to.startsWith('127.') ? { localAddress: from } : {}) });
      this.track(s);
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => s.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), timeoutMs);
      s.once('connect', () => { clearTimeout(timer); s.removeListener('error', reject); resolve(s); });
      s.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  destroyAll(): void {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
  }
}

/** A port on `address` that is certainly closed right now: bind one, release it, dial it. */
async function closedPort(address: string): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(0, address, resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
