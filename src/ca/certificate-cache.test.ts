import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CertificateAuthority } from './authority.js';

const DIR = mkdtempSync(join(tmpdir(), 'domsec-cert-cache-'));
const saved = process.env.DOMSEC_KEY_CACHE;
afterAll(() => {
  if (saved === undefined) delete process.env.DOMSEC_KEY_CACHE;
  else process.env.DOMSEC_KEY_CACHE = saved;
  rmSync(DIR, { recursive: true, force: true });
});

const now = new Date('2026-03-02T09:00:00Z');
/** One organization's PKI as a lab makes it: root, issuing CA, an edge certificate, all from seeds. */
async function pki(seed: string) {
  const root = await CertificateAuthority.createRoot({ name: 'Fabrikam Root CA', algorithm: 'ECDSA-P256', now, keySeed: `${seed}/root`, serialSeed: `${seed}/root` });
  const issuing = await root.createSubordinate({ name: 'Fabrikam Issuing CA', now, keySeed: `${seed}/issuing`, serialSeed: `${seed}/issuing` });
  const leaf = await issuing.issue({ commonName: 'mail.fabrikam.com', dnsNames: ['mail.fabrikam.com'] });
  return { root, issuing, leaf };
}
const thumbprints = (p: Awaited<ReturnType<typeof pki>>) => [p.root.certificate.thumbprint, p.issuing.certificate.thumbprint, p.leaf.certificate.thumbprint];

describe('certificate cache', () => {
  beforeEach(() => { process.env.DOMSEC_KEY_CACHE = DIR; });

  it('gives the same certificates for the same inputs (ECDSA signatures are random, so only the cache can)', async () => {
    const first = await pki('cache-a');
    const second = await pki('cache-a');
    expect(thumbprints(second)).toEqual(thumbprints(first));
    expect(second.leaf.privateKeyPem).toBe(first.leaf.privateKeyPem);
    expect(second.leaf.certificate.isSignedBy(second.issuing.certificate)).toBe(true);
    expect(readdirSync(DIR).filter((f) => f.startsWith('cert-'))).toHaveLength(3);
    // Another input (a name), another certificate.
    const other = await second.issuing.issue({ commonName: 'mail2.fabrikam.com', dnsNames: ['mail2.fabrikam.com'] });
    expect(other.certificate.names).toEqual(['mail2.fabrikam.com']);
  });

  it('makes a damaged entry again, and makes every one anew when switched off', async () => {
    const first = await pki('cache-b');
    for (const f of readdirSync(DIR).filter((x) => x.startsWith('cert-'))) writeFileSync(join(DIR, f), '{"id": "broken"');
    const again = await pki('cache-b');
    expect(again.leaf.certificate.names).toEqual(['mail.fabrikam.com']);
    expect(again.leaf.certificate.isSignedBy(again.issuing.certificate)).toBe(true);
    process.env.DOMSEC_KEY_CACHE = 'off';
    const fresh = await pki('cache-b');
    expect(fresh.root.certificate.thumbprint).not.toBe(first.root.certificate.thumbprint);
    expect(fresh.root.certificate.publicKeyDer).toEqual(first.root.certificate.publicKeyDer);
  });
});
