// Owns the on-disk cache of seed-derived RSA keys, so a suite that makes the same keys every run pays for them once.
// One JSON file per (derivation version, algorithm, key seed), named by their hash; written to a temp file and renamed
// (two processes deriving the same key never see half a file), mode 600 in a 700 folder: it holds private keys, even if
// anyone who knows the seed can derive them again. A missing, unreadable or foreign entry is simply derived again.
import { createHash, createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PrivateJwk {
  kty: 'RSA' | 'EC';
  crv?: 'P-256';
  n?: string; e?: string; d: string; p?: string; q?: string; dp?: string; dq?: string; qi?: string;
  x?: string; y?: string;
}

/** DOMSEC_KEY_CACHE=<dir> moves the cache, DOMSEC_KEY_CACHE=off turns it off; default $XDG_CACHE_HOME/domsec/keys or ~/.cache/domsec/keys. */
export function keyCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.DOMSEC_KEY_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  if (configured) return path.resolve(configured);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'domsec', 'keys');
}

function entryPath(dir: string, version: string, algorithm: string, keySeed: string): string {
  const id = createHash('sha256').update(`${version}\0${algorithm}\0${keySeed}`).digest('hex');
  return path.join(dir, `${algorithm}-${id.slice(0, 40)}.json`);
}

export function readCachedKey(version: string, algorithm: string, keySeed: string): PrivateJwk | undefined {
  const dir = keyCacheDir();
  if (!dir) return undefined;
  try {
    const entry = JSON.parse(readFileSync(entryPath(dir, version, algorithm, keySeed), 'utf8')) as { version?: string; algorithm?: string; keySeed?: string; jwk?: PrivateJwk };
    if (entry.version !== version || entry.algorithm !== algorithm || entry.keySeed !== keySeed || !entry.jwk) return undefined;
    // A truncated or edited entry must not become a broken certificate: Node parses the key and its size must match.
    const key = createPrivateKey({ key: entry.jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    if (algorithm.startsWith('RSA-') && key.asymmetricKeyDetails?.modulusLength !== Number(algorithm.slice(4))) return undefined;
    return entry.jwk;
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only or full disk costs time on the next run, never a failure of this one. */
export function writeCachedKey(version: string, algorithm: string, keySeed: string, jwk: PrivateJwk): void {
  const dir = keyCacheDir();
  if (!dir) return;
  const target = entryPath(dir, version, algorithm, keySeed);
  const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify({ version, algorithm, keySeed, jwk }), { mode: 0o600 });
    renameSync(temp, target);
  } catch {
    rmSync(temp, { force: true }); // the failure itself is ignored on purpose (see above)
  }
}
