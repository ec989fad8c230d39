// Checks validateChain for every ChainStatus, the DS rule it reports, and the order of checks.
import { describe, it, expect, beforeAll } from 'vitest';
import { CertificateAuthority } from './authority.js';
import { Certificate } from './certificate.js';
import type { KeyedCertificate } from './certificate-profile.js';
import { CHAIN_STATUSES, REVOCATION_OFFLINE_INFO, type ChainResult, type ChainStatus, type ValidationOptions } from './chain-status.js';
import { createSelfSigned } from './self-signed.js';
import { NOW } from './test-fixtures.js';
import { validateChain } from './validate-chain.js';

const DAY = 86_400_000;
const ROOT_CRL = 'http://pki.adatum.com/root.crl';
const ISSUING_CRL = 'http://pki.adatum.com/issuing.crl';

function tamper(c: Certificate): Certificate {
  const der = new Uint8Array(c.der);
  der[der.length - 3] ^= 0x01; // inside the signature value
  return Certificate.fromDer(der);
}

describe('validateChain', () => {
  let root: CertificateAuthority;
  let issuing: CertificateAuthority;
  let leaf: KeyedCertificate;
  let crls: () => Record<string, Promise<Uint8Array>>;
  let fetchCrl: (url: string) => Promise<Uint8Array>;
  const seen = new Set<ChainStatus>();

  async function check(o: Partial<ValidationOptions> & { presented: Certificate[] }): Promise<ChainResult> {
    const r = await validateChain({ trustedRoots: [root.certificate], at: NOW, fetchCrl, ...o });
    seen.add(r.status);
    expect(r.rule).toMatch(/^DS-CERT-0[1-6]$/);
    expect(r.ok).toBe(r.status === 'Valid' || r.status === 'ValidSelfSigned');
    return r;
  }

  beforeAll(async () => {
    root = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW, crlUrl: ROOT_CRL, serialSeed: 'root' });
    issuing = await root.createSubordinate({ name: 'Adatum Issuing CA', crlUrl: ISSUING_CRL, serialSeed: 'issuing' });
    leaf = await issuing.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'] });
    crls = () => ({ [ROOT_CRL]: root.crl(), [ISSUING_CRL]: issuing.crl() });
    fetchCrl = (url) => crls()[url] ?? Promise.reject(new Error(`404 ${url}`));
  });

  it('Valid: leaf + presented intermediate up to the trusted root (DS-CERT-06)', async () => {
    const r = await check({ presented: [leaf.certificate, issuing.certificate], domain: 'adatum.com' });
    expect(r).toMatchObject({ ok: true, status: 'Valid', rule: 'DS-CERT-06', info: [] });
    expect(r.chain.map((c) => c.subject)).toEqual(['CN=mail.adatum.com', 'CN=Adatum Issuing CA', 'CN=Adatum Root CA']);
    expect(r.nameMatch).toEqual({ ok: true, rule: 'one-label-below', name: 'mail.adatum.com', domain: 'adatum.com' });
  });

  it('Valid: the intermediate may come from the local store instead of the peer', async () => {
    expect((await check({ presented: [leaf.certificate], intermediates: [issuing.certificate] })).status).toBe('Valid');
  });

  it('ValidSelfSigned: a self-signed leaf imported as trusted', async () => {
    const self = await createSelfSigned({ commonName: 'edge.fabrikam.com', now: NOW });
    const r = await check({ presented: [self.certificate], trustedRoots: [self.certificate], domain: 'fabrikam.com' });
    expect(r).toMatchObject({ ok: true, status: 'ValidSelfSigned', rule: 'DS-CERT-06' });
    expect(r.chain).toHaveLength(1);
  });

  it('EmptyCertificate: nothing presented (DS-CERT-01)', async () => {
    expect(await check({ presented: [] })).toMatchObject({ ok: false, status: 'EmptyCertificate', rule: 'DS-CERT-01', chain: [] });
  });

  it('UntrustedRoot: self-signed leaf not in the store', async () => {
    const self = await createSelfSigned({ commonName: 'edge.fabrikam.com', now: NOW });
    const r = await check({ presented: [self.certificate] });
    expect(r).toMatchObject({ status: 'UntrustedRoot', rule: 'DS-CERT-01' });
    expect(r.detail).toContain('not in the trusted root store');
  });

  it('UntrustedRoot: issuer neither presented nor known', async () => {
    const r = await check({ presented: [leaf.certificate] });
    expect(r.status).toBe('UntrustedRoot');
    expect(r.detail).toContain("issuer 'CN=Adatum Issuing CA'");
    expect(r.chain).toHaveLength(1);
  });

  it("UntrustedRoot: a partner's private root that was never imported", async () => {
    const fabrikam = await CertificateAuthority.createRoot({ name: 'Fabrikam Root CA', now: NOW });
    const k = await fabrikam.issue({ commonName: 'mail.fabrikam.com' });
    const r = await check({ presented: [k.certificate, fabrikam.certificate] });
    expect(r.status).toBe('UntrustedRoot');
    expect(r.chain.map((c) => c.subject)).toEqual(['CN=mail.fabrikam.com', 'CN=Fabrikam Root CA']);
    expect((await check({ presented: [k.certificate], trustedRoots: [fabrikam.certificate] })).status).toBe('Valid');
  });

  it('UntrustedRoot: the named issuer is not a CA', async () => {
    const notCa = await root.issue({ commonName: 'Adatum Issuing CA' });
    const r = await check({ presented: [leaf.certificate, notCa.certificate] });
    expect(r.status).toBe('UntrustedRoot');
    expect(r.detail).toContain('not a CA');
  });

  it('SignatureFailure: signed by an impostor CA with the trusted name', async () => {
    const impostor = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW });
    const k = await impostor.issue({ commonName: 'mail.adatum.com' });
    const r = await check({ presented: [k.certificate] });
    expect(r).toMatchObject({ ok: false, status: 'SignatureFailure', rule: 'DS-CERT-01' });
    expect(r.detail).toContain("its issuer 'CN=Adatum Root CA'");
  });

  it('SignatureFailure: a tampered leaf, and a tampered self-signed certificate', async () => {
    expect((await check({ presented: [tamper(leaf.certificate), issuing.certificate] })).status).toBe('SignatureFailure');
    const self = await createSelfSigned({ commonName: 'edge.fabrikam.com', now: NOW });
    const bad = tamper(self.certificate);
    expect((await check({ presented: [bad] })).status).toBe('SignatureFailure');
    expect((await check({ presented: [bad], trustedRoots: [bad] })).status).toBe('SignatureFailure');
  });

  it('CertificateExpired: expired leaf (DS-CERT-03)', async () => {
    const k = await issuing.issue({ commonName: 'mail.adatum.com', notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    const r = await check({ presented: [k.certificate, issuing.certificate] });
    expect(r).toMatchObject({ status: 'CertificateExpired', rule: 'DS-CERT-03' });
    expect(r.detail).toContain('expired at');
  });

  it('CertificateExpired: not yet valid, and the detail says so', async () => {
    const k = await issuing.issue({ commonName: 'mail.adatum.com', notBefore: new Date(NOW.getTime() + DAY) });
    const r = await check({ presented: [k.certificate, issuing.certificate] });
    expect(r.status).toBe('CertificateExpired');
    expect(r.detail).toContain('not yet valid');
  });

  it('CertificateExpired: any chain member, here the intermediate', async () => {
    const old = await root.createSubordinate({ name: 'Adatum Old CA', notBefore: new Date(NOW.getTime() - 800 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    const k = await old.issue({ commonName: 'mail.adatum.com', notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + DAY) });
    const r = await check({ presented: [k.certificate, old.certificate], revocation: 'off' });
    expect(r.status).toBe('CertificateExpired');
    expect(r.detail).toContain("The CA certificate 'CN=Adatum Old CA' expired");
  });

  it('WrongUsage: no clientAuth (DS-CERT-05); no EKU at all is fine', async () => {
    const serverOnly = await issuing.issue({ commonName: 'mail.adatum.com', ekus: ['serverAuth'] });
    const r = await check({ presented: [serverOnly.certificate, issuing.certificate] });
    expect(r).toMatchObject({ status: 'WrongUsage', rule: 'DS-CERT-05' });
    expect(r.detail).toContain('clientAuth');
    expect((await check({ presented: [serverOnly.certificate, issuing.certificate], requiredEkus: ['serverAuth'] })).status).toBe('Valid');
    const anyUse = await issuing.issue({ commonName: 'mail.adatum.com', ekus: 'none' });
    expect((await check({ presented: [anyUse.certificate, issuing.certificate] })).status).toBe('Valid');
  });

  it("Revoked: the leaf is on its issuer's CRL (DS-CERT-04)", async () => {
    const k = await issuing.issue({ commonName: 'mail.adatum.com' });
    issuing.revoke(k.certificate.serialNumber);
    const r = await check({ presented: [k.certificate, issuing.certificate] });
    expect(r).toMatchObject({ ok: false, status: 'Revoked', rule: 'DS-CERT-04' });
    expect(r.detail).toContain(k.certificate.serialNumber);
    expect((await check({ presented: [k.certificate, issuing.certificate], revocation: 'off' })).status).toBe('Valid');
  });

  it('Revoked: an intermediate revoked by the root', async () => {
    const sub = await root.createSubordinate({ name: 'Adatum Revoked CA' });
    const k = await sub.issue({ commonName: 'mail.adatum.com' });
    root.revoke(sub.certificate.serialNumber);
    const r = await check({ presented: [k.certificate, sub.certificate] });
    expect(r.status).toBe('Revoked');
    expect(r.detail).toContain('Adatum Revoked CA');
  });

  it('RevocationOffline: strict mode with an unreachable CRL', async () => {
    const r = await check({ presented: [leaf.certificate, issuing.certificate], revocation: 'strict', fetchCrl: () => Promise.reject(new Error('connection refused')) });
    expect(r).toMatchObject({ ok: false, status: 'RevocationOffline', rule: 'DS-CERT-04' });
    expect(r.detail).toContain('connection refused');
  });

  it('lenient (default): an unreachable or bad CRL is forgiven with the information line', async () => {
    const unreachable = await check({ presented: [leaf.certificate, issuing.certificate], fetchCrl: () => Promise.reject(new Error('timeout')) });
    expect(unreachable).toMatchObject({ ok: true, status: 'Valid', info: [REVOCATION_OFFLINE_INFO] });
    expect(REVOCATION_OFFLINE_INFO).toBe('CRL validation failed with status RevocationOffline. Treating the failure as success.');
    const noFetcher = await validateChain({ presented: [leaf.certificate, issuing.certificate], trustedRoots: [root.certificate], at: NOW });
    expect(noFetcher).toMatchObject({ status: 'Valid', info: [REVOCATION_OFFLINE_INFO] });
    const wrongSigner = await CertificateAuthority.createRoot({ name: 'Adatum Issuing CA', now: NOW });
    const badlySigned = await check({ presented: [leaf.certificate, issuing.certificate], fetchCrl: () => wrongSigner.crl() });
    expect(badlySigned).toMatchObject({ status: 'Valid', info: [REVOCATION_OFFLINE_INFO] });
    const garbage = await check({ presented: [leaf.certificate, issuing.certificate], revocation: 'strict', fetchCrl: async () => new Uint8Array([1, 2]) });
    expect(garbage.status).toBe('RevocationOffline');
    const throwing = await check({ presented: [leaf.certificate, issuing.certificate], fetchCrl: () => { throw new Error('sync'); } });
    expect(throwing.info).toEqual([REVOCATION_OFFLINE_INFO]);
  });

  it("revocation 'off' fetches nothing", async () => {
    let calls = 0;
    const r = await check({ presented: [leaf.certificate, issuing.certificate], revocation: 'off', fetchCrl: async () => { calls++; return new Uint8Array(); } });
    expect(r).toMatchObject({ status: 'Valid', info: [] });
    expect(calls).toBe(0);
  });

  it('SubjectMismatch: names do not cover the domain (DS-CERT-02)', async () => {
    const r = await check({ presented: [leaf.certificate, issuing.certificate], domain: 'fabrikam.com' });
    expect(r).toMatchObject({ ok: false, status: 'SubjectMismatch', rule: 'DS-CERT-02' });
    expect(r.nameMatch?.ok).toBe(false);
    expect(r.detail).toContain("'fabrikam.com'");
    const twoBelow = await issuing.issue({ commonName: 'a.mail.adatum.com' });
    expect((await check({ presented: [twoBelow.certificate, issuing.certificate], domain: 'adatum.com' })).status).toBe('SubjectMismatch');
  });

  it('follows the contract order when several checks fail', async () => {
    const self = await createSelfSigned({ commonName: 'x.fabrikam.com', now: NOW, notBefore: new Date(NOW.getTime() - 9 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    expect((await check({ presented: [self.certificate] })).status).toBe('UntrustedRoot');
    const expiredServerOnly = await issuing.issue({ commonName: 'mail.adatum.com', ekus: ['serverAuth'], notAfter: new Date(NOW.getTime() - DAY), notBefore: new Date(NOW.getTime() - 9 * DAY) });
    expect((await check({ presented: [expiredServerOnly.certificate, issuing.certificate] })).status).toBe('CertificateExpired');
    const revokedWrongName = await issuing.issue({ commonName: 'mail.adatum.com', ekus: ['serverAuth'] });
    issuing.revoke(revokedWrongName.certificate.serialNumber);
    expect((await check({ presented: [revokedWrongName.certificate, issuing.certificate], domain: 'fabrikam.com' })).status).toBe('WrongUsage');
    const revoked = await issuing.issue({ commonName: 'mail.adatum.com' });
    issuing.revoke(revoked.certificate.serialNumber);
    const r = await check({ presented: [revoked.certificate, issuing.certificate], domain: 'fabrikam.com' });
    expect(r.status).toBe('Revoked');
    expect(r.nameMatch?.ok).toBe(false); // names are still reported for the receiver's DS-RECV-05 check
  });

  it('has covered every ChainStatus', () => {
    expect([...seen].sort()).toEqual([...CHAIN_STATUSES].sort());
  });
});
