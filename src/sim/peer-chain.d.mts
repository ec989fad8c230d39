import type tls from 'node:tls';

/** The certificates a TLS peer sent, leaf first, linked issuer after subject, as DER (peer-chain.mjs). */
export function peerChainDer(socket: tls.TLSSocket): Uint8Array[];
