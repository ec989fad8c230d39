import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority, exportPfx, exportPkcs7, readRequest, type KeyedCertificate } from '../../ca/index.js';
import { contosoOrg, ok, shellFor } from './shell-fixture.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
let root: CertificateAuthority;
let issuing: CertificateAuthority;
let mail1: KeyedCertificate;

beforeAll(async () => {
  root = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW, serialSeed: 'shell/root' });
  issuing = await root.createSubordinate({ name: 'Contoso Issuing CA', now: NOW, serialSeed: 'shell/issuing', crlUrl: 'http://pki.contoso.com/issuing.crl' });
  mail1 = await issuing.issue({ commonName: 'mail1.contoso.com', dnsNames: ['mail1.contoso.com', 'mail.contoso.com'], subject: 'DC=com,DC=Contoso,CN=mail1.contoso.com', now: NOW });
});

/** A Contoso shell on EDGE1 whose clock is NOW; the org trusts its own root unless told otherwise. */
function contoso(o: { trust?: boolean; fetchCrl?: (url: string) => Promise<Uint8Array> } = {}) {
  const org = contosoOrg();
  if (o.trust !== false) org.trustedRoots.add(root.certificate);
  return { org, sh: shellFor(org, { runtime: { now: () => NOW, fetchCrl: o.fetchCrl } }) };
}

