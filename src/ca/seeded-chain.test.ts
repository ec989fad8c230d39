// Everything that consumes keys works with seed-derived RSA-2048 keys: chain verification, PFX both ways, requests
// signed by the CA, CRLs, judged by src/ca and by the openssl CLI (skipped without openssl, as the other openssl tests).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from './authority.js';
import { Certificate } from './certificate.js';
import { HAS_OPENSSL, runOpenssl } from './openssl-cli.js';
import { exportPfx, importPfx } from './pfx.js';
import { createRequest } from './request.js';
import { validateChain } from './validate-chain.js';

const now = new Date('2026-03-02T09:00:00Z');

async function seededChain(seed: string) {
  const root = await CertificateAuthority.createRoot({ name: 'Seeded Root CA', algorithm: 'RSA-2048', now, keySeed: `${seed}/root`, serialSeed: `${seed}/root` });
  const issuing = await root.createSubordinate({ name: 'Seeded Issuing CA', serialSeed: `${seed}/issuing` });
  const leaf = await issuing.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'] });
  return { root, issuing, leaf };
}

describe('seed-derived RSA-2048 keys in use', () => {
  it('issue a valid chain whose every member is RSA-2048, and survive a PFX round trip', async () => {
    const { root, issuing, leaf } = await seededChain('in-use');
    expect([root.certificate, issuing.certificate, leaf.certificate].map((c) => c.keyAlgorithm)).toEqual(['RSA-2048', 'RSA-2048', 'RSA-2048']);
    const r = await validateChain({ presented: [leaf.certificate, issuing.certificate], trustedRoots: [root.certificate], at: now, revocation: 'off', domain: 'adatum.com' });
    expect(r.status).toBe('Valid');
    const back = await importPfx(await exportPfx(leaf, 'P@ssw0rd'), 'P@ssw0rd');
    expect(back.certificate.thumbprint).toBe(leaf.certificate.thumbprint);
    expect(createPrivateKey(back.privateKeyPem).export({ format: 'jwk' }).n).toBe(createPrivateKey(leaf.privateKeyPem).export({ format: 'jwk' }).n);
  });

  it('sign a seeded request: the certificate carries the request key', async () => {
    const { issuing } = await seededChain('in-use');
    const req = await createRequest({ subjectName: 'CN=mail.adatum.com', keySize: 2048, keySeed: 'in-use/request/0' });
    const again = await createRequest({ subjectName: 'CN=mail.adatum.com', keySize: 2048, keySeed: 'in-use/request/0' });
    expect(again.privateKeyPem).toBe(req.privateKeyPem);
    const cert = await issuing.signRequest(req.csrPem, { now });
    const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('hex');
    expect(spki(cert.pem)).toBe(spki(req.privateKeyPem));
  });

  describe.skipIf(!HAS_OPENSSL)('with the openssl CLI', () => {
    it('openssl verifies the chain, reads the PFX and the CRL, and sees the revoked leaf', async () => {
      const { root, issuing, leaf } = await seededChain('openssl');
      const files = { 'root.pem': root.certificate.pem, 'issuing.pem': issuing.certificate.pem, 'leaf.pem': leaf.certificate.pem };
      const at = String(Math.floor(now.getTime() / 1000));
      expect(runOpenssl(['verify', '-attime', at, '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'leaf.pem'], files).stdout).toContain('leaf.pem: OK');
      const pfx = runOpenssl(['pkcs12', '-in', 'x.pfx', '-passin', 'pass:x', '-nodes'], { 'x.pfx': await exportPfx(leaf, 'x') });
      expect(pfx.stdout).toContain('subject=CN = mail.adatum.com');
      expect(pfx.stdout).toContain('-----BEGIN PRIVATE KEY-----');
      issuing.revoke(leaf.certificate.serialNumber, now);
      const crl = await issuing.crl(now);
      const read = runOpenssl(['crl', '-inform', 'DER', '-in', 'c.crl', '-CAfile', 'issuing.pem', '-noout', '-text'], { ...files, 'c.crl': crl });
      expect(read.stderr).toContain('verify OK');
      expect(read.stdout).toContain(`Serial Number: ${leaf.certificate.serialNumber}`);
      expect(Certificate.fromPem(leaf.certificate.pem).thumbprint).toBe(leaf.certificate.thumbprint);
    });
  });
});
