// Checks the certificate authority: roots, subordinates, issuing, request signing, revocation and CRLs.
import { describe, it, expect } from 'vitest';
import { isDomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import { describeCrl } from './crl.js';
import { createRequest } from './request.js';
import { NOW } from './test-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try { await (typeof p === 'function' ? p() : p); } catch (e) { return isDomsecError(e) ? e.code : 'not-a-DomsecError'; }
  return undefined;
}

describe('CertificateAuthority', () => {
  it('creates a self-signed root valid now-1d .. now+10y', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    const c = root.certificate;
    expect(c.subject).toBe('CN=Adatum Root CA');
    expect(c.isSelfSigned && c.isCa).toBe(true);
    expect(root.chain).toEqual([]);
    expect(c.notBefore.getTime()).toBe(NOW.getTime() - DAY);
    expect(c.notAfter.getTime()).toBe(NOW.getTime() + 3652 * DAY);
  });

  it('gives deterministic serial numbers for a seed', async () => {
    const a = await CertificateAuthority.createRoot({ name: 'A', now: NOW, serialSeed: 'lab-1' });
    const b = await CertificateAuthority.createRoot({ name: 'A', now: NOW, serialSeed: 'lab-1' });
    expect(a.certificate.serialNumber).toBe(b.certificate.serialNumber);
    const la = await a.issue({ commonName: 'x.adatum.com' });
    const lb = await b.issue({ commonName: 'x.adatum.com' });
    expect(la.certificate.serialNumber).toBe(lb.certificate.serialNumber);
    expect(la.certificate.serialNumber).not.toBe(a.certificate.serialNumber);
    expect(la.certificate.serialNumber).toMatch(/^[0-9A-F]{32}$/);
  });

  it('keeps seeded serials in call order when issuing overlaps', async () => {
    const a = await CertificateAuthority.createRoot({ name: 'A', now: NOW, serialSeed: 'overlap' });
    const b = await CertificateAuthority.createRoot({ name: 'A', now: NOW, serialSeed: 'overlap' });
    // The RSA key takes far longer than the P-256 one, so the second call finishes first.
    const [slow, fast] = await Promise.all([a.issue({ commonName: 'slow.adatum.com', algorithm: 'RSA-1024' }), a.issue({ commonName: 'fast.adatum.com' })]);
    const first = await b.issue({ commonName: 'x.adatum.com' });
    const second = await b.issue({ commonName: 'y.adatum.com' });
    expect([slow.certificate.serialNumber, fast.certificate.serialNumber]).toEqual([first.certificate.serialNumber, second.certificate.serialNumber]);
  });

  it('issues leaves with the defaults of the contract', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    const k = await root.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com', 'adatum.com'] });
    expect(k.certificate.issuer).toBe('CN=Adatum Root CA');
    expect(k.certificate.ekus).toEqual(['serverAuth', 'clientAuth']);
    expect(k.certificate.notBefore.getTime()).toBe(NOW.getTime() - DAY);
    expect(k.certificate.notAfter.getTime()).toBe(NOW.getTime() + 365 * DAY);
    expect(k.certificate.keyAlgorithm).toBe('ECDSA-P256');
    expect(k.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(k.chain.map((c) => c.thumbprint)).toEqual([root.certificate.thumbprint]);
    expect(k.certificate.crlDistributionPoints).toEqual([]);
  });

  it('honours explicit dates, subject, EKUs and RSA keys', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    const k = await root.issue({
      commonName: 'ignored', subject: 'DC=com,DC=Adatum,CN=mail1.adatum.com', ekus: 'none', algorithm: 'RSA-1024',
      notBefore: new Date('2026-02-01T00:00:00Z'), notAfter: new Date('2026-03-01T00:00:00Z'),
    });
    expect(k.certificate.subject).toBe('CN=mail1.adatum.com, DC=Adatum, DC=com');
    expect(k.certificate.ekus).toBe('any');
    expect(k.certificate.keyAlgorithm).toBe('RSA-1024');
    expect(k.certificate.publicKeySize).toBe(1024);
    expect(k.certificate.notBefore.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('builds a subordinate whose chain and CRL URL are right', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW, crlUrl: 'http://pki.adatum.com/root.crl' });
    const sub = await root.createSubordinate({ name: 'Adatum Issuing CA', crlUrl: 'http://pki.adatum.com/issuing.crl' });
    expect(sub.certificate.issuer).toBe('CN=Adatum Root CA');
    expect(sub.certificate.isCa).toBe(true);
    expect(sub.certificate.crlDistributionPoints).toEqual(['http://pki.adatum.com/root.crl']);
    expect(sub.chain.map((c) => c.subject)).toEqual(['CN=Adatum Root CA']);
    const leaf = await sub.issue({ commonName: 'mail.adatum.com' });
    expect(leaf.chain.map((c) => c.subject)).toEqual(['CN=Adatum Issuing CA', 'CN=Adatum Root CA']);
    expect(leaf.certificate.crlDistributionPoints).toEqual(['http://pki.adatum.com/issuing.crl']);
    expect(leaf.certificate.isSignedBy(sub.certificate)).toBe(true);
  });

  it('signs a request, copying subject and names from it', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW });
    const req = await createRequest({ subjectName: 'DC=com,DC=Contoso,CN=mail1.contoso.com', domainNames: ['mail.contoso.com'] });
    const cert = await root.signRequest(req.csrPem, { ekus: ['serverAuth', 'clientAuth'] });
    expect(cert.subject).toBe('CN=mail1.contoso.com, DC=Contoso, DC=com');
    expect(cert.names).toEqual(['mail1.contoso.com', 'mail.contoso.com']);
    expect(cert.isSignedBy(root.certificate)).toBe(true);
    expect((await root.signRequest(req.csrBase64, { ekus: 'none' })).ekus).toBe('any');
  });

  it('refuses bad requests and options with stable codes', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW });
    expect(await codeOf(root.signRequest('nonsense!'))).toBe('ERR_CSR_FORMAT');
    expect(await codeOf(CertificateAuthority.createRoot({ name: '' }))).toBe('ERR_SUBJECT_NAME');
    expect(await codeOf(root.issue({ commonName: '' }))).toBe('ERR_SUBJECT_NAME');
    expect(await codeOf(root.issue({ commonName: 'a.b', dnsNames: ['bad name'] }))).toBe('ERR_SUBJECT_NAME');
    expect(await codeOf(root.issue({ commonName: 'a.b', notBefore: new Date('2027-01-01'), notAfter: new Date('2026-01-01') }))).toBe('ERR_CERT_FORMAT');
    expect(await codeOf(() => root.revoke('not hex'))).toBe('ERR_CERT_FORMAT');
  });

  it('revokes serials in any spelling and lists them in a signed CRL', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    const k = await root.issue({ commonName: 'mail.adatum.com' });
    const serial = k.certificate.serialNumber;
    expect(root.isRevoked(serial)).toBe(false);
    expect(describeCrl(await root.crl()).serialNumbers).toEqual([]);
    root.revoke(serial.toLowerCase());
    expect(root.isRevoked(serial)).toBe(true);
    expect(root.isRevoked(`00${serial}`)).toBe(true);
    const summary = describeCrl(await root.crl(NOW, new Date(NOW.getTime() + DAY)));
    expect(summary).toEqual({ issuer: 'CN=Adatum Root CA', thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + DAY), serialNumbers: [serial] });
    expect(root.revokedSerials()).toEqual([{ serialNumber: serial, revokedAt: NOW }]);
  });

  it('follows a live clock when given one', async () => {
    let t = NOW;
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', clock: () => t });
    t = new Date(NOW.getTime() + 10 * DAY);
    const k = await root.issue({ commonName: 'mail.adatum.com' });
    expect(k.certificate.notBefore.getTime()).toBe(t.getTime() - DAY);
    expect(describeCrl(await root.crl()).thisUpdate).toEqual(t);
  });

  it('exports itself and can be rebuilt from the export to issue more', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    const again = await CertificateAuthority.fromKeyed(await root.exportKeyed(), { now: NOW });
    const k = await again.issue({ commonName: 'mail.adatum.com' });
    expect(k.certificate.isSignedBy(root.certificate)).toBe(true);
    const leaf = await root.issue({ commonName: 'x.adatum.com' });
    expect(await codeOf(CertificateAuthority.fromKeyed(leaf))).toBe('ERR_CERT_FORMAT');
  });
});
