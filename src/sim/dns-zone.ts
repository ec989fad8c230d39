// The simulated DNS zone the send side consults: MX and A records, with NXDOMAIN and "MX points at nothing" as plain data.

export type DnsAnswer =
  | { ok: true; host: string; address: string; viaMx: boolean }
  | { ok: false; status: 'NXDOMAIN' | 'NoMx' | 'NoAddress'; detail: string };

export class DnsZone {
  #mx = new Map<string, string[]>();
  #a = new Map<string, string>();
  #nxdomain = new Set<string>();

  setMx(domain: string, hosts: string[] | null): void {
    const d = domain.toLowerCase();
    if (hosts === null) this.#mx.delete(d);
    else this.#mx.set(d, hosts.map((h) => h.toLowerCase()));
  }

  setA(host: string, address: string | null): void {
    const h = host.toLowerCase();
    if (address === null) this.#a.delete(h);
    else this.#a.set(h, address);
  }

  /** The name does not exist at all (NXDOMAIN), whatever records were set. */
  setNxdomain(domain: string, on: boolean): void {
    if (on) this.#nxdomain.add(domain.toLowerCase());
    else this.#nxdomain.delete(domain.toLowerCase());
  }

  a(host: string): string | undefined {
    return this.#nxdomain.has(host.toLowerCase()) ? undefined : this.#a.get(host.toLowerCase());
  }

  mx(domain: string): string[] {
    return this.#mx.get(domain.toLowerCase()) ?? [];
  }

  /** MX first, then the domain's own A record (RFC 5321 §5.1 implicit MX). */
  resolveMailHost(domain: string): DnsAnswer {
    const d = domain.toLowerCase();
    if (this.#nxdomain.has(d)) return { ok: false, status: 'NXDOMAIN', detail: `DNS query for ${d} returned NXDOMAIN (non-existent domain).` };
    const mx = this.#mx.get(d);
    if (mx && mx.length > 0) {
      for (const host of mx) {
        const address = this.a(host);
        if (address) return { ok: true, host, address, viaMx: true };
      }
      return { ok: false, status: 'NoAddress', detail: `The MX record of ${d} points at ${mx.join(', ')}, which has no A record.` };
    }
    const own = this.a(d);
    if (own) return { ok: true, host: d, address: own, viaMx: false };
    return { ok: false, status: 'NoMx', detail: `DNS has no MX or A record for ${d}.` };
  }
}
