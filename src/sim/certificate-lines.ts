// The certificate lines of the protocol log (DS-LOG-03) and the certificate summary kept as evidence.
import type { Certificate } from '../ca/index.js';
import type { ExchangeVersion } from '../orgs/index.js';
import type { CertificateSummary } from './evidence.js';

export type CertificateLineKind =
  | 'Sending certificate' | 'Remote certificate' | 'Received certificate' | 'Secure domain certificate' | 'Validated received certificate';

/** The peer's certificate after the handshake: Exchange 2007 writes `Received certificate` (seed 004), later versions `Remote certificate`. */
export function peerCertificateKind(v: ExchangeVersion): CertificateLineKind {
  return v === '2007' ? 'Received certificate' : 'Remote certificate';
}

/** `*,,<kind>` then subject, issuer, serial, thumbprint, alternate names, as (data, context) pairs. */
export function certificateLines(kind: CertificateLineKind, c: Certificate): [string, string][] {
  return [
    ['', kind],
    [c.subject, 'Certificate subject'],
    [c.issuer, 'Certificate issuer name'],
    [c.serialNumber, 'Certificate serial number'],
    [c.thumbprint, 'Certificate thumbprint'],
    [c.dnsNames.join(';'), 'Certificate alternate names'],
  ];
}

export function summarize(c: Certificate): CertificateSummary {
  return {
    subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, thumbprint: c.thumbprint, names: c.names,
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), pem: c.pem,
  };
}
