// Describes a real TLS session in Exchange's SChannel words for the protocol log's TLS line (DS-LOG-03).

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
  return `TLS protocol ${protocolName(t.version, role)} negotiation succeeded using bulk encryption algorithm ${p.bulk} with strength ${p.strength} bits, MAC hash algorithm ${p.mac} with strength 0 bits and key exchange algorithm ${p.kx} with strength ${t.ephemeralBits ?? 256} bits`;
}
