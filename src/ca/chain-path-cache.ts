// Remembers built certification paths (DS-CERT-01): the same partner presents the same chain in every session, and
// checking its signatures again was 17% of a busy receiving edge's time. Only the path is remembered; dates, usage,
// critical extensions and revocation are checked on every call (validate-chain.ts).
import type { Certificate } from './certificate.js';
import { buildPath, type PathResult } from './chain-path.js';

interface Remembered {
  /** Leaf, the other presented or known certificates, then the trusted roots: exactly what the path was built from. */
  inputs: Certificate[];
  result: PathResult;
}

const PATHS = new Map<string, Remembered>();
const PATHS_MAX = 256;

function sameCertificate(a: Certificate, b: Certificate): boolean {
  return a === b || Buffer.from(a.der).equals(Buffer.from(b.der));
}

/**
 * buildPath(), answered from memory when the same certificates (by thumbprint, then byte for byte) are presented
 * against the same trusted roots in the same order; a changed certificate or root set is a miss and is built afresh.
 */
export function buildPathCached(leaf: Certificate, others: Certificate[], trusted: Certificate[]): PathResult {
  const inputs = [leaf, ...others, ...trusted];
  const key = `${leaf.thumbprint}|${others.map((c) => c.thumbprint).join(',')}|${trusted.map((c) => c.thumbprint).join(',')}`;
  const hit = PATHS.get(key);
  if (hit && hit.inputs.length === inputs.length && hit.inputs.every((c, i) => sameCertificate(c, inputs[i]!))) {
    return { ...hit.result, path: [...hit.result.path] };
  }
  const result = buildPath(leaf, others, trusted);
  if (PATHS.size >= PATHS_MAX) PATHS.delete(PATHS.keys().next().value!);
  PATHS.set(key, { inputs, result });
  return { ...result, path: [...result.path] };
}
