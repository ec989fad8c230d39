import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority, type KeyedCertificate } from '../ca/index.js';
import { CertificateStore, servicesString } from './certificate-store.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
let ca: CertificateAuthority;
const issue = (commonName: string, dnsNames: string[], ageDays = 1): Promise<KeyedCertificate> =>
  ca.issue({ commonName, dnsNames, notBefore: new Date(NOW.getTime() - ageDays * DAY), now: NOW });

beforeAll(async () => {
  ca = await CertificateAuthority.createRoot({ name: 'Test Root CA', now: NOW, serialSeed: 'store' });
});

describe('certificate selection (DS-CONF-07)', () => {
  it('prefers an exact name over a wildcard, then the newest NotBefore', async () => {
    const s = new CertificateStore();
    const wild = await issue('*.contoso.com', ['*.contoso.com'], 1);
    const old = await issue('mail.contoso.com', ['mail.contoso.com'], 30);
    const fresh = await issue('mail.contoso.com', ['mail.contoso.com'], 2);
    for (const k of [wild, old, fresh]) s.enable(s.import(k).certificate.thumbprint, ['SMTP'], true);
    const pick = s.selectForFqdn('mail.contoso.com');
    expect(pick.ok && [pick.how, pick.stored.certificate.thumbprint]).toEqual(['exact', fresh.certificate.thumbprint]);
    const other = s.selectForFqdn('mail2.contoso.com');
    expect(other.ok && [other.how, other.stored.certificate.thumbprint]).toEqual(['wildcard', wild.certificate.thumbprint]);
  });

  it('ignores certificates not enabled for SMTP and says why nothing was found', async () => {
    const s = new CertificateStore();
    s.import(await issue('mail.contoso.com', ['mail.contoso.com']));
    expect(s.selectForFqdn('mail.contoso.com')).toMatchObject({ ok: false, reason: 'NoCertificateForFqdn' });
  });

  it('TlsCertificateName overrides the FQDN match', async () => {
    const s = new CertificateStore();
    const k = await issue('relay.contoso.com', ['relay.contoso.com']);
    s.enable(s.import(k).certificate.thumbprint, ['SMTP'], true);
    const pick = s.selectForFqdn('mail.contoso.com', `<I>${k.certificate.issuer}<S>${k.certificate.subject}`);
    expect(pick).toMatchObject({ ok: true, how: 'TlsCertificateName' });
    expect(s.selectForFqdn('mail.contoso.com', '<I>CN=Other CA<S>CN=x')).toMatchObject({ ok: false, reason: 'TlsCertificateNameNotFound' });
  });

  it('services are additive; replacing the default SMTP certificate needs -Force', async () => {
    const s = new CertificateStore();
    const a = s.import(await issue('a.contoso.com', ['a.contoso.com']));
    const b = s.import(await issue('b.contoso.com', ['b.contoso.com']));
    s.enable(a.certificate.thumbprint, ['IIS']);
    expect(servicesString(s.enable(a.certificate.thumbprint, ['SMTP']).services)).toBe('...WS..');
    expect(() => s.enable(b.certificate.thumbprint, ['SMTP'])).toThrow(expect.objectContaining({ code: 'ERR_CONFIRM_REQUIRED' }));
    expect(s.get(b.certificate.thumbprint).services.size).toBe(0);
    s.enable(b.certificate.thumbprint, ['SMTP'], true);
    expect(s.defaultSmtpThumbprint).toBe(b.certificate.thumbprint);
  });

  it('an imported key is never exportable and a certificate without key cannot serve SMTP', async () => {
    const s = new CertificateStore();
    const k = await issue('mail.contoso.com', ['mail.contoso.com']);
    expect(s.import(k).privateKeyExportable).toBe(false);
    const bare = new CertificateStore();
    bare.import({ certificate: k.certificate });
    expect(() => bare.enable(k.certificate.thumbprint, ['SMTP'])).toThrow(expect.objectContaining({ code: 'ERR_CERT_NO_PRIVATE_KEY' }));
  });
});
