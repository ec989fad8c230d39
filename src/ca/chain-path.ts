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
 * The trusted store's side of path building, made once per store: an organization that trusts a hundred partners'
 * roots validates every session's chain, and building this per session was 2% of a busy mesh's main thread.
 */
export interface TrustIndex {
  /** By thumbprint, first of each, in store order. */
  pool: Map<string, Certificate>;
  /** By subject text without case, in store order. */
  bySubject: Map<string, Certificate[]>;
}

function bySubjectOf(certs: Iterable<Certificate>): Map<string, Certificate[]> {
  const bySubject = new Map<string, Certificate[]>();
  for (const c of certs) {
    const k = c.subject.toLowerCase();
    const list = bySubject.get(k);
    if (list) list.push(c);
    else bySubject.set(k, [c]);
  }
  return bySubject;
}

export function trustIndex(trusted: readonly Certificate[]): TrustIndex {
  const pool = new Map<string, Certificate>();
  for (const c of trusted) if (!pool.has(c.thumbprint)) pool.set(c.thumbprint, c);
  return { pool, bySubject: bySubjectOf(pool.values()) };
}

/**
 * Walks issuer names upward. An issuer candidate must carry the issuer name, be a CA (unless it is itself a trusted
 * anchor) and verify the signature. Candidates from the trusted store are tried first so a path ends as soon as it can.
 * A certificate in the trusted store ends the path, whether or not it is self-signed (RFC 5280 trust anchors).
 */
export function buildPath(leaf: Certificate, others: readonly Certificate[], trusted: readonly Certificate[] | TrustIndex): PathResult {
  // Looked up by thumbprint and by subject, not scanned: a scan of the store per certificate made a mesh quadratic.
  const t = 'pool' in trusted ? trusted : trustIndex(trusted);
  const isTrusted = (c: Certificate): boolean => t.pool.has(c.thumbprint);
  // The pool is the trusted certificates, then the others not among them; a subject's candidates keep that order.
  const extra = new Map<string, Certificate>();
  for (const c of others) if (!t.pool.has(c.thumbprint) && !extra.has(c.thumbprint)) extra.set(c.thumbprint, c);
  const extraBySubject = extra.size > 0 ? bySubjectOf(extra.values()) : undefined;
  const candidates = (c: Certificate): Certificate[] => {
    const k = c.issuer.toLowerCase();
    const fromTrusted = t.bySubject.get(k);
    const fromOthers = extraBySubject?.get(k);
    const same = fromTrusted && fromOthers ? [...fromTrusted, ...fromOthers] : fromTrusted ?? fromOthers ?? [];
    // isIssuedBy matches the subject's bytes or its text without case. A name equal in bytes but shown differently
    // cannot happen (the text is read from the bytes); keep the exact test.
    return same.length > 0 ? same : [...t.pool.values(), ...extra.values()].filter((x) => c.isIssuedBy(x));
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
