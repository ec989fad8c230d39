// The certificates a TLS peer presented, parsed once: a partner shows the same chain on every attempt, and parsing
// DER is the costliest step of a session, so parsed certificates are kept by their SHA-256 fingerprint.
import type tls from 'node:tls';
import { Certificate } from '../ca/index.js';

const MAX = 512;
const parsed = new Map<string, Certificate>();

function parse(c: tls.PeerCertificate): Certificate {
  let cert = parsed.get(c.fingerprint256);
  if (!cert) {
    cert = Certificate.fromDer(new Uint8Array(c.raw));
    if (parsed.size >= MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(c.fingerprint256, cert);
  }
  return cert;
}

/** The peer's chain as presented, leaf first, following each certificate's issuer until it repeats. */
export function peerCertificates(socket: tls.TLSSocket): Certificate[] {
  const out: Certificate[] = [];
  const seen = new Set<string>();
  for (let c = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(parse(c));
  }
  return out;
}
