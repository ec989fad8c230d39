// Checks CRL building and the per-certificate CRL verdicts that DS-CERT-04 relies on.
import { describe, it, expect, beforeAll } from 'vitest';
import { isDomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import type { Certificate } from './certificate.js';
import { verify } from 'node:crypto';
import { buildCrl, buildCrlThroughX509, checkCrl, type CrlParams, describeCrl } from './crl.js';
import { toArrayBuffer } from './bytes.js';
import { webcrypto, x509 } from './crypto-provider.js';
import { childrenOf, contentsOf, elementOf, readTlv } from './der-reader.js';
import { HAS_OPENSSL, runOpenssl } from './openssl-cli.js';
import { toPem } from './pem.js';
import { NOW } from './test-fixtures.js';

const DAY = 86_400_000;

describe('CRL', () => {
  let ca: CertificateAuthority;
  let other: CertificateAuthority;
  let leaf: Certificate;
  beforeAll(async () => {
    ca = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    other = await CertificateAuthority.createRoot({ name: 'Fabrikam Root CA', now: NOW });
    leaf = (await ca.issue({ commonName: 'mail.adatum.com' })).certificate;
  });

  it('says good for a serial not on the CRL and revoked once it is', async () => {
    const fresh = await CertificateAuthority.createRoot({ name: 'Adatum Root CA 2', now: NOW });
    const l = (await fresh.issue({ commonName: 'a.adatum.com' })).certificate;
    expect(await checkCrl(await fresh.crl(), l, fresh.certificate, NOW)).toEqual({ status: 'good' });
    fresh.revoke(l.serialNumber, new Date(NOW.getTime() - DAY));
    expect(await checkCrl(await fresh.crl(), l, fresh.certificate, NOW)).toEqual({ status: 'revoked', revokedAt: new Date(NOW.getTime() - DAY) });
  });

  it('calls a CRL unusable when unparseable, from another issuer, badly signed or stale', async () => {
    expect(await checkCrl(new Uint8Array([1, 2, 3]), leaf, ca.certificate, NOW)).toMatchObject({ status: 'unusable', reason: expect.stringContaining('parsed') });
    expect(await checkCrl(await other.crl(), leaf, ca.certificate, NOW)).toMatchObject({ status: 'unusable', reason: expect.stringContaining('Fabrikam Root CA') });
    const tampered = await ca.crl();
    expect(await checkCrl(tampered, leaf, ca.certificate, NOW)).toEqual({ status: 'good' });
    // The same bytes object, changed in place after it was checked: judged again, not answered from memory.
    tampered[tampered.length - 2] ^= 0x01;
    expect(await checkCrl(tampered, leaf, ca.certificate, NOW)).toMatchObject({ status: 'unusable', reason: expect.stringContaining('signature') });
    const stale = await ca.crl(new Date(NOW.getTime() - 10 * DAY), new Date(NOW.getTime() - DAY));
    expect(await checkCrl(stale, leaf, ca.certificate, NOW)).toMatchObject({ status: 'unusable', reason: expect.stringContaining('expired') });
  });

  it('checks the signatures of RSA and ECDSA CAs, and refuses a CRL whose two algorithm fields differ', async () => {
    const rsa = await CertificateAuthority.createRoot({ name: 'Woodgrove Root CA', now: NOW, algorithm: 'RSA-2048' });
    const ec = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW, algorithm: 'ECDSA-P256' });
    for (const authority of [rsa, ec]) {
      const l = (await authority.issue({ commonName: 'mail.woodgrovebank.com' })).certificate;
      authority.revoke(l.serialNumber, new Date(NOW.getTime() - DAY));
      const crl = await authority.crl();
      expect(await checkCrl(crl, l, authority.certificate, NOW)).toEqual({ status: 'revoked', revokedAt: new Date(NOW.getTime() - DAY) });
      const forged = Uint8Array.from(crl);
      forged[forged.length - 10] ^= 0x01; // inside the signature (an ECDSA one's s)
      expect(await checkCrl(forged, l, authority.certificate, NOW)).toMatchObject({ status: 'unusable', reason: expect.stringContaining('signature') });
    }
    // sha256WithRSAEncryption (…01 01 0b) inside the signed part, sha384WithRSAEncryption outside: never trusted.
    const crl = await rsa.crl();
    const oid = Buffer.from('06092a864886f70d01010b', 'hex');
    const outer = Buffer.from(crl).lastIndexOf(oid);
    expect(outer).toBeGreaterThan(Buffer.from(crl).indexOf(oid));
    const mixed = Uint8Array.from(crl);
    mixed[outer + oid.length - 1] = 0x0c;
    expect(await checkCrl(mixed, leaf, rsa.certificate, NOW)).toMatchObject({ status: 'unusable', reason: expect.stringContaining('signature') });
    expect(await checkCrl(crl, leaf, rsa.certificate, NOW)).toEqual({ status: 'good' });
  });

  it('writes byte for byte the CRL @peculiar/x509 writes for the same inputs (RSA signs deterministically), and the same signed part with ECDSA', async () => {
    const keys = {
      rsa: await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, false, ['sign', 'verify']) as CryptoKeyPair,
      ec: await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']) as CryptoKeyPair,
      // A key imported with another hash signs with it: the CRL must name that algorithm.
      rsa384: await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' }, false, ['sign', 'verify']) as CryptoKeyPair,
    };
    const at = new Date(Date.UTC(2026, 2, 2, 9, 0, 0, 123)); // milliseconds are not written
    const variants: Omit<CrlParams, 'signingKey'>[] = [
      { issuerDer: ca.certificate.subjectDer, thisUpdate: at, nextUpdate: new Date(at.getTime() + 7 * DAY), crlNumber: 1, entries: [] },
      {
        issuerDer: leaf.subjectDer, issuerKeyId: ca.certificate.subjectKeyId!, thisUpdate: at, nextUpdate: new Date(Date.UTC(2051, 0, 2, 3, 4, 5, 678)), crlNumber: 128,
        entries: [{ serialNumber: '01', revokedAt: at }, { serialNumber: 'ff', revokedAt: new Date(Date.UTC(1999, 11, 31, 23, 59, 59)) }, { serialNumber: '7A:3E:10:00:00:00:00:00:00:2F', revokedAt: new Date(Date.UTC(2050, 0, 1)) }],
      },
      { issuerDer: ca.certificate.subjectDer, issuerKeyId: 'ABCDEF0123', thisUpdate: at, nextUpdate: at, crlNumber: 65_535, entries: [{ serialNumber: leaf.serialNumber, revokedAt: at }] },
    ];
    const signedPart = (der: Uint8Array) => elementOf(der, childrenOf(der, readTlv(der, 0))[0]!);
    for (const v of variants) {
      for (const key of [keys.rsa, keys.rsa384]) {
        expect(Buffer.from(await buildCrl({ ...v, signingKey: key.privateKey }))).toEqual(Buffer.from(await buildCrlThroughX509({ ...v, signingKey: key.privateKey })));
      }
      const ours = await buildCrl({ ...v, signingKey: keys.ec.privateKey });
      expect(Buffer.from(signedPart(ours))).toEqual(Buffer.from(signedPart(await buildCrlThroughX509({ ...v, signingKey: keys.ec.privateKey }))));
      const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.ec.publicKey));
      expect(verify('sha256', signedPart(ours), { key: Buffer.from(spki), format: 'der', type: 'spki' }, Buffer.from(contentsOf(ours, childrenOf(ours, readTlv(ours, 0))[2]!)).subarray(1))).toBe(true);
    }
  });

  it('reads every entry as @peculiar/x509 reads it: serials, UTCTime and GeneralizedTime dates, nextUpdate', async () => {
    const authority = await CertificateAuthority.createRoot({ name: 'Trey Research Root CA', now: NOW });
    const revoked = { '01': new Date(Date.UTC(1999, 11, 31, 23, 59, 59)), 'FF': NOW, '7A3E100000000000002F': new Date(Date.UTC(2050, 0, 1)), [leaf.serialNumber]: new Date(NOW.getTime() - DAY) };
    for (const [serial, at] of Object.entries(revoked)) authority.revoke(serial, at);
    const crl = await authority.crl(NOW, new Date(Date.UTC(2051, 5, 1)));
    const reference = new x509.X509Crl(toArrayBuffer(crl));
    expect(reference.entries).toHaveLength(4);
    for (const e of reference.entries) {
      const serial = { serialNumber: e.serialNumber } as Certificate; // all a check reads of the certificate
      expect(await checkCrl(crl, serial, authority.certificate, NOW)).toEqual({ status: 'revoked', revokedAt: e.revocationDate });
    }
    expect(await checkCrl(crl, { serialNumber: '02' } as Certificate, authority.certificate, NOW)).toEqual({ status: 'good' });
    const after = new Date(reference.nextUpdate!.getTime() + 1000);
    expect(await checkCrl(crl, leaf, authority.certificate, after)).toMatchObject({ status: 'unusable', reason: `the CRL expired at ${reference.nextUpdate!.toISOString()} (nextUpdate)` });
  });

  it('describes a CRL and refuses non-CRLs with ERR_CERT_FORMAT', async () => {
    expect(describeCrl(await ca.crl()).issuer).toBe('CN=Adatum Root CA');
    try { describeCrl(new Uint8Array([0])); expect.unreachable(); } catch (e) { expect(isDomsecError(e, 'ERR_CERT_FORMAT')).toBe(true); }
  });

  it.skipIf(!HAS_OPENSSL)('is a v2 CRL OpenSSL verifies and uses', async () => {
    const issuing = await CertificateAuthority.createRoot({ name: 'Adatum Issuing', now: NOW });
    const l = (await issuing.issue({ commonName: 'mail.adatum.com' })).certificate;
    issuing.revoke(l.serialNumber);
    const crl = await issuing.crl(NOW, new Date(NOW.getTime() + DAY));
    const text = runOpenssl(['crl', '-inform', 'DER', '-in', 'c.crl', '-noout', '-text', '-CAfile', 'ca.pem'], { 'c.crl': crl, 'ca.pem': issuing.certificate.pem });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stderr + text.stdout).toContain('verify OK');
    expect(text.stdout).toContain('Version 2');
    expect(text.stdout).toContain(l.serialNumber);
    const verify = runOpenssl(['verify', '-crl_check', '-attime', String(NOW.getTime() / 1000), '-CAfile', 'ca.pem', '-CRLfile', 'c.pem', 'l.pem'],
      { 'ca.pem': issuing.certificate.pem, 'c.pem': toPem(crl, 'X509 CRL'), 'l.pem': l.pem });
    expect(verify.stdout + verify.stderr).toContain('certificate revoked');
  });
});
