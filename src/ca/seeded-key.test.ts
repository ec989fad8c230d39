// Keys from a seed: the same seed gives the same keys and thumbprints in two separate processes, another seed other
// ones; the cache returns what derivation gives and survives a damaged entry.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem } from './key-algorithm.js';
import { readCachedKey } from './key-cache.js';
import { DERIVATION_VERSION, deriveKeyPair, deriveP256Jwk, deriveRsaJwk } from './seeded-key.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
const freshDir = (): string => { const d = mkdtempSync(join(tmpdir(), 'domsec-keys-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A root, an issuing CA and a leaf, RSA-2048, made in a child process with its own empty key cache: their thumbprints. */
function thumbprintsInAnotherProcess(seed: string): string[] {
  const script = `
    import { CertificateAuthority } from ${JSON.stringify(join(repo, 'src/ca/index.ts'))};
    const now = new Date('2026-03-02T09:00:00Z');
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', algorithm: 'RSA-2048', now, serialSeed: '${seed}/root', keySeed: '${seed}/root' });
    const issuing = await root.createSubordinate({ name: 'Adatum Issuing CA', now, serialSeed: '${seed}/issuing' });
    const leaf = await issuing.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'] });
    console.log(JSON.stringify([root.certificate.thumbprint, issuing.certificate.thumbprint, leaf.certificate.thumbprint, leaf.certificate.keyAlgorithm]));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DOMSEC_KEY_CACHE: freshDir() },
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout.trim()) as string[];
}

describe('keys derived from a seed', () => {
  it('same seed, same thumbprints in two processes; another seed, other thumbprints', () => {
    const first = thumbprintsInAnotherProcess('lab-a');
    const second = thumbprintsInAnotherProcess('lab-a');
    const other = thumbprintsInAnotherProcess('lab-b');
    expect(first[3]).toBe('RSA-2048');
    expect(first.slice(0, 3).every((t) => /^[0-9A-F]{40}$/.test(t))).toBe(true);
    expect(second).toEqual(first);
    for (let i = 0; i < 3; i++) expect(other[i]).not.toBe(first[i]);
  }, 90_000);

  it('derives RSA keys of the asked size that sign and verify, one per seed', () => {
    const a = deriveRsaJwk(1024, 'a');
    expect(deriveRsaJwk(1024, 'a')).toEqual(a);
    expect(deriveRsaJwk(1024, 'b').n).not.toBe(a.n);
    const key = createPrivateKey({ key: a as never, format: 'jwk' });
    expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 1024, publicExponent: 65537n });
    const sig = sign('sha256', Buffer.from('hello'), key);
    expect(verify('sha256', Buffer.from('hello'), createPublicKey(key), sig)).toBe(true);
  });

  it('derives P-256 keys whose public point matches the scalar', async () => {
    const jwk = deriveP256Jwk('edge');
    expect(deriveP256Jwk('edge')).toEqual(jwk);
    expect(deriveP256Jwk('other').d).not.toBe(jwk.d);
    const pub = createPublicKey(createPrivateKey({ key: jwk as never, format: 'jwk' })).export({ format: 'jwk' });
    expect(pub).toMatchObject({ x: jwk.x, y: jwk.y });
    const pair = await deriveKeyPair('ECDSA-P256', 'edge');
    expect(pair.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
  });

  it('keeps RSA keys in the cache (mode 600) and derives again past a damaged entry', async () => {
    const dir = freshDir();
    const before = process.env.DOMSEC_KEY_CACHE;
    process.env.DOMSEC_KEY_CACHE = dir;
    try {
      const seed = `cache-${Date.now()}`;
      const pem = await exportPrivateKeyPem((await deriveKeyPair('RSA-1024', seed)).privateKey);
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^RSA-1024-[0-9a-f]{40}\.json$/);
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
      expect(readCachedKey(DERIVATION_VERSION, 'RSA-1024', seed)).toEqual(deriveRsaJwk(1024, seed));
      writeFileSync(join(dir, file), '{"version":"domsec-key-v1","jwk":{"kty":"RSA"');
      expect(readCachedKey(DERIVATION_VERSION, 'RSA-1024', seed)).toBeUndefined();
      expect(createPrivateKey(pem).export({ format: 'jwk' }).n).toBe(deriveRsaJwk(1024, seed).n);
    } finally {
      if (before === undefined) delete process.env.DOMSEC_KEY_CACHE; else process.env.DOMSEC_KEY_CACHE = before;
    }
  });
});
