// The certificates a TLS peer presented, leaf first (Certificate.fromDer keeps parsed certificates, so a partner's
// chain is parsed once however many sessions present it).
import type tls from 'node:tls';
import { Certificate } from '../ca/index.js';
import { peerChainDer } from './peer-chain.mjs';
import { simulatedLeaves } from './simulated-leaves.js';
import { ThreadedTlsSocket } from './threaded-socket.js';

/** Read once per socket: a second read would see only the leaf (peer-chain.mjs). */
const presentedBy = new WeakMap<tls.TLSSocket, Certificate[]>();

/** The peer's chain, leaf first, linked issuer after subject (peer-chain.mjs says how and why). */
export function peerCertificates(socket: tls.TLSSocket): Certificate[] {
  const known = presentedBy.get(socket);
  if (known) return known;
  // On an edge thread the worker read the chain (edge-thread.mjs) with the same peerChainDer.
  const der = (socket as unknown) instanceof ThreadedTlsSocket ? (socket as unknown as ThreadedTlsSocket).peerChainDer() : peerChainDer(socket, simulatedLeaves);
  if (der.length === 0) return []; // before the handshake has a peer: nothing to keep
  const out = der.map((d) => Certificate.fromDer(d));
  presentedBy.set(socket, out);
  return out;
}
