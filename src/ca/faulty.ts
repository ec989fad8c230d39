// Owns deliberately faulty certificates on demand, each one a named fault (like BoGo's ProtocolBugs), built from LeafOptions.
import { DomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import { DAY_MS, type KeyedCertificate, type LeafOptions } from './certificate-profile.js';
import { createSelfSigned } from './self-signed.js';

export type FaultKind = 'expired' | 'not-yet-valid' | 'no-client-auth' | 'wrong-names' | 'self-signed' | 'unknown-issuer'
  | 'unknown-critical-extension' | 'sha1-signature' | 'rsa-1024';
export const FAULT_KINDS: readonly FaultKind[] = ['expired', 'not-yet-valid', 'no-client-auth', 'wrong-names', 'self-signed', 'unknown-issuer',
  'unknown-critical-extension', 'sha1-signature', 'rsa-1024'];

/** A private-arc OID no validator knows (the example arc of RFC 5612, 1.3.6.1.4.1.32473), marked critical. */
export const UNKNOWN_CRITICAL_OID = '1.3.6.1.4.1.32473.1.1';

/** The names a 'wrong-names' certificate carries: under .invalid (RFC 2606), so they can never cover a real partner domain. */
export const WRONG_NAME = 'wrong-name.invalid';
/** CN of the throw-away root behind 'unknown-issuer'; distinct from any lab CA so the result is UntrustedRoot, not SignatureFailure. */
export const UNKNOWN_ISSUER_NAME = 'Domsec Unknown Issuer CA';

/**
 * Issues `base` with exactly one fault, relative to `base.now`:
 *  - 'expired': valid from now-366d to now-1d (DS-CERT-03, CertificateExpired).
 *  - 'not-yet-valid': valid from now+1d to now+366d (DS-CERT-03, CertificateExpired, detail says "not yet valid").
 *  - 'no-client-auth': EKU serverAuth only (DS-CERT-05, WrongUsage).
 *  - 'wrong-names': CN and SAN 'wrong-name.invalid' instead of base's names (DS-CERT-02, SubjectMismatch).
 *  - 'self-signed': base's names on a self-signed certificate; UntrustedRoot until imported as trusted (DS-CERT-01).
 *  - 'unknown-issuer': issued by a fresh root that nobody trusts (DS-CERT-01, UntrustedRoot); chain holds that root.
 *  - 'unknown-critical-extension': carries UNKNOWN_CRITICAL_OID marked critical (DS-CERT-06 WrongUsage, RFC 5280 §4.2).
 *  - 'sha1-signature': signed by the CA with SHA-1; 'rsa-1024': an RSA-1024 key. Legacy, not faults under the model
 *    (Exchange accepts both on a private PKI, docs/model-choices.md): the scenarios show them delivered as Partner.
 * Everything not named by the fault (names, algorithm, EKUs) is taken from `base`.
 */
export async function issueFaulty(ca: CertificateAuthority, kind: FaultKind, base: LeafOptions & { now: Date }): Promise<KeyedCertificate> {
  const now = base.now.getTime();
  switch (kind) {
    case 'expired':
      return ca.issue({ ...base, notBefore: new Date(now - 366 * DAY_MS), notAfter: new Date(now - DAY_MS) });
    case 'not-yet-valid':
      return ca.issue({ ...base, notBefore: new Date(now + DAY_MS), notAfter: new Date(now + 366 * DAY_MS) });
    case 'no-client-auth':
      return ca.issue({ ...base, ekus: ['serverAuth'] });
    case 'wrong-names': {
      const { subject: _ignored, ...rest } = base;
      return ca.issue({ ...rest, commonName: WRONG_NAME, dnsNames: [WRONG_NAME] });
    }
    case 'self-signed': {
      // Keys and serials stay seeded when the CA's are, so a faulty certificate is as reproducible as a good one.
      const keySeed = base.keySeed ?? ca.nextKeySeed('self-signed');
      return createSelfSigned({ ...base, algorithm: base.algorithm ?? ca.algorithm, ...(keySeed !== undefined ? { keySeed, serialSeed: keySeed } : {}) });
    }
    case 'unknown-issuer': {
      const keySeed = ca.nextKeySeed('unknown-issuer');
      const stranger = await CertificateAuthority.createRoot({
        name: UNKNOWN_ISSUER_NAME, now: base.now, algorithm: base.algorithm ?? ca.algorithm,
        ...(keySeed !== undefined ? { keySeed, serialSeed: keySeed } : {}),
      });
      return stranger.issue(base);
    }
    case 'unknown-critical-extension':
      return ca.issue({ ...base, extraExtensions: [{ oid: UNKNOWN_CRITICAL_OID, critical: true, value: new Uint8Array([0x05, 0x00]) }] });
    case 'sha1-signature':
      return ca.issue({ ...base, signatureHash: 'SHA-1' });
    case 'rsa-1024':
      return ca.issue({ ...base, algorithm: 'RSA-1024' });
    default: {
      const never: never = kind;
      throw new DomsecError('ERR_CERT_FORMAT', `'${String(never)}' is not a fault kind. Use one of ${FAULT_KINDS.join(', ')}.`);
    }
  }
}
