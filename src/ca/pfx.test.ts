// Checks PKCS#12 export/import against itself, Node's tls and the openssl CLI.
import { describe, it, expect, beforeAll } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import tls from 'node:tls';
import { isDomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import type { KeyedCertificate } from './certificate-profile.js';
import { exportPfx, importPfx } from './pfx.js';
import { HAS_OPENSSL, runOpenssl } from './openssl-cli.js';
import { NOW, OPENSSL_3DES_PFX_BASE64, OPENSSL_3DES_PFX_PASSWORD, OPENSSL_CERT_THUMBPRINT } from './test-fixtures.js';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; } catch (e) { return isDomsecError(e) ? e.code : 'not-a-DomsecError'; }
  return undefined;
}

function keyMatches(k: KeyedCertificate): boolean {
  const spki = createPublicKey(createPrivateKey(k.privateKeyPem)).export({ type: 'spki', format: 'der' });
  return spki.equals(Buffer.from(k.certificate.publicKeyDer));
}

describe('PFX (PKCS#12)', () => {
  let root: CertificateAuthority;
  let sub: CertificateAuthority;
  let leaf: KeyedCertificate;
  beforeAll(async () => {
    root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    sub = await root.createSubordinate({ name: 'Adatum Issuing CA' });
    leaf = await sub.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'] });
  });

  it('round-trips certificate, chain (root last) and key', async () => {
    const back = await importPfx(await exportPfx(leaf, 'P@ssw0rd'), 'P@ssw0rd');
    expect(back.certificate.thumbprint).toBe(leaf.certificate.thumbprint);
    expect(back.chain.map((c) => c.subject)).toEqual(['CN=Adatum Issuing CA', 'CN=Adatum Root CA']);
    expect(back.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(keyMatches(back)).toBe(true);
  });

  it('says the password is wrong with ERR_PFX_PASSWORD', async () => {
    const pfx = await exportPfx(leaf, 'right');
    try {
      await importPfx(pfx, 'wrong');
      expect.unreachable();
    } catch (e) {
      expect(isDomsecError(e, 'ERR_PFX_PASSWORD')).toBe(true);
      expect((e as Error).message).toBe('The password for the PFX file is wrong. Check the -Password value.');
    }
  });

  it("is accepted by Node's tls (OpenSSL 3) with the password and refused without it", async () => {
    const pfx = Buffer.from(await exportPfx(leaf, 'secret'));
    expect(() => tls.createSecureContext({ pfx, passphrase: 'secret' })).not.toThrow();
    expect(() => tls.createSecureContext({ pfx, passphrase: 'nope' })).toThrow(/mac verify failure/i);
  });

  it('handles empty and non-ASCII passwords', async () => {
    expect(keyMatches(await importPfx(await exportPfx(leaf, ''), ''))).toBe(true);
    const pfx = await exportPfx(leaf, 'pässwörd€');
    expect((await importPfx(pfx, 'pässwörd€')).certificate.thumbprint).toBe(leaf.certificate.thumbprint);
    expect(() => tls.createSecureContext({ pfx: Buffer.from(pfx), passphrase: 'pässwörd€' })).not.toThrow();
  });

  it('exports RSA keys too', async () => {
    const rsa = await root.issue({ commonName: 'rsa.adatum.com', algorithm: 'RSA-1024' });
    const back = await importPfx(await exportPfx(rsa, 'x'), 'x');
    expect(back.certificate.keyAlgorithm).toBe('RSA-1024');
    expect(keyMatches(back)).toBe(true);
  });

  it('reads a Windows-style TripleDES-SHA1 PFX', async () => {
    const bytes = new Uint8Array(Buffer.from(OPENSSL_3DES_PFX_BASE64, 'base64'));
    const k = await importPfx(bytes, OPENSSL_3DES_PFX_PASSWORD);
    expect(k.certificate.thumbprint).toBe(OPENSSL_CERT_THUMBPRINT);
    expect(k.chain).toEqual([]);
    expect(keyMatches(k)).toBe(true);
    expect(await codeOf(importPfx(bytes, 'wrong'))).toBe('ERR_PFX_PASSWORD');
  });

  it('refuses what is not a PFX with ERR_PFX_FORMAT', async () => {
    expect(await codeOf(importPfx(new Uint8Array([1, 2, 3, 4]), 'x'))).toBe('ERR_PFX_FORMAT');
    expect(await codeOf(importPfx(new Uint8Array(), 'x'))).toBe('ERR_PFX_FORMAT');
    expect(await codeOf(importPfx(leaf.certificate.der, 'x'))).toBe('ERR_PFX_FORMAT');
  });

  describe.skipIf(!HAS_OPENSSL)('with the openssl CLI', () => {
    it('openssl pkcs12 reads the export (certificates and key)', async () => {
      const pfx = await exportPfx(leaf, 'x');
      const certs = runOpenssl(['pkcs12', '-in', 'f.pfx', '-passin', 'pass:x', '-nokeys'], { 'f.pfx': pfx });
      expect(certs.status, certs.stderr).toBe(0);
      expect(certs.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
      expect(certs.stdout).toContain('subject=CN = mail.adatum.com');
      const key = runOpenssl(['pkcs12', '-in', 'f.pfx', '-passin', 'pass:x', '-nocerts', '-nodes'], { 'f.pfx': pfx });
      expect(key.status, key.stderr).toBe(0);
      expect(key.stdout).toContain('BEGIN PRIVATE KEY');
      const wrong = runOpenssl(['pkcs12', '-in', 'f.pfx', '-passin', 'pass:y', '-nokeys'], { 'f.pfx': pfx });
      expect(wrong.status).not.toBe(0);
    });

    it('openssl pkcs12 reads a non-ASCII password the same way', async () => {
      const pfx = await exportPfx(leaf, 'pässwörd');
      const out = runOpenssl(['pkcs12', '-in', 'f.pfx', '-passin', 'pass:pässwörd', '-nokeys'], { 'f.pfx': pfx });
      expect(out.status, out.stderr).toBe(0);
    });

    it('imports what `openssl pkcs12 -export` writes, with its chain', async () => {
      const out = runOpenssl(
        ['pkcs12', '-export', '-inkey', 'k.pem', '-in', 'c.pem', '-certfile', 'chain.pem', '-passout', 'pass:Pa55w.rd', '-out', 'o.pfx'],
        { 'k.pem': leaf.privateKeyPem, 'c.pem': leaf.certificate.pem, 'chain.pem': root.certificate.pem + sub.certificate.pem },
      );
      expect(out.status, out.stderr).toBe(0);
      const k = await importPfx(new Uint8Array(out.read('o.pfx')), 'Pa55w.rd');
      expect(k.certificate.thumbprint).toBe(leaf.certificate.thumbprint);
      expect(k.chain.map((c) => c.subject)).toEqual(['CN=Adatum Issuing CA', 'CN=Adatum Root CA']);
      expect(keyMatches(k)).toBe(true);
      expect(await codeOf(importPfx(new Uint8Array(out.read('o.pfx')), 'wrong'))).toBe('ERR_PFX_PASSWORD');
    });

    it('refuses a PFX without a private key with ERR_PFX_FORMAT', async () => {
      const out = runOpenssl(['pkcs12', '-export', '-nokeys', '-in', 'c.pem', '-passout', 'pass:x', '-out', 'o.pfx'], { 'c.pem': leaf.certificate.pem });
      expect(out.status, out.stderr).toBe(0);
      expect(await codeOf(importPfx(new Uint8Array(out.read('o.pfx')), 'x'))).toBe('ERR_PFX_FORMAT');
    });
  });
});
