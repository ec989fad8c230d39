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

// A Certificate never changes, and every session logs and summarizes the same few (its own and its partner's, up to
// five times each): both are worked out once per certificate; the lines are read-only, a summary is handed out as a copy.
const LINES = new WeakMap<Certificate, Map<CertificateLineKind, readonly (readonly [string, string])[]>>();
const SUMMARIES = new WeakMap<Certificate, CertificateSummary>();

/** `*,,<kind>` then subject, issuer, serial, thumbprint, alternate names, as (data, context) pairs. */
export function certificateLines(kind: CertificateLineKind, c: Certificate): readonly (readonly [string, string])[] {
  let byKind = LINES.get(c);
  if (!byKind) LINES.set(c, (byKind = new Map()));
  let lines = byKind.get(kind);
  if (!lines) {
    lines = [
      ['', kind],
      [c.subject, 'Certificate subject'],
      [c.issuer, 'Certificate issuer name'],
      [c.serialNumber, 'Certificate serial number'],
      [c.thumbprint, 'Certificate thumbprint'],
      [c.dnsNames.join(';'), 'Certificate alternate names'],
    ];
    byKind.set(kind, lines);
  }
  return lines;
}

export function summarize(c: Certificate): CertificateSummary {
  let s = SUMMARIES.get(c);
  if (!s) {
    s = {
      subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, thumbprint: c.thumbprint, names: c.names,
      notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), pem: c.pem,
    };
    SUMMARIES.set(c, s);
  }
  return { ...s };
}
