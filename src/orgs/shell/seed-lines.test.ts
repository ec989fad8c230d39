// Every EMS command line of seeds 000–004, run as the documents print them (seed 003 has none).
import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority, exportPfx, type KeyedCertificate } from '../../ca/index.js';
import { adatumOrg, contosoOrg, ok, shellFor } from './shell-fixture.js';

const NOW = new Date('2026-03-02T09:00:00Z');
let root: CertificateAuthority;
let mail1: KeyedCertificate;

beforeAll(async () => {
  root = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW, serialSeed: 'seed-lines' });
  mail1 = await root.issue({ commonName: 'mail1.contoso.com', dnsNames: ['mail1.contoso.com', 'mail.contoso.com'], now: NOW });
});

describe('seed 000', () => {
  it.each(['Set-TransportConfig -TLSSendDomainSecureList "domain name"', 'Set-TransportConfig -TLSReceiveDomainSecureList "domain name"'])(
    '%s: the placeholder is refused as an SMTP domain', async (line) => {
      const r = await shellFor(adatumOrg()).run(line);
      expect(r.error).toEqual({ code: 'ERR_INVALID_SMTP_DOMAIN', message: '"domain name" isn\'t a valid SMTP domain.' });
    });
});

describe('seeds 001 and 002 (adatum.com side)', () => {
  it('runs the walkthrough lines in order', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    expect((await ok(sh, 'Get-TransportConfig | FL')).output).toMatch(/^TLSSendDomainSecureList +: \{\}$/m);
    // Seed 002 as printed, minus the prose " and" that ends the first line (see the next test for the line with it).
    await ok(sh, 'Set-TransportConfig -TLSSendDomainSecureList adatum.com');
    await ok(sh, 'Set-TransportConfig –TLSReceiveDomainSecureList treyresereach.net');
    expect(org.transport.tlsSendDomainSecureList).toEqual(['adatum.com']);
    expect(org.transport.tlsReceiveDomainSecureList).toEqual(['treyresereach.net']);
    await ok(sh, 'New-SendConnector -Name ConnectorName -Usage Partner -AddressSpaces treyresearch.net');
    expect((await ok(sh, 'Get-SendConnector –identity ConnectorName | FL')).output).toMatch(/^DomainSecureEnabled +: True$/m);
    await ok(sh, 'Set-ReceiveConnector Internet -ProtocolLoggingLevel Verbose');
    await ok(sh, 'Set-SendConnector Internet -ProtocolLoggingLevel Verbose');
    expect(org.edge().receiveConnector('Internet').protocolLoggingLevel).toBe('Verbose');
    expect(org.sendConnector('Internet').protocolLoggingLevel).toBe('Verbose');
  });

  it('the lines as printed with their prose or lost words fail in PowerShell\'s shape and change nothing', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    const cases: [string, string][] = [
      ['Set-TransportConfig -TLSSendDomainSecureList adatum.com and', 'PositionalParameterNotFound'],
      ['Set-TransportConfig -TLSSendDomainSecureList', 'MissingArgument'], // seed 001 lost the domain names
      ['Set-TransportConfig –TLSReceiveDomainSecureList', 'MissingArgument'],
      ['Set-SendConnector –identityConnectorName –DomainSecureEnabled:$true', 'NamedParameterNotFound'],
      ['Set-ReceiveConnector Internet -ProtocolLoggingLevel Verbose, and', 'ParameterArgumentTransformationError'],
      ['Get-SendConnector –identity ConnectorName | FL', 'ERR_CONNECTOR_NOT_FOUND'], // no connector of that name yet
    ];
    const before = JSON.stringify([org.transport.tlsSendDomainSecureList, org.sendConnectors, org.edge().receiveConnectors]);
    for (const [line, fqid] of cases) {
      const r = await sh.run(line);
      expect(r.ok, line).toBe(false);
      expect(r.output, line).toContain(`FullyQualifiedErrorId : ${fqid},`);
    }
    expect(JSON.stringify([org.transport.tlsSendDomainSecureList, org.sendConnectors, org.edge().receiveConnectors])).toBe(before);
  });
});

describe('seed 004 (Contoso side)', () => {
  it('the request, the import pipeline, the outbound and inbound settings, and logging', async () => {
    const org = contosoOrg();
    org.trustedRoots.add(root.certificate);
    const sh = shellFor(org, { runtime: { now: () => NOW } });
    await ok(sh, 'New-ExchangeCertificate -GenerateRequest -FriendlyName "Internet certificate" -Path c:\\certificates\\request.p7c -SubjectName "DC=com,DC=Contoso,CN=mail1.contoso.com"  -DomainName mail.contoso.com');
    sh.files.writeFile('c:\\certificates\\import.pfx', await exportPfx(mail1, ''));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\certificates\\import.pfx | Enable-ExchangeCertificate -Services SMTP');
    expect(org.edge('EDGE1').certificates.selectForFqdn('mail.contoso.com')).toMatchObject({ ok: true, how: 'exact' });
    await ok(sh, 'Set-TransportConfig -TLSSendDomainSecureList woodgrovebank.com');
    await ok(sh, 'Set-SendConnector Internet -DomainSecureEnabled:$True');
    await ok(sh, 'Set-TransportConfig -TLSReceiveDomainSecureList woodgrovebank.com');
    await ok(sh, 'Set-ReceiveConnector Inet -DomainSecureEnabled:$True -AuthMechanism TLS');
    await ok(sh, 'Set-ReceiveConnector Inet -ProtocolLoggingLevel Verbose');
    await ok(sh, 'Set-SendConnector Internet -ProtocolLoggingLevel Verbose');
    expect(org.sendConnector('Internet')).toMatchObject({ domainSecureEnabled: true, fqdn: 'mail.contoso.com', protocolLoggingLevel: 'Verbose' });
    expect(org.edge('EDGE1').receiveConnector('Inet')).toMatchObject({ domainSecureEnabled: true, authMechanism: ['Tls'], protocolLoggingLevel: 'Verbose' });
    expect([org.transport.tlsSendDomainSecureList, org.transport.tlsReceiveDomainSecureList]).toEqual([['woodgrovebank.com'], ['woodgrovebank.com']]);
  });

  it('the import-then-enable alternative: Import, Get-ExchangeCertificate |FL, Enable -Thumbprint', async () => {
    const org = contosoOrg();
    const sh = shellFor(org, { runtime: { now: () => NOW } });
    sh.files.writeFile('c:\\certificates\\import.pfx', await exportPfx(mail1, ''));
    await ok(sh, 'Import-ExchangeCertificate -Path c:\\certificates\\import.pfx ');
    const thumbprint = /^Thumbprint +: ([0-9A-F]{40})$/m.exec((await ok(sh, 'Get-ExchangeCertificate |FL')).output)![1];
    // The seed's own thumbprint belongs to Contoso's real certificate, so here it is not found.
    expect((await sh.run('Enable-ExchangeCertificate -Thumbprint AB493A0C9A6C0327162FE04EF74609CB8FB7FE24 -Services SMTP')).error?.code).toBe('ERR_CERT_NOT_FOUND');
    await ok(sh, `Enable-ExchangeCertificate -Thumbprint ${thumbprint} -Services SMTP`);
    expect(org.edge('EDGE1').certificates.defaultSmtpThumbprint).toBe(mail1.certificate.thumbprint);
    expect((await sh.run('Import-ExchangeCertificate -Path c:\\certificates\\import.pfx')).error?.code).toBe('ERR_CERT_EXISTS');
  });
});
