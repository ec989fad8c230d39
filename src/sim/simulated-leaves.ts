// The leaf certificates the simulation's own TLS contexts send, each with what is sent after it (issue 12 item 5,
// certificates read once). A reader may take such a leaf's chain from its first full read (peer-chain.mjs): a context's
// certificates never change, so every later session of the same leaf sends the same ones. A leaf sent by two contexts
// with different certificates after it is not listed: its chain is read in full every time.
import { hash } from 'node:crypto';
import { readPemBlocks } from '../ca/index.js';

/** By the SHA-256 of the leaf's DER (lowercase hex): what the context sends after it, or null when two differ. */
const sentAfter = new Map<string, string | null>();
const watchers = new Set<(fingerprint: string, listed: boolean) => void>();

const fingerprint = (der: Uint8Array) => hash('sha256', der);

/** Notes what a context made with this `cert` option (PEM: the leaf, then what is sent after it) sends. */
export function noteSentCertificates(certPem: string): void {
  const ders = readPemBlocks(certPem).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
  if (ders.length === 0) return;
  const leaf = fingerprint(ders[0]!);
  const after = ders.slice(1).map(fingerprint).join(' ');
  const known = sentAfter.get(leaf);
  if (known === after || known === null) return;
  const listed = known === undefined;
  sentAfter.set(leaf, listed ? after : null);
  for (const w of watchers) w(leaf, listed);
}

/** The leaves listed now, by fingerprint (as peer-chain.mjs asks on the main thread). */
export const simulatedLeaves = {
  has: (leaf: string): boolean => typeof sentAfter.get(leaf) === 'string',
};

/** Calls `watch` with every leaf listed now and with each change after; returns what stops it. */
export function watchSimulatedLeaves(watch: (fingerprint: string, listed: boolean) => void): () => void {
  for (const [leaf, after] of sentAfter) if (after !== null) watch(leaf, true);
  watchers.add(watch);
  return () => { watchers.delete(watch); };
}
