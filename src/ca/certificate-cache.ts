// Owns the on-disk cache of certificates made from derived keys: the same inputs give the same certificate, made once.
// Beside the key cache (key-cache.ts: same folder, same switch, same best effort), one JSON file per certificate named
// by the hash of everything it is made from: issuer, key seed, algorithm, serial, names, validity and extensions.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Certificate } from './certificate.js';
import { keyCacheDir } from './key-cache.js';

/** Bumped whenever what a certificate holds for the same inputs changes (its profile, its encoding). */
const CERTIFICATE_CACHE_VERSION = 'cert-v1';

export interface MadeCertificate {
  certificate: Certificate;
  /** A leaf's key (PKCS#8 PEM); a CA keeps its key as a CryptoKey derived again from its seed. */
  privateKeyPem?: string;
}

/**
 * `make()`'s certificate for `inputs`, from the cache when it was made before. Signing, encoding and key export are
 * most of a lab's start (~10 ms per certificate, three per organization: 100 organizations took seconds); reading one
 * back is a parse. Only certificates of derived keys come here: same seed, same key, so the cached certificate is the
 * one `make()` would give (byte for byte with RSA; with ECDSA one valid signature instead of another).
 * A missing, damaged or stale entry (its issuer no longer verifies it) is made again.
 */
export async function cachedCertificate(inputs: readonly unknown[], issuer: Certificate | 'self', make: () => Promise<MadeCertificate>): Promise<MadeCertificate> {
  const dir = keyCacheDir();
  if (!dir) return make();
  const id = createHash('sha256').update(JSON.stringify([CERTIFICATE_CACHE_VERSION, ...inputs])).digest('hex');
  const file = path.join(dir, `cert-${id.slice(0, 40)}.json`);
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { id?: string; der?: string; key?: string };
    if (entry.id === id && typeof entry.der === 'string') {
      const certificate = Certificate.fromDer(Buffer.from(entry.der, 'base64'));
      if (certificate.isSignedBy(issuer === 'self' ? certificate : issuer)) return { certificate, ...(typeof entry.key === 'string' ? { privateKeyPem: entry.key } : {}) };
    }
  } catch {
    // missing or unreadable: made again below
  }
  const made = await make();
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify({ id, der: Buffer.from(made.certificate.der).toString('base64'), ...(made.privateKeyPem ? { key: made.privateKeyPem } : {}) }), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true }); // best effort: a cache that cannot be written costs time, never a failure
  }
  return made;
}

/** A Date or byte array as the cache key spells it. */
export function cacheKeyPart(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(cacheKeyPart);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cacheKeyPart(x)]));
  return v;
}
