// The path cache answers only for the very same certificates and roots: signatures are checked once per chain, and a
// changed certificate, a forged issuer or another root set is built afresh.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CertificateAuthority } from './authority.js';
import { Certificate } from './certificate.js';
import { buildPathCached } from './chain-path-cache.js';
import { NOW } from './test-fixtures.js';

describe('buildPathCached', () => {
  let root: CertificateAuthority;
  let issuing: CertificateAuthority;
  let forgedIssuing: CertificateAuthority;
  let leaf: Certificate;
  let forgedLeaf: Certificate;

  beforeAll(async () => {
    root = await CertificateAuthority.createRoot({ name: 'Cache Root CA', now: NOW, serialSeed: 'cache-root' });
    issuing = await root.createSubordinate({ name: 'Cache Issuing CA', serialSeed: 'cache-issuing' });
    leaf = (await issuing.issue({ commonName: 'mail.cache.example', dnsNames: ['mail.cache.example'] })).certificate;
    // Same names as the genuine issuing CA, another key, under a root nobody trusts.
    const otherRoot = await CertificateAuthority.createRoot({ name: 'Cache Root CA', now: NOW, serialSeed: 'forged-root' });
    forgedIssuing = await otherRoot.createSubordinate({ name: 'Cache Issuing CA', serialSeed: 'forged-issuing' });
    forgedLeaf = (await forgedIssuing.issue({ commonName: 'mail.cache.example', dnsNames: ['mail.cache.example'] })).certificate;
  });

  it('checks the signatures of a chain once, however many sessions present it', () => {
    const verify = vi.spyOn(Certificate.prototype, 'isSignedBy');
    try {
      const first = buildPathCached(leaf, [issuing.certificate], [root.certificate]);
      const checked = verify.mock.calls.length;
      expect(first.kind).toBe('trusted');
      expect(checked).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) expect(buildPathCached(leaf, [issuing.certificate], [root.certificate])).toEqual(first);
      expect(verify.mock.calls.length).toBe(checked);
    } finally {
      verify.mockRestore();
    }
  });

  it('misses for another root set: a root taken out of the store is untrusted at once', () => {
    expect(buildPathCached(leaf, [issuing.certificate], [root.certificate]).kind).toBe('trusted');
    const other = buildPathCached(leaf, [issuing.certificate], []);
    expect(other.kind).toBe('untrusted');
  });

  it('misses for a forged issuer of the same name, after the genuine chain was remembered', () => {
    expect(buildPathCached(leaf, [issuing.certificate], [root.certificate]).kind).toBe('trusted');
    expect(buildPathCached(forgedLeaf, [forgedIssuing.certificate], [root.certificate]).kind).toBe('bad-signature');
    expect(buildPathCached(leaf, [forgedIssuing.certificate], [root.certificate]).kind).toBe('bad-signature');
  });

  it('compares the certificates byte for byte: a certificate that only claims a remembered thumbprint misses', () => {
    expect(buildPathCached(leaf, [issuing.certificate], [root.certificate]).kind).toBe('trusted');
    // Another certificate's bytes behind the genuine issuer's thumbprint (what a SHA-1 collision would give).
    const impostor = Object.freeze(Object.assign(Object.create(Certificate.prototype) as Certificate, { ...forgedIssuing.certificate, thumbprint: issuing.certificate.thumbprint }));
    expect(buildPathCached(leaf, [impostor], [root.certificate]).kind).not.toBe('trusted');
  });

  it('knows a frozen store by identity and builds against it afresh once it is replaced (a root taken out is untrusted at once)', () => {
    const store = Object.freeze([root.certificate]);
    expect(buildPathCached(leaf, [issuing.certificate], store).kind).toBe('trusted');
    expect(buildPathCached(forgedLeaf, [forgedIssuing.certificate], store).kind).toBe('bad-signature');
    expect(buildPathCached(leaf, [issuing.certificate], Object.freeze([])).kind).toBe('untrusted');
    expect(buildPathCached(leaf, [issuing.certificate], Object.freeze([issuing.certificate])).kind).toBe('trusted');
  });
});
