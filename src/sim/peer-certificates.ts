// The certificates a TLS peer presented, leaf first (Certificate.fromDer keeps parsed certificates, so a partner's
// chain is parsed once however many sessions present it).
import type tls from 'node:tls';
import { Certificate } from '../ca/index.js';

/** The peer's chain as presented, leaf first, following each certificate's issuer until it repeats. */
export function peerCertificates(socket: tls.TLSSocket): Certificate[] {
  const out: Certificate[] = [];
  const seen = new Set<string>();
  for (let c = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(Certificate.fromDer(new Uint8Array(c.raw)));
  }
  return out;
}
