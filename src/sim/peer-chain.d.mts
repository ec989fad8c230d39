import type tls from 'node:tls';

/**
 * The certificates a TLS peer sent, leaf first, linked issuer after subject, as DER (peer-chain.mjs). `simulated`: the
 * leaves only the simulation's own contexts send (simulated-leaves.ts), whose chain is read once per thread.
 */
export function peerChainDer(socket: tls.TLSSocket, simulated?: ReadonlySet<string>): Uint8Array[];
