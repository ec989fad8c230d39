// Checks what Certificate reads from DER/PEM, against certificates made here and by OpenSSL.
import { describe, it, expect, beforeAll } from 'vitest';
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { isDomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import { Certificate } from './certificate.js';
import { NOW, OPENSSL_CERT_PEM, OPENSSL_CERT_THUMBPRINT } from './test-fixtures.js';

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return isDomsecError(e) ? e.code : 'not-a-DomsecError'; }
  return undefined;
}

describe('Certificate', () => {
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW, serialSeed: 'cert-test', crlUrl: 'http://pki.adatum.com/root.crl' });
  });

  it('reads a certificate made by OpenSSL', () => {
    const c = Certificate.fromPem(OPENSSL_CERT_PEM);
    expect(c.subject).toBe('CN=mail.fabrikam.com, DC=Fabrikam, DC=com');
    expect(c.issuer).toBe(c.subject);
    expect(c.commonName).toBe('mail.fabrikam.com');
    expect(c.dnsNames).toEqual(['mail.fabrikam.com']);
    expect(c.names).toEqual(['mail.fabrikam.com']);
    expect(c.serialNumber).toBe('008F0102');
    expect(c.thumbprint).toBe(OPENSSL_CERT_THUMBPRINT);
    expect(c.ekus).toBe('any');
    expect(c.isSelfSigned).toBe(true);
    expect(c.isCa).toBe(true);
    expect(c.crlDistributionPoints).toEqual([]);
    expect(c.keyAlgorithm).toBe('ECDSA-P256');
    expect(c.publicKeySize).toBe(256);
  });

  it('has a SHA-1 thumbprint equal to what Node/OpenSSL compute', async () => {
    const { certificate } = await ca.issue({ commonName: 'mail.adatum.com' });
    const fp = new NodeX509Certificate(Buffer.from(certificate.der)).fingerprint.replace(/:/g, '');
    expect(certificate.thumbprint).toBe(fp);
    expect(certificate.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('round-trips through PEM and DER', async () => {
    const { certificate } = await ca.issue({ commonName: 'mail.adatum.com' });
    expect(Certificate.fromPem(certificate.pem).thumbprint).toBe(certificate.thumbprint);
    expect(Certificate.fromDer(certificate.der).equals(certificate)).toBe(true);
    expect(Certificate.fromPemBundle(certificate.pem + ca.certificate.pem).map((c) => c.subject)).toEqual(['CN=mail.adatum.com', 'CN=Adatum Root CA']);
  });

  it('names = CN (when DNS-like) + DNS SANs, de-duplicated; CN-only and SAN-only certificates', async () => {
    const cnOnly = (await ca.issue({ commonName: 'mail.adatum.com' })).certificate;
    expect(cnOnly.dnsNames).toEqual([]);
    expect(cnOnly.names).toEqual(['mail.adatum.com']);
    const sanOnly = (await ca.issue({ commonName: 'Adatum Edge', dnsNames: ['edge1.adatum.com', 'adatum.com'] })).certificate;
    expect(sanOnly.commonName).toBe('Adatum Edge');
    expect(sanOnly.names).toEqual(['edge1.adatum.com', 'adatum.com']);
    const both = (await ca.issue({ commonName: 'Mail.Adatum.com', dnsNames: ['mail.adatum.com', '*.adatum.com'] })).certificate;
    expect(both.names).toEqual(['Mail.Adatum.com', '*.adatum.com']);
  });

  it('reports EKUs, CA flag, CDP and key facts of issued certificates', async () => {
    const leaf = (await ca.issue({ commonName: 'mail.adatum.com', ekus: ['serverAuth'] })).certificate;
    expect(leaf.ekus).toEqual(['serverAuth']);
    expect(leaf.isCa).toBe(false);
    expect(leaf.isSelfSigned).toBe(false);
    expect(leaf.crlDistributionPoints).toEqual(['http://pki.adatum.com/root.crl']);
    expect(leaf.authorityKeyId).toBe(ca.certificate.subjectKeyId);
    expect((await ca.issue({ commonName: 'x.adatum.com', ekus: 'none' })).certificate.ekus).toBe('any');
    expect(ca.certificate.isCa).toBe(true);
    expect(ca.certificate.isSelfSigned).toBe(true);
  });

  it('checks signatures and time windows', async () => {
    const leaf = (await ca.issue({ commonName: 'mail.adatum.com' })).certificate;
    expect(leaf.isSignedBy(ca.certificate)).toBe(true);
    expect(leaf.isSignedBy(leaf)).toBe(false);
    expect(leaf.isIssuedBy(ca.certificate)).toBe(true);
    expect(leaf.isTimeValid(NOW)).toBe(true);
    expect(leaf.isTimeValid(new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it('refuses what is not a certificate with ERR_CERT_FORMAT', () => {
    expect(code(() => Certificate.fromPem('hello'))).toBe('ERR_CERT_FORMAT');
    expect(code(() => Certificate.fromPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'))).toBe('ERR_CERT_FORMAT');
    expect(code(() => Certificate.fromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))).toBe('ERR_CERT_FORMAT');
    expect(code(() => Certificate.fromDer(new Uint8Array([1, 2, 3])))).toBe('ERR_CERT_FORMAT');
    expect(code(() => Certificate.fromDer(new Uint8Array()))).toBe('ERR_CERT_FORMAT');
  });

  it('is immutable', async () => {
    const leaf = (await ca.issue({ commonName: 'mail.adatum.com', dnsNames: ['a.adatum.com'] })).certificate;
    expect(() => { (leaf as { subject: string }).subject = 'CN=evil'; }).toThrow();
    expect(() => { (leaf.dnsNames as string[]).push('evil.com'); }).toThrow();
  });
});
