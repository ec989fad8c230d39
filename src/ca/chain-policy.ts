// Owns the checks of a built path beyond trust and dates: critical extensions nobody here understands, and weak keys or signatures.
import type { Certificate } from './certificate.js';

/**
 * The extensions this harness (or the TLS stack under it) acts on. RFC 5280 §4.2: a certificate with a critical
 * extension the validator does not recognize must be rejected. Name constraints are deliberately absent: they are
 * not enforced here, so a critical one cannot be claimed as understood (docs/model-choices.md).
 */
const UNDERSTOOD = new Map<string, string>([
  ['2.5.29.19', 'basicConstraints'], ['2.5.29.15', 'keyUsage'], ['2.5.29.37', 'extKeyUsage'], ['2.5.29.17', 'subjectAltName'],
  ['2.5.29.14', 'subjectKeyIdentifier'], ['2.5.29.35', 'authorityKeyIdentifier'], ['2.5.29.31', 'cRLDistributionPoints'],
  ['2.5.29.32', 'certificatePolicies'], ['2.5.29.18', 'issuerAltName'], ['1.3.6.1.5.5.7.1.1', 'authorityInfoAccess'],
]);

/** The first certificate of the path with a critical extension not understood here, as a sentence; undefined when none. */
export function criticalExtensionProblem(chain: Certificate[]): string | undefined {
  for (const c of chain) {
    const unknown = c.criticalExtensions.filter((oid) => !UNDERSTOOD.has(oid));
    if (unknown.length > 0) {
      return `The certificate '${c.subject}' has the critical extension ${unknown.join(', ')}, which is not recognized; a certificate with an unrecognized critical extension is not valid for any use (RFC 5280 §4.2).`;
    }
  }
  return undefined;
}

/** Signature hashes Windows refuses in any chain (MD5 since KB 2862973); SHA-1 is not among them for private roots. */
const BROKEN_HASHES = new Set(['MD2', 'MD4', 'MD5']);
/** Windows refuses RSA keys under 1024 bits (KB 2661254); 1024 itself is accepted, as Exchange's -KeySize 1024 implies. */
export const MIN_RSA_BITS = 1024;

/**
 * Weak keys and signatures as Exchange (through Windows' chain engine) treats them on a private partner PKI
 * (docs/model-choices.md): SHA-1 signatures and RSA-1024 keys pass; MD2/MD4/MD5 signatures and RSA keys under 1024 bits
 * fail as SignatureFailure. The trust anchor's own self-signature is not judged, as in Windows.
 */
export function weakCryptoProblem(chain: Certificate[]): string | undefined {
  for (const [i, c] of chain.entries()) {
    if (c.keyDescription.startsWith('RSA-') && c.publicKeySize < MIN_RSA_BITS) {
      return `The certificate '${c.subject}' has a ${c.publicKeySize}-bit RSA key; keys under ${MIN_RSA_BITS} bits are refused as too weak.`;
    }
    const anchor = i === chain.length - 1;
    if (!anchor && BROKEN_HASHES.has(c.signatureHash)) {
      return `The certificate '${c.subject}' is signed with ${c.signatureHash}, a broken hash; the signature cannot be trusted.`;
    }
  }
  return undefined;
}
