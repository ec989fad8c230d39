import { describe, expect, it } from 'vitest';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';

describe('New-/Set-/Get-/Remove-SendConnector (DS-CONF-02)', () => {
  it('-Usage Partner turns on domain security and DNS routing; Get-SendConnector –identity … | FL shows it (seed 001/002)', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'New-SendConnector -Name ConnectorName -Usage Partner -AddressSpaces "SMTP:treyresearch.net;1" -Fqdn mail.adatum.com -MaxMessageSize 20MB');
    const r = await ok(sh, 'Get-SendConnector –identity ConnectorName | FL');
    expect(r.output).toMatch(/^DomainSecureEnabled +: True$/m);
    expect(r.output).toMatch(/^DNSRoutingEnabled +: True$/m);
    expect(r.output).toMatch(/^AddressSpaces +: \{SMTP:treyresearch\.net;1\}$/m);
    expect(r.output).toMatch(/^MaxMessageSize +: 20 MB \(20,971,520 bytes\)$/m);
    expect(r.objects[0]).toMatchObject({ Identity: 'ConnectorName', Fqdn: 'mail.adatum.com', SmartHosts: [] });
  });

  it('sets the documented properties, case-insensitively, with -Param:$value and positional Identity', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'set-sendconnector internet -domainsecureenabled:$True -requiretls $true -ProtocolLoggingLevel verbose -TlsCertificateName "<I>CN=Adatum Issuing CA<S>CN=mail.adatum.com" -Port 2525');
    expect(org.sendConnector('Internet')).toMatchObject({
      domainSecureEnabled: true, requireTls: true, protocolLoggingLevel: 'Verbose', tlsCertificateName: '<I>CN=Adatum Issuing CA<S>CN=mail.adatum.com', port: 2525,
    });
    await ok(sh, 'Set-SendConnector Internet -TlsCertificateName $null -DomainSecureEnabled $false -TlsAuthLevel DomainValidation');
    expect(org.sendConnector('Internet').tlsCertificateName).toBeUndefined();
    expect(org.sendConnector('Internet').tlsAuthLevel).toBe('DomainValidation');
    await ok(sh, 'Set-SendConnector Internet -TlsAuthLevel $null');
    expect(org.sendConnector('Internet').tlsAuthLevel).toBeUndefined();
  });

  it('lists connectors in a table and removes one', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'New-SendConnector "To treyresearch.net" -Partner -AddressSpaces treyresearch.net');
    expect((await ok(sh, 'Get-SendConnector')).output.split('\n')).toEqual([
      'Identity            AddressSpaces             Enabled',
      '--------            -------------             -------',
      'Internet            {SMTP:*;100}              True',
      'To treyresearch.net {SMTP:treyresearch.net;1} True',
    ]);
    await ok(sh, 'Remove-SendConnector "To treyresearch.net" -Confirm:$false');
    expect(org.sendConnectors.map((c) => c.name)).toEqual(['Internet']);
    expect((await sh.run('Get-SendConnector Nope')).error?.code).toBe('ERR_CONNECTOR_NOT_FOUND');
  });
});

