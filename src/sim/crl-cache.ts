// The edges' CRL cache, as Windows keeps one: a CRL fetched once is used again for as long as the simulation's
// distribution point would serve the very same bytes (no revocation since, same hourly publication). Fetching it over
// HTTP twice per session was 7% of a busy receiving edge's time.
import { type CrlService, crlRoute, fetchCrlThroughNetwork } from './crl-service.js';
import type { SimContext } from './sim-context.js';

export class CrlCache {
  /** By URL: the bytes last fetched, or the fetch on its way (sessions that start together share it). */
  #entries = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly ctx: Pick<SimContext, 'dns' | 'network'>,
    /** The simulation's distribution point at an address, if it is one of its own (a CRL from elsewhere is never kept). */
    private readonly pointAt: (address: string) => CrlService | undefined,
  ) {}

  async fetch(url: string, from: string): Promise<Uint8Array> {
    // The route is checked on every call: a distribution point dropped or refused since is unreachable at once.
    const route = crlRoute(this.ctx, url, from);
    const point = this.pointAt(route.address);
    const entry = this.#entries.get(url);
    if (point && entry) {
      const der = await entry.catch(() => undefined);
      if (der && point.servesStill(route.path, der)) return der;
    }
    const fetching = fetchCrlThroughNetwork(this.ctx, url, from);
    if (point) {
      this.#entries.set(url, fetching);
      fetching.catch(() => { if (this.#entries.get(url) === fetching) this.#entries.delete(url); });
    }
    return fetching;
  }
}
