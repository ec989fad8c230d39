import type tls from 'node:tls';

/**
 * The certificates a TLS peer sent, leaf first, linked issuer after subject, as DER (peer-chain.mjs). `simulated`: the
 * leaves only the simulation's own contexts send (simulated-leaves.ts), whose chain is read once per thread; `session`:
 * the socket's getSession(), when the caller has it. The arrays may be shared: not to be written to or transferred.
 */
export function peerChainDer(socket: tls.TLSSocket, simulated?: { has(fingerprint: string): boolean }, session?: Uint8Array): Uint8Array[];
