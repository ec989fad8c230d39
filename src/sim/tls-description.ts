// Describes a real TLS session in Exchange's SChannel words for the protocol log's TLS line (DS-LOG-03).
import type { TLSSocket } from 'node:tls';

export interface TlsFacts {
  version: string; // 'TLSv1.2'
  cipher: string; // OpenSSL name, e.g. 'ECDHE-ECDSA-AES128-GCM-SHA256' or 'TLS_AES_256_GCM_SHA384'
  ephemeralBits?: number;
}

function protocolName(version: string, role: 'SERVER' | 'CLIENT'): string {
  const v = /TLSv1\.(\d)/.exec(version)?.[1];
  return v === undefined ? `SP_PROT_UNKNOWN_${role}` : `SP_PROT_TLS1_${v}_${role}`;
}

export function schannelParts(cipher: string): { bulk: string; strength: number; mac: string; kx: string } {
  const c = cipher.toUpperCase();
  const aes = /AES[_-]?(128|256)/.exec(c);
  const bulk = aes ? `CALG_AES_${aes[1]}` : c.includes('CHACHA20') ? 'CALG_CHACHA20' : 'CALG_UNKNOWN';
  const strength = aes ? Number(aes[1]) : 256;
  const mac = c.endsWith('SHA384') ? 'CALG_SHA_384' : c.endsWith('SHA256') ? 'CALG_SHA_256' : c.endsWith('SHA') ? 'CALG_SHA1' : 'CALG_SHA_256';
  const kx = c.startsWith('TLS_') || c.includes('ECDHE') ? 'CALG_ECDH_EPHEM' : c.includes('DHE') ? 'CALG_DH_EPHEM' : 'CALG_RSA_KEYX';
  return { bulk, strength, mac, kx };
}

/** `TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_128 …`. */
export function tlsSuccessLine(t: TlsFacts, role: 'SERVER' | 'CLIENT'): string {
  const p = schannelParts(t.cipher);
  // GCM suites carry no separate MAC key, which SChannel reports as strength 0.
  return `TLS protocol ${protocolName(t.version, role)} negotiation succeeded using bulk encryption algorithm ${p.bulk} with strength ${p.strength} bits, MAC hash algorithm ${p.mac} with strength 0 bits and key exchange algorithm ${p.kx} with strength ${t.ephemeralBits ?? 0} bits`;
}

/** TLS named groups (IANA registry) → the key-exchange strength Node's client-side getEphemeralKeyInfo() reports. */
const GROUP_BITS: Record<number, number> = { 23: 256, 24: 384, 25: 521, 29: 253, 30: 448, 256: 2048, 257: 3072, 258: 4096, 259: 6144, 260: 8192 };

/**
 * The key-exchange strength of a session, from its own socket. A client socket reports it (getEphemeralKeyInfo);
 * a server socket does not (Node returns nothing there), so the server reads the group OpenSSL recorded in the
 * session (SSL_SESSION's `kex_group`, tag [19]) — the same figure the client logs, e.g. 253 for X25519.
 */
export function keyExchangeBits(socket: TLSSocket, role: 'SERVER' | 'CLIENT'): number | undefined {
  // Static RSA key exchange has no ephemeral key: SChannel reports the RSA key's size, the server certificate's.
  if (schannelParts(socket.getCipher().name).kx === 'CALG_RSA_KEYX') {
    const cert = (role === 'SERVER' ? socket.getCertificate() : socket.getPeerCertificate()) as { bits?: number } | null;
    return cert?.bits;
  }
  const eph = socket.getEphemeralKeyInfo() as { size?: number } | null;
  if (eph?.size) return eph.size;
  const group = sessionKexGroup(socket.getSession());
  return group === undefined ? undefined : GROUP_BITS[group];
}

/** The `kex_group` INTEGER of a DER SSL_SESSION (OpenSSL 3 ssl_asn1.c), or undefined. */
export function sessionKexGroup(der: Buffer | undefined): number | undefined {
  if (!der || der[0] !== 0x30) return undefined;
  const header = (at: number): { len: number; body: number } | undefined => {
    const first = der[at + 1];
    if (first === undefined) return undefined;
    if (first < 0x80) return { len: first, body: at + 2 };
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
    return { len, body: at + 2 + n };
  };
  const outer = header(0);
  if (!outer) return undefined;
  for (let at = outer.body; at < Math.min(der.length, outer.body + outer.len);) {
    const h = header(at);
    if (!h) return undefined;
    if (der[at] === 0xb3) {
      const inner = header(h.body); // [19] EXPLICIT INTEGER
      if (!inner || der[h.body] !== 0x02) return undefined;
      let v = 0;
      for (let i = 0; i < inner.len; i++) v = v * 256 + der[inner.body + i];
      return v;
    }
    at = h.body + h.len;
  }
  return undefined;
}
