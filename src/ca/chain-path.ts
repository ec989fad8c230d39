// Owns certification path building (DS-CERT-01): from the presented leaf, through known CA certificates, to a trusted root.
import type { Certificate } from './certificate.js';

export type PathResult =
  | { kind: 'trusted'; path: Certificate[] }
  | { kind: 'untrusted'; path: Certificate[]; detail: string }
  | { kind: 'bad-signature'; path: Certificate[]; detail: string };

/** Longer paths than this are not plausible for mail PKI and would only mean a loop. */
const MAX_DEPTH = 8;

function selfIssued(c: Certificate): boolean {
  return Buffer.from(c.subjectDer).equals(Buffer.from(c.issuerDer));
}

/**
 * Walks issuer names upward. An issuer candidate must carry the issuer name, be a CA (unless it is itself a trusted
 * anchor) and verify the signature. Candidates from the trusted store are tried first so a path ends as soon as it can.
 * A certificate in the trusted store ends the path, whether or not it is self-signed (RFC 5280 trust anchors).
 */
export function buildPath(leaf: Certificate, others: Certificate[], trusted: Certificate[]): PathResult {
  // Looked up by thumbprint and by subject, not scanned: an organization that trusts a hundred partners' roots
  // validates every session's chain, and a scan of the store per certificate made that quadratic.
  const trustedPrints = new Set(trusted.map((t) => t.thumbprint));
  const isTrusted = (c: Certificate): boolean => trustedPrints.has(c.thumbprint);
  const pool = new Map<string, Certificate>();
  for (const c of [...trusted, ...others]) if (!pool.has(c.thumbprint)) pool.set(c.thumbprint, c);
  // isIssuedBy matches the subject's bytes or its text without case: candidates share the text, in pool order.
  const bySubject = new Map<string, Certificate[]>();
  for (const c of pool.values()) {
    const k = c.subject.toLowerCase();
    const list = bySubject.get(k);
    if (list) list.push(c);
    else bySubject.set(k, [c]);
  }
  const candidates = (c: Certificate): Certificate[] => {
    const same = bySubject.get(c.issuer.toLowerCase()) ?? [];
    // A name equal in bytes but shown differently cannot happen (the text is read from the bytes); keep the exact test.
    return same.length > 0 ? same : [...pool.values()].filter((x) => c.isIssuedBy(x));
  };
  const path: Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (isTrusted(current)) {
      if (selfIssued(current) && !current.isSignedBy(current)) {
        return { kind: 'bad-signature', path, detail: `The self-signature of the trusted certificate '${current.subject}' does not verify; the certificate was altered.` };
      }
      return { kind: 'trusted', path };
    }
    if (selfIssued(current)) {
      if (!current.isSignedBy(current)) {
        return { kind: 'bad-signature', path, detail: `The self-signature of '${current.subject}' does not verify; the certificate was altered.` };
      }
      const what = path.length === 1 ? 'The self-signed certificate' : 'The chain ends at the root';
      return { kind: 'untrusted', path, detail: `${what} '${current.subject}' (thumbprint ${current.thumbprint}) is not in the trusted root store. Import it as a trusted root to trust it.` };
    }
    const named = candidates(current).filter((c) => current.isIssuedBy(c) && !path.some((p) => p.equals(c)));
    if (named.length === 0) {
      return { kind: 'untrusted', path, detail: `The issuer '${current.issuer}' of '${current.subject}' was not presented and is not a trusted root or a known intermediate.` };
    }
    const usable = named.filter((c) => c.isCa || isTrusted(c));
    if (usable.length === 0) {
      return { kind: 'untrusted', path, detail: `'${current.issuer}', the issuer of '${current.subject}', is not a CA certificate (basicConstraints CA is not set).` };
    }
    const issuer = usable.find((c) => current.isSignedBy(c));
    if (!issuer) {
      return { kind: 'bad-signature', path, detail: `The signature on '${current.subject}' does not verify with the public key of its issuer '${current.issuer}' (the certificate was altered, or signed by a different CA of the same name).` };
    }
    path.push(issuer);
    current = issuer;
  }
  return { kind: 'untrusted', path, detail: `No trusted root was reached within ${MAX_DEPTH} certificates.` };
}