describe('New-ExchangeCertificate (DS-CONF-06)', () => {
  it('runs the seed 004 request line: a base64 PKCS#10 file, the CN added to the names, a pending request', async () => {
    const { org, sh } = contoso();
    const r = await ok(sh, 'New-ExchangeCertificate -GenerateRequest -FriendlyName "Internet certificate" -Path c:\\certificates\\request.p7c -SubjectName "DC=com,DC=Contoso,CN=mail1.contoso.com"  -DomainName mail.contoso.com');
    const file = new TextDecoder().decode(sh.files.readFile('C:\\Certificates\\request.p7c'));
    expect(file).toMatch(/^-----BEGIN NEW CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END NEW CERTIFICATE REQUEST-----\n$/);
    expect(r.output).toBe(file.trimEnd());
    expect(readRequest(file)).toMatchObject({ subject: 'CN=mail1.contoso.com, DC=Contoso, DC=com', names: ['mail1.contoso.com', 'mail.contoso.com'], publicKeySize: 2048 });
    expect(r.objects[0]).toMatchObject({ Status: 'PendingRequest', FriendlyName: 'Internet certificate', CertificateDomains: ['mail1.contoso.com', 'mail.contoso.com'] });
    expect((await ok(sh, 'Get-ExchangeCertificate | FL')).output).toMatch(/^Status +: PendingRequest$/m);
    expect(org.edge('EDGE1').certificates.list()).toHaveLength(0);
  });

  it('binds the CA-issued certificate (DER, then a PKCS#7 chain) to the request\'s key on import', async () => {
    const { org, sh } = contoso();
    const req = await ok(sh, 'New-ExchangeCertificate -GenerateRequest -SubjectName "DC=com,DC=Contoso,CN=mail1.contoso.com" -DomainName mail.contoso.com -KeySize 1024 -Path c:\\certificates\\request.req');
    const cert = await issuing.signRequest(req.output, { notBefore: new Date(NOW.getTime() - DAY) });
    sh.files.writeFile('c:\\certificates\\certnew.p7b', exportPkcs7([cert, issuing.certificate, root.certificate]));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\certificates\\certnew.p7b | Enable-ExchangeCertificate -Services SMTP');
    const r = await ok(sh, 'Get-ExchangeCertificate | FL');
    expect(r.objects[0]).toMatchObject({ Thumbprint: cert.thumbprint, HasPrivateKey: true, Status: 'Valid', PublicKeySize: 1024 });
    const stored = org.edge('EDGE1').certificates.get(cert.thumbprint);
    expect(stored.chain.map((c) => c.subject)).toEqual(['CN=Contoso Issuing CA', 'CN=Contoso Root CA']);
    expect(org.edge('EDGE1').certificates.defaultSmtpThumbprint).toBe(cert.thumbprint);
    expect((await ok(sh, 'Get-ExchangeCertificate')).objects).toHaveLength(1); // the request is consumed
  });

  it('binds a PEM certificate without its chain too; one that matches no request is imported without a key', async () => {
    const { sh } = contoso();
    const req = await ok(sh, 'New-ExchangeCertificate -GenerateRequest -SubjectName "CN=mail1.contoso.com" -KeySize 1024');
    const cert = await issuing.signRequest(req.output);
    sh.files.writeFile('c:\\certnew.cer', new TextEncoder().encode(cert.pem));
    expect((await ok(sh, 'Import-ExchangeCertificate -Path c:\\certnew.cer')).objects[0]).toMatchObject({ HasPrivateKey: true, CertificateDomains: ['mail1.contoso.com'] });
    sh.files.writeFile('c:\\stray.cer', mail1.certificate.der);
    expect((await ok(sh, 'Import-ExchangeCertificate -Path c:\\stray.cer')).objects[0]).toMatchObject({ HasPrivateKey: false });
    sh.files.writeFile('c:\\junk.bin', new Uint8Array([1, 2, 3]));
    expect((await sh.run('Import-ExchangeCertificate -Path c:\\junk.bin')).error?.code).toBe('ERR_CERT_FORMAT');
  });

  it('without -GenerateRequest makes a self-signed certificate enabled for IMAP, POP and SMTP', async () => {
    const { org, sh } = contoso();
    const r = await ok(sh, 'New-ExchangeCertificate -SubjectName "CN=mail1.contoso.com" -DomainName mail.contoso.com -KeySize 1024 -PrivateKeyExportable $true');
    expect(r.objects[0]).toMatchObject({ IsSelfSigned: true, Status: 'Valid', Services: 'IMAP, POP, SMTP', PrivateKeyExportable: true, CertificateDomains: ['mail1.contoso.com', 'mail.contoso.com'] });
    expect(org.edge('EDGE1').certificates.defaultSmtpThumbprint).toBe((r.objects[0] as { Thumbprint: string }).Thumbprint);
    const again = await sh.run('New-ExchangeCertificate -KeySize 1024');
    expect(again.error?.code).toBe('ERR_CONFIRM_REQUIRED');
    expect(org.edge('EDGE1').certificates.list()).toHaveLength(1);
  });

  it('refuses a bad subject name and key size before making anything', async () => {
    const { sh } = contoso();
    expect((await sh.run('New-ExchangeCertificate -GenerateRequest -SubjectName "XX=nope"')).error?.code).toBe('ERR_SUBJECT_NAME');
    expect((await sh.run('New-ExchangeCertificate -GenerateRequest -SubjectName "CN=a.com" -KeySize 512')).error?.code).toBe('ERR_KEY_SIZE');
    expect((await ok(sh, 'Get-ExchangeCertificate')).objects).toHaveLength(0);
  });
});

