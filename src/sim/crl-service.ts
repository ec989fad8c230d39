// Each organization's CRL distribution point: real HTTP on the org's loopback PKI address, reached through the network switches.
import http from 'node:http';
import type net from 'node:net';
import type { CertificateAuthority } from '../ca/index.js';
import type { SimContext } from './sim-context.js';

export class CrlService {
  #server: http.Server;
  #cas = new Map<string, CertificateAuthority>();
  port = 0;
  /** CRL requests answered so far (what the distribution point's access log would count). */
  requestsServed = 0;

  constructor(private readonly ctx: SimContext, readonly host: string, readonly address: string) {
    this.#server = http.createServer((req, res) => {
      const ca = this.#cas.get(req.url ?? '');
      if (!ca) {
        res.writeHead(404).end();
        return;
      }
      this.requestsServed += 1;
      this.#publish(req.url ?? '', ca).then(
        (der) => res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(der)),
        () => res.writeHead(500).end(),
      );
    });
  }

  #published = new Map<string, { der: Uint8Array; revoked: number; at: number }>();

  /** A CA publishes a new CRL when its revocations change, and at least hourly; signing one per request would be waste. */
  async #publish(path: string, ca: CertificateAuthority): Promise<Uint8Array> {
    const now = this.ctx.clock.nowMs();
    const revoked = ca.revokedSerials().length;
    const last = this.#published.get(path);
    if (last && last.revoked === revoked && now >= last.at && now - last.at < 3_600_000) return last.der;
    const der = await ca.crl(this.ctx.clock.now());
    this.#published.set(path, { der, revoked, at: now });
    return der;
  }

  /**
   * Whether a request for `path` now would be answered with exactly `der`: the CRL last published is still current
   * (no revocation since, not older than the hour) and it is those bytes. A cached copy is good for as long as this holds.
   */
  servesStill(path: string, der: Uint8Array): boolean {
    const ca = this.#cas.get(path);
    const last = this.#published.get(path);
    if (!ca || !last || !this.#server.listening) return false;
    const now = this.ctx.clock.nowMs();
    return last.revoked === ca.revokedSerials().length && now >= last.at && now - last.at < 3_600_000 && (last.der === der || Buffer.from(last.der).equals(der));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.#server.once('error', reject).listen(0, this.address, () => {
      this.#server.removeListener('error', reject);
      // After listen, 'error' is a failed accept (EMFILE): the distribution point goes on serving.
      this.#server.on('error', () => undefined);
      resolve();
    }));
    this.port = (this.#server.address() as net.AddressInfo).port;
    this.ctx.network.publish(this.address, 80, this.port);
    this.ctx.dns.setA(this.host, this.address);
  }

  /** The distribution point URL certificates carry; the network maps its port 80 to the real one. */
  urlFor(name: string): string {
    return `http://${this.host}/${name}.crl`;
  }

  serve(name: string, ca: CertificateAuthority): void {
    this.#cas.set(`/${name}.crl`, ca);
  }

  async stop(): Promise<void> {
    this.ctx.network.unpublish(this.address, 80);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * A real-time guard only: a CRL service runs in this process, so only load delays its answer. At 2 s, a loaded machine
 * turned a reachable CRL into RevocationOffline (another log line, and a refusal in strict mode): an outcome that
 * depended on the machine's speed. An unreachable distribution point is a network switch, answered at once.
 */
export const CRL_FETCH_GUARD_MS = 5 * 60_000;

/** URLs parsed so far: both edges of every session ask for the same few distribution points, each time. */
const PARSED = new Map<string, { hostname: string; port: string; pathname: string }>();

function parsedUrl(url: string): { hostname: string; port: string; pathname: string } {
  let u = PARSED.get(url);
  if (!u) {
    const { hostname, port, pathname } = new URL(url); // throws for a malformed URL, as before, and is not kept
    if (PARSED.size >= 256) PARSED.delete(PARSED.keys().next().value!);
    PARSED.set(url, (u = { hostname, port, pathname }));
  }
  return u;
}

/**
 * Where an edge's request for `url` goes: DNS, then the network's fault switches (a dropped, refused or reset
 * distribution point is unreachable, cache or not), then the real port. Throws what the edge would see.
 */
export function crlRoute(ctx: Pick<SimContext, 'dns' | 'network'>, url: string, from: string): { address: string; port: number; path: string } {
  const u = parsedUrl(url);
  const address = ctx.dns.a(u.hostname);
  if (!address) throw new Error(`DNS has no address for ${u.hostname}`);
  const dialPort = Number(u.port || 80);
  if (ctx.network.faultsFor(from, address, dialPort).some((f) => f.kind === 'drop' || f.kind === 'reject' || f.kind === 'reset')) {
    throw new Error(`the CRL distribution point ${url} is unreachable`);
  }
  const port = ctx.network.realPort(address, dialPort);
  if (port === undefined) throw new Error(`nothing listens at ${url}`);
  return { address, port, path: u.pathname };
}

/** Fetches a CRL the way an edge would: DNS, the network's fault switches, then real HTTP from the edge's address. */
export async function fetchCrlThroughNetwork(ctx: Pick<SimContext, 'dns' | 'network'>, url: string, from: string): Promise<Uint8Array> {
  const { address, port, path } = crlRoute(ctx, url, from);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port, path, localAddress: from, timeout: CRL_FETCH_GUARD_MS, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(new Uint8Array(Buffer.concat(chunks))) : reject(new Error(`HTTP ${res.statusCode} for ${url}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.on('error', reject);
  });
}
