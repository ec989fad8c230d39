// Remembers built certification paths (DS-CERT-01): the same partner presents the same chain in every session, and
// checking its signatures again was 17% of a busy receiving edge's time. Only the path is remembered; dates, usage,
// critical extensions and revocation are checked on every call (validate-chain.ts).
import type { Certificate } from './certificate.js';
import { buildPath, type PathResult, type TrustIndex, trustIndex } from './chain-path.js';

/** One trusted store as path building sees it: its index, and a number that keys the paths built against it. */
interface Trust {
  id: number;
  index: TrustIndex;
}

interface Remembered {
  /** Leaf, then the other presented or known certificates: exactly what the path was built from besides the store. */
  inputs: Certificate[];
  result: PathResult;
}

let trustIds = 0;
/**
 * A frozen store (TrustedRootStore.list(), made once per change) is known by identity: its certificates cannot change.
 * In a full mesh no two sessions share a (leaf, store) pair, so the path memory never answers there; the store's index
 * does, once per organization instead of once per session (with a hundred roots, the per-session work added up).
 */
const FROZEN = new WeakMap<readonly Certificate[], Trust>();
/** Any other store: by its thumbprints, then byte for byte. */
const BY_PRINTS = new Map<string, Trust & { trusted: Certificate[] }>();
const BY_PRINTS_MAX = 16;
const PATHS = new Map<string, Remembered>();
const PATHS_MAX = 256;

function sameCertificate(a: Certificate, b: Certificate): boolean {
  return a === b || Buffer.from(a.der).equals(Buffer.from(b.der));
}

function trustOf(trusted: readonly Certificate[]): Trust {
  if (Object.isFrozen(trusted)) {
    let t = FROZEN.get(trusted);
    if (!t) FROZEN.set(trusted, (t = { id: ++trustIds, index: trustIndex(trusted) }));
    return t;
  }
  const key = trusted.map((c) => c.thumbprint).join(',');
  const hit = BY_PRINTS.get(key);
  if (hit && hit.trusted.length === trusted.length && hit.trusted.every((c, i) => sameCertificate(c, trusted[i]!))) return hit;
  const t = { id: ++trustIds, index: trustIndex(trusted), trusted: [...trusted] };
  if (BY_PRINTS.size >= BY_PRINTS_MAX) BY_PRINTS.delete(BY_PRINTS.keys().next().value!);
  BY_PRINTS.set(key, t);
  return t;
}

/**
 * buildPath(), answered from memory when the same certificates (by thumbprint, then byte for byte) are presented
 * against the same trusted roots in the same order; a changed certificate or root set is a miss and is built afresh.
 */
export function buildPathCached(leaf: Certificate, others: readonly Certificate[], trusted: readonly Certificate[]): PathResult {
  const trust = trustOf(trusted);
  const key = `${trust.id}|${leaf.thumbprint}|${others.map((c) => c.thumbprint).join(',')}`;
  const hit = PATHS.get(key);
  if (hit && hit.inputs.length === others.length + 1 && sameCertificate(hit.inputs[0]!, leaf) && others.every((c, i) => sameCertificate(hit.inputs[i + 1]!, c))) {
    return { ...hit.result, path: [...hit.result.path] };
  }
  const result = buildPath(leaf, others, trust.index);
  if (PATHS.size >= PATHS_MAX) PATHS.delete(PATHS.keys().next().value!);
  PATHS.set(key, { inputs: [leaf, ...others], result });
  return { ...result, path: [...result.path] };
}