describe('Import-/Enable-/Get-ExchangeCertificate (DS-CONF-06)', () => {
  it('runs the seed 004 pipeline: Import-ExchangeCertificate -Path c:\\certificates\\import.pfx | Enable-ExchangeCertificate -Services SMTP', async () => {
    const { org, sh } = contoso();
    sh.files.writeFile('c:\\certificates\\import.pfx', await exportPfx(mail1, ''));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\certificates\\import.pfx | Enable-ExchangeCertificate -Services SMTP');
    const stored = org.edge('EDGE1').certificates.get(mail1.certificate.thumbprint);
    expect([...stored.services]).toEqual(['SMTP']);
    expect(stored.privateKeyExportable).toBe(false);
    const table = (await ok(sh, 'Get-ExchangeCertificate')).output.split('\n');
    expect(table[0]).toMatch(/^Thumbprint {31}Services Subject$/);
    expect(table[2]).toBe(`${mail1.certificate.thumbprint} ....S..  CN=mail1.contoso.com, DC=Contoso, DC=com`);
  });

  it('Get-ExchangeCertificate |FL shows the DS-CONF-06 fields', async () => {
    const { sh } = contoso();
    sh.files.writeFile('c:\\certificates\\import.pfx', await exportPfx(mail1, ''));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\certificates\\import.pfx');
    const fl = (await ok(sh, 'Get-ExchangeCertificate |FL')).output;
    for (const field of ['CertificateDomains', 'HasPrivateKey', 'IsSelfSigned', 'Issuer', 'NotAfter', 'NotBefore', 'PublicKeySize', 'SerialNumber', 'Status', 'Subject', 'Thumbprint']) {
      expect(fl).toMatch(new RegExp(`^${field} +: `, 'm'));
    }
    expect(fl).toMatch(/^CertificateDomains +: \{mail1\.contoso\.com, mail\.contoso\.com\}$/m);
    expect(fl).toMatch(/^Services +: None$/m);
    expect(fl).toMatch(/^Status +: Valid$/m);
    expect(fl).toMatch(/^NotBefore +: 3\/1\/2026 9:00:00 AM$/m);
  });

  it('needs -Password for a protected PFX, and says which parameter', async () => {
    const { org, sh } = contoso();
    sh.files.writeFile('c:\\certificates\\import.pfx', await exportPfx(mail1, 'P@ssw0rd'));
    const none = await sh.run('Import-ExchangeCertificate -Path c:\\certificates\\import.pfx');
    expect(none.error).toEqual({ code: 'ERR_PFX_PASSWORD', message: "The PFX file 'c:\\certificates\\import.pfx' is protected by a password. Run the command again with -Password." });
    expect((await sh.run('Import-ExchangeCertificate -Path c:\\certificates\\import.pfx -Password wrong')).error?.message).toContain('Check the -Password value');
    expect(org.edge('EDGE1').certificates.list()).toHaveLength(0);
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\certificates\\import.pfx -Password (ConvertTo-SecureString -String "P@ssw0rd" -AsPlainText -Force)');
    expect(org.edge('EDGE1').certificates.list()).toHaveLength(1);
    expect((await sh.run('Import-ExchangeCertificate -Path c:\\certificates\\missing.pfx')).error?.code).toBe('ERR_SHELL_FILE');
  });

  it('Enable-ExchangeCertificate asks for -Force before replacing the default SMTP certificate', async () => {
    const { org, sh } = contoso();
    const other = await issuing.issue({ commonName: 'mail1.contoso.com', now: NOW });
    sh.files.writeFile('c:\\a.pfx', await exportPfx(mail1, ''));
    sh.files.writeFile('c:\\b.pfx', await exportPfx(other, ''));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\a.pfx | Enable-ExchangeCertificate -Services SMTP');
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\b.pfx');
    const r = await sh.run(`Enable-ExchangeCertificate -Thumbprint ${other.certificate.thumbprint} -Services SMTP`);
    expect(r.error?.code).toBe('ERR_CONFIRM_REQUIRED');
    expect(org.edge('EDGE1').certificates.defaultSmtpThumbprint).toBe(mail1.certificate.thumbprint);
    await ok(sh, `Enable-ExchangeCertificate ${other.certificate.thumbprint} -Services IIS,SMTP -Force`);
    expect(org.edge('EDGE1').certificates.defaultSmtpThumbprint).toBe(other.certificate.thumbprint);
    expect((await ok(sh, `Get-ExchangeCertificate ${other.certificate.thumbprint}`)).output).toContain('...WS..');
    expect((await ok(sh, 'Get-ExchangeCertificate -DomainName MAIL.contoso.com')).objects).toHaveLength(1);
    expect((await ok(sh, 'Get-ExchangeCertificate -DomainName nowhere.com')).objects).toHaveLength(0);
  });

  it('runs the seed 004 Enable line; a thumbprint that is not in the store is ObjectNotFound', async () => {
    const { sh } = contoso();
    const r = await sh.run('Enable-ExchangeCertificate -Thumbprint AB493A0C9A6C0327162FE04EF74609CB8FB7FE24 -Services SMTP');
    expect(r.error?.code).toBe('ERR_CERT_NOT_FOUND');
    expect(r.output).toContain('ObjectNotFound: (:) [Enable-ExchangeCertificate], ManagementObjectNotFoundException');
    expect((await sh.run('Enable-ExchangeCertificate -Thumbprint AB49 -Services SMTP')).error?.code).toBe('ERR_PARAMETER_VALUE');
    expect((await sh.run('Enable-ExchangeCertificate -Thumbprint AB493A0C9A6C0327162FE04EF74609CB8FB7FE24')).error?.message)
      .toBe('Cannot process command because of one or more missing mandatory parameters: Services.');
  });

  it('shows Status Untrusted, DateInvalid and Revoked from the organization\'s trust and the clock', async () => {
    const untrusted = contoso({ trust: false });
    untrusted.sh.files.writeFile('c:\\a.pfx', await exportPfx(mail1, ''));
    expect((await ok(untrusted.sh, 'Import-ExchangeCertificate -Path c:\\a.pfx')).objects[0]).toMatchObject({ Status: 'Untrusted' });

    const expired = await issuing.issue({ commonName: 'old.contoso.com', notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    const dated = contoso();
    dated.sh.files.writeFile('c:\\old.pfx', await exportPfx(expired, ''));
    expect((await ok(dated.sh, 'Import-ExchangeCertificate -Path c:\\old.pfx')).objects[0]).toMatchObject({ Status: 'DateInvalid' });

    const ca = await root.createSubordinate({ name: 'Revoking CA', now: NOW, serialSeed: 'shell/revoking', crlUrl: 'http://pki.contoso.com/revoking.crl' });
    const leaf = await ca.issue({ commonName: 'gone.contoso.com', now: NOW });
    ca.revoke(leaf.certificate.serialNumber, NOW);
    const crls: Record<string, () => Promise<Uint8Array>> = { 'http://pki.contoso.com/revoking.crl': () => ca.crl(NOW) };
    const revoked = contoso({ fetchCrl: (url) => (crls[url] ?? (() => Promise.reject(new Error('offline'))))() });
    revoked.sh.files.writeFile('c:\\gone.pfx', await exportPfx(leaf, ''));
    expect((await ok(revoked.sh, 'Import-ExchangeCertificate -Path c:\\gone.pfx')).objects[0]).toMatchObject({ Status: 'Revoked' });
  });

  it('Remove-ExchangeCertificate takes it out of the store', async () => {
    const { org, sh } = contoso();
    sh.files.writeFile('c:\\a.pfx', await exportPfx(mail1, ''));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\a.pfx | Remove-ExchangeCertificate');
    expect(org.edge('EDGE1').certificates.list()).toHaveLength(0);
  });
});

describe('a pipeline that fails half-way', () => {
  it('Import … | Enable … without -Force leaves neither the import nor the enable behind', async () => {
    const { org, sh } = contoso();
    const other = await issuing.issue({ commonName: 'mail1.contoso.com', now: NOW });
    sh.files.writeFile('c:\\a.pfx', await exportPfx(mail1, ''));
    sh.files.writeFile('c:\\b.pfx', await exportPfx(other, ''));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\a.pfx | Enable-ExchangeCertificate -Services SMTP');
    const r = await sh.run('Import-ExchangeCertificate -Path c:\\b.pfx | Enable-ExchangeCertificate -Services SMTP');
    expect(r.error?.code).toBe('ERR_CONFIRM_REQUIRED');
    expect(org.edge('EDGE1').certificates.list().map((i) => i.certificate.thumbprint)).toEqual([mail1.certificate.thumbprint]);
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\b.pfx | Enable-ExchangeCertificate -Services SMTP -Force');
    expect(org.edge('EDGE1').certificates.defaultSmtpThumbprint).toBe(other.certificate.thumbprint);
  });
});
