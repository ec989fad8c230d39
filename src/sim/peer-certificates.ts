// The certificates a TLS peer presented, leaf first (Certificate.fromDer keeps parsed certificates, so a partner's
// chain is parsed once however many sessions present it).
import type tls from 'node:tls';
import { Certificate } from '../ca/index.js';

/**
 * Read once per socket: getPeerCertificate(true) turns every certificate of the chain into a JS object (~1 ms), and
 * the sending side asks twice (its log lines at the handshake, then the DS check): it was 10% of a session's time.
 */
const presentedBy = new WeakMap<tls.TLSSocket, Certificate[]>();

/** The peer's chain as presented, leaf first, following each certificate's issuer until it repeats. */
export function peerCertificates(socket: tls.TLSSocket): Certificate[] {
  const known = presentedBy.get(socket);
  if (known) return known;
  const out: Certificate[] = [];
  const seen = new Set<string>();
  for (let c = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(Certificate.fromDer(new Uint8Array(c.raw)));
  }
  // Only after the handshake has a peer: an empty answer before it must not stick.
  if (out.length > 0) presentedBy.set(socket, out);
  return out;
}
