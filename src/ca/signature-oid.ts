// Owns reading a certificate's outer signatureAlgorithm OID straight from the DER, for algorithms WebCrypto cannot name (MD5, MD2).

function readLength(der: Uint8Array, at: number): { length: number; next: number } | undefined {
  const first = der[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, next: at + 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 4 || at + 1 + n > der.length) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + der[at + 1 + i]!;
  return { length, next: at + 1 + n };
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm SEQUENCE { OID, … }, signature }; undefined if malformed. */
export function signatureAlgorithmOid(der: Uint8Array): string | undefined {
  if (der[0] !== 0x30) return undefined;
  const outer = readLength(der, 1);
  if (!outer || der[outer.next] !== 0x30) return undefined;
  const tbs = readLength(der, outer.next + 1);
  if (!tbs) return undefined;
  const alg = tbs.next + tbs.length;
  if (der[alg] !== 0x30) return undefined;
  const algLen = readLength(der, alg + 1);
  if (!algLen || der[algLen.next] !== 0x06) return undefined;
  const oidLen = readLength(der, algLen.next + 1);
  if (!oidLen || oidLen.next + oidLen.length > der.length || oidLen.length === 0) return undefined;
  const bytes = der.subarray(oidLen.next, oidLen.next + oidLen.length);
  const arcs: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if (b < 0x80) { arcs.push(v); v = 0; }
  }
  if (arcs.length === 0) return undefined;
  const first = arcs[0]! < 80 ? Math.floor(arcs[0]! / 40) : 2;
  return [first, arcs[0]! - first * 40, ...arcs.slice(1)].join('.');
}

/** Hashes WebCrypto has no name for, by signature algorithm OID. */
export const LEGACY_SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'MD2', '1.2.840.113549.1.1.3': 'MD4', '1.2.840.113549.1.1.4': 'MD5',
};
