// The certificates a TLS peer presented, leaf first (Certificate.fromDer keeps parsed certificates, so a partner's
// chain is parsed once however many sessions present it).
import type { X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import { Certificate } from '../ca/index.js';
import { ThreadedTlsSocket } from './threaded-socket.js';

/**
 * Read once per socket, and it must be: in Node 20 getPeerX509Certificate() hands out the peer's chain by taking the
 * certificates off the TLS session's own list, so a second call (of it, or of getPeerCertificate(true)) sees only
 * the leaf. On a fresh session it costs about a third of getPeerCertificate(true), which also turns every certificate
 * into a JS object (0.6–1.4 ms against 2.3–2.7 ms for a three-certificate chain, measured under load average 12–16);
 * that was a tenth of a receiving edge's CPU per session.
 */
const presentedBy = new WeakMap<tls.TLSSocket, Certificate[]>();

/**
 * The peer's chain, leaf first: from what it sent, each certificate followed by the one that issued it, linked as
 * OpenSSL and Windows' chain engine link them (issuer name and key identifiers, `checkIssued`), exactly as
 * getPeerCertificate(true) linked them. A certificate sent that does not link is left out: a forged leaf sent with the
 * genuine issuing CA (whose key identifier is not the one the leaf names) stands alone, and validation finds no
 * trusted issuer for it (UntrustedRoot). A root the peer did not send is not added: path building takes it from the
 * trusted roots itself.
 */
export function peerCertificates(socket: tls.TLSSocket): Certificate[] {
  const known = presentedBy.get(socket);
  if (known) return known;
  // On an edge thread the worker read and linked the chain (edge-thread.mjs) as below.
  if ((socket as unknown) instanceof ThreadedTlsSocket) {
    const chain = (socket as unknown as ThreadedTlsSocket).peerChainDer().map((der) => Certificate.fromDer(der));
    if (chain.length > 0) presentedBy.set(socket, chain);
    return chain;
  }
  const sent: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let c: X509Certificate | undefined = socket.getPeerX509Certificate(); c && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    sent.push(c);
  }
  if (sent.length === 0) return []; // before the handshake has a peer: nothing to keep
  const linked = [sent[0]!];
  const rest = sent.slice(1);
  for (let current = sent[0]!; ;) {
    const i = rest.findIndex((c) => current.checkIssued(c));
    if (i < 0) break;
    current = rest.splice(i, 1)[0]!;
    linked.push(current);
  }
  const out = linked.map((c) => Certificate.fromDer(new Uint8Array(c.raw)));
  presentedBy.set(socket, out);
  return out;
}