describe('send connector validation (DS-CONF-03): the message, and nothing changes', () => {
  const cases: [string, string][] = [
    ['New-SendConnector -Name X -AddressSpaces a.com -DNSRoutingEnabled:$false -SmartHosts smart.a.com -DomainSecureEnabled:$true', "The DomainSecureEnabled parameter can't be set to $True unless the DNSRoutingEnabled parameter is also set to $True."],
    ['New-SendConnector -Name X -AddressSpaces a.com -DomainSecureEnabled $true -IgnoreSTARTTLS $true', "The DomainSecureEnabled parameter can't be set to $True if the IgnoreSTARTTLS parameter is set to $True."],
    ['New-SendConnector -Name X -Usage Partner -AddressSpaces a.com -TlsAuthLevel DomainValidation', "The TLSAuthLevel parameter can't be set if the DomainSecureEnabled parameter is set to $true."],
    ['New-SendConnector -Name X -AddressSpaces a.com -DNSRoutingEnabled $false', 'You must specify a smart host if you are not using DNS to route mails.'],
    ['New-SendConnector -Name X -Usage Custom', 'The send connector must have at least one address space. Specify -AddressSpaces.'],
    ['Set-SendConnector Internet -DomainSecureEnabled:$true -DNSRoutingEnabled:$false -SmartHosts relay.adatum.com', "The DomainSecureEnabled parameter can't be set to $True unless the DNSRoutingEnabled parameter is also set to $True."],
    ['Set-SendConnector Internet -DomainSecureEnabled:$true -IgnoreSTARTTLS:$true', "The DomainSecureEnabled parameter can't be set to $True if the IgnoreSTARTTLS parameter is set to $True."],
    ['Set-SendConnector Internet -DomainSecureEnabled:$true -TlsAuthLevel CertificateValidation', "The TLSAuthLevel parameter can't be set if the DomainSecureEnabled parameter is set to $true."],
    ['Set-SendConnector Internet -DNSRoutingEnabled:$false', 'You must specify a smart host if you are not using DNS to route mails.'],
  ];
  it.each(cases)('%s', async (line, message) => {
    const org = adatumOrg();
    const before = JSON.stringify(org.sendConnectors);
    const r = await shellFor(org).run(line);
    expect(r.error).toEqual({ code: 'ERR_SEND_CONNECTOR_INVALID', message });
    expect(r.output.split('\n')[0]).toBe(message);
    expect(r.output).toMatch(/\+ CategoryInfo {10}: InvalidOperation: \(:\) \[(New|Set)-SendConnector\], DataValidationException/);
    expect(JSON.stringify(org.sendConnectors)).toBe(before);
  });

  it('refuses a bad address space and a duplicate name', async () => {
    const sh = shellFor(adatumOrg());
    expect((await sh.run('New-SendConnector -Name X -AddressSpaces "SMTP:a.com;500"')).error?.code).toBe('ERR_SEND_CONNECTOR_INVALID');
    expect((await sh.run('New-SendConnector -Name internet -AddressSpaces a.com')).error?.code).toBe('ERR_CONNECTOR_EXISTS');
  });

  it('refuses a value of the wrong type in PowerShell\'s words', async () => {
    const org = adatumOrg();
    const r = await shellFor(org).run('Set-SendConnector Internet -DomainSecureEnabled maybe');
    expect(r.error?.code).toBe('ERR_PARAMETER_VALUE');
    expect(r.output.split('\n')).toEqual([
      'Cannot process argument transformation on parameter \'DomainSecureEnabled\'. Cannot convert value "maybe" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.',
      '    + CategoryInfo          : InvalidData: (:) [Set-SendConnector], ParameterBindingArgumentTransformationException',
      '    + FullyQualifiedErrorId : ParameterArgumentTransformationError,Set-SendConnector',
    ]);
    const u = await shellFor(org).run('New-SendConnector -Name X -Usage Cloud -AddressSpaces a.com');
    expect(u.error?.message).toContain('Specify one of the following enumerator names and try again: Custom, Internal, Internet, Partner');
    expect(org.sendConnectors).toHaveLength(1);
  });

  it('-SmtpMaxMessagesPerConnection: 20 by default, settable from 1', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    expect((await ok(sh, 'Get-SendConnector Internet | fl')).output).toMatch(/^SmtpMaxMessagesPerConnection +: 20$/m);
    await ok(sh, 'Set-SendConnector Internet -SmtpMaxMessagesPerConnection 1');
    expect(org.sendConnector('Internet').smtpMaxMessagesPerConnection).toBe(1);
    await ok(sh, 'New-SendConnector -Name P -Usage Partner -AddressSpaces "SMTP:treyresearch.net;1" -SmtpMaxMessagesPerConnection 50');
    expect(org.sendConnector('P').smtpMaxMessagesPerConnection).toBe(50);
    expect((await sh.run('Set-SendConnector Internet -SmtpMaxMessagesPerConnection 0')).ok).toBe(false);
  });
});

