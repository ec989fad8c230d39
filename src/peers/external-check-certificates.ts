// The certificates a conformance run against an outside MTA presents as the partner: one good, and one per fault the
// MTA must refuse (DS-CERT-01…05), issued at the real time the MTA judges by, from the partner's lab CA.
import { CertificateAuthority, type FaultKind, issueFaulty, type KeyedCertificate } from '../ca/index.js';

export const CHECK_FAULTS = ['wrong-name', 'untrusted-ca', 'self-signed', 'expired', 'not-yet-valid', 'revoked', 'no-client-auth'] as const;
export type CheckFault = (typeof CHECK_FAULTS)[number];

/** The DS-CERT rule each fault breaks, and the receiver/sender rule that decides on it. */
export const FAULT_RULES: Record<CheckFault, { cert: string; recv: string; send: string; what: string }> = {
  'wrong-name': { cert: 'DS-CERT-02', recv: 'DS-RECV-05', send: 'DS-SEND-04', what: 'names that do not cover the partner domain' },
  'untrusted-ca': { cert: 'DS-CERT-01', recv: 'DS-RECV-06', send: 'DS-SEND-05', what: 'issued by a CA nobody trusts' },
  'self-signed': { cert: 'DS-CERT-01', recv: 'DS-RECV-06', send: 'DS-SEND-05', what: 'self-signed' },
  expired: { cert: 'DS-CERT-03', recv: 'DS-RECV-06', send: 'DS-SEND-05', what: 'expired yesterday' },
  'not-yet-valid': { cert: 'DS-CERT-03', recv: 'DS-RECV-06', send: 'DS-SEND-05', what: 'valid only from tomorrow' },
  revoked: { cert: 'DS-CERT-04', recv: 'DS-RECV-06', send: 'DS-SEND-05', what: 'on its issuer\'s CRL' },
  'no-client-auth': { cert: 'DS-CERT-05', recv: 'DS-RECV-06', send: 'DS-SEND-05', what: 'without the clientAuth usage (serverAuth only)' },
};

const KIND: Partial<Record<CheckFault, FaultKind>> = {
  'wrong-name': 'wrong-names', 'untrusted-ca': 'unknown-issuer', 'self-signed': 'self-signed', expired: 'expired', 'not-yet-valid': 'not-yet-valid', 'no-client-auth': 'no-client-auth',
};

export interface CheckCertificates {
  good: KeyedCertificate;
  faulty: Record<CheckFault, KeyedCertificate>;
  /** The partner issuing CA's CRL (DER) with the revoked certificate on it, for an MTA that checks revocation. */
  crl: Uint8Array;
}

/**
 * Issued from a copy of the partner's issuing CA with random serials (the lab's own are seeded: a repeated serial would
 * put the lab's certificate on the CRL too), named `names` (partner edge FQDN, partner domain), valid since yesterday.
 */
export async function issueCheckCertificates(issuing: KeyedCertificate, names: string[], now: Date, crlUrl?: string): Promise<CheckCertificates> {
  const ca = await CertificateAuthority.fromKeyed(issuing, { now, ...(crlUrl ? { crlUrl } : {}) });
  const base = { commonName: names[0]!, dnsNames: names, notBefore: new Date(now.getTime() - 86_400_000), now };
  const faulty = {} as Record<CheckFault, KeyedCertificate>;
  for (const f of CHECK_FAULTS) {
    const kind = KIND[f];
    faulty[f] = kind ? await issueFaulty(ca, kind, base) : await ca.issue(base);
  }
  ca.revoke(faulty.revoked.certificate.serialNumber, now);
  return { good: await ca.issue(base), faulty, crl: await ca.crl(now) };
}
