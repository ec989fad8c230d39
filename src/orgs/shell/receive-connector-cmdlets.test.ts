import { describe, expect, it } from 'vitest';
import { adatumOrg, contosoOrg, ok, shellFor } from './shell-fixture.js';

describe('New-/Set-/Get-/Remove-ReceiveConnector (DS-CONF-04)', () => {
  it('-Usage Partner gives Partners, Tls and DomainSecureEnabled; identity is SERVER\\Name', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    const r = await ok(sh, 'New-ReceiveConnector -Name "From treyresearch.net" -Usage Partner -Bindings 0.0.0.0:25 -RemoteIPRanges 127.0.2.1,10.0.0.0/8,192.168.1.10-192.168.1.20 -Fqdn mail.adatum.com');
    expect(r.objects[0]).toMatchObject({
      Identity: 'EX1\\From treyresearch.net', AuthMechanism: 'Tls', PermissionGroups: 'Partners', DomainSecureEnabled: true,
      RemoteIPRanges: ['127.0.2.1', '10.0.0.0/8', '192.168.1.10-192.168.1.20'], Bindings: ['0.0.0.0:25'], Fqdn: 'mail.adatum.com',
    });
    const fl = (await ok(sh, 'Get-ReceiveConnector "EX1\\From treyresearch.net" | Format-List')).output;
    expect(fl).toMatch(/^Identity +: EX1\\From treyresearch\.net$/m);
    expect(fl).toMatch(/^RemoteIPRanges +: \{127\.0\.2\.1, 10\.0\.0\.0\/8, 192\.168\.1\.10-192\.168\.1\.20\}$/m);
  });

  it('Set-ReceiveConnector Internet -ProtocolLoggingLevel Verbose resolves Internet to <server>\\Internet (seed 001/002)', async () => {
    const org = adatumOrg();
    await ok(shellFor(org), 'Set-ReceiveConnector Internet -ProtocolLoggingLevel Verbose');
    expect(org.edge('EX1').receiveConnector('Internet').protocolLoggingLevel).toBe('Verbose');
  });

  it('Set-ReceiveConnector Inet -DomainSecureEnabled:$True -AuthMechanism TLS (seed 004) on the shell\'s server and on EDGE2\\Inet', async () => {
    const org = contosoOrg();
    await ok(shellFor(org, { server: 'EDGE2' }), 'Set-ReceiveConnector Inet -DomainSecureEnabled:$True -AuthMechanism TLS');
    expect(org.edge('EDGE2').receiveConnector('Inet')).toMatchObject({ domainSecureEnabled: true, authMechanism: ['Tls'] });
    expect(org.edge('EDGE1').receiveConnector('Inet').domainSecureEnabled).toBe(false);
    await ok(shellFor(org), 'Set-ReceiveConnector EDGE1\\Inet -AuthMechanism "Tls, Integrated" -PermissionGroups AnonymousUsers,Partners -Fqdn $null');
    expect(org.edge('EDGE1').receiveConnector('Inet')).toMatchObject({ authMechanism: ['Tls', 'Integrated'], permissionGroups: ['AnonymousUsers', 'Partners'] });
    expect((await ok(shellFor(org), 'Get-ReceiveConnector')).output.split('\n').slice(2)).toEqual([
      'EDGE1\\Inet {0.0.0.0:25} True',
      'EDGE2\\Inet {0.0.0.0:25} True',
    ]);
  });

  it('removes a connector; an unknown one is ObjectNotFound', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'Remove-ReceiveConnector "Default EX1"');
    expect(org.edge().receiveConnectors.map((c) => c.name)).toEqual(['Internet']);
    const r = await sh.run('Set-ReceiveConnector Nope -RequireTLS $true');
    expect(r.error?.code).toBe('ERR_CONNECTOR_NOT_FOUND');
    expect(r.output).toContain('ObjectNotFound: (:) [Set-ReceiveConnector], ManagementObjectNotFoundException');
    expect((await sh.run('Get-ReceiveConnector EX9\\Internet')).error?.code).toBe('ERR_EDGE_NOT_FOUND');
  });
});

describe('receive connector validation (DS-CONF-05): the message, and nothing changes', () => {
  const cases: [string, string][] = [
    ['Set-ReceiveConnector Internet -AuthMechanism None -DomainSecureEnabled $true', "The DomainSecureEnabled parameter can't be set to $True unless Transport Layer Security (TLS) is set on the AuthMechanism parameter."],
    ['Set-ReceiveConnector Internet -AuthMechanism Integrated -RequireTLS $true', 'If RequireTLS is set, TLS must also be set as an authentication mechanism.'],
    ['New-ReceiveConnector -Name P -Usage Partner -Bindings 0.0.0.0:25 -RemoteIPRanges 127.0.2.1 -AuthMechanism None', "The DomainSecureEnabled parameter can't be set to $True unless Transport Layer Security (TLS) is set on the AuthMechanism parameter."],
    ['New-ReceiveConnector -Name P -Bindings 0.0.0.0:25 -AuthMechanism BasicAuth -RequireTLS:$true', 'If RequireTLS is set, TLS must also be set as an authentication mechanism.'],
  ];
  it.each(cases)('%s', async (line, message) => {
    const org = adatumOrg();
    const before = JSON.stringify(org.edge().receiveConnectors);
    const r = await shellFor(org).run(line);
    expect(r.error).toEqual({ code: 'ERR_RECEIVE_CONNECTOR_INVALID', message });
    expect(r.output.split('\n')[0]).toBe(message);
    expect(JSON.stringify(org.edge().receiveConnectors)).toBe(before);
  });

  it('refuses bad bindings, IP ranges and enum values', async () => {
    const sh = shellFor(adatumOrg());
    expect((await sh.run('New-ReceiveConnector -Name P -Bindings 0.0.0.0')).error?.code).toBe('ERR_RECEIVE_CONNECTOR_INVALID');
    expect((await sh.run('New-ReceiveConnector -Name P -RemoteIPRanges 300.1.1.1')).error?.message).toBe('"300.1.1.1" isn\'t a valid IP address, range or CIDR block.');
    expect((await sh.run('Set-ReceiveConnector Internet -AuthMechanism Kerberos')).error?.message)
      .toContain('Cannot convert value "Kerberos" to type "Microsoft.Exchange.Data.AuthMechanisms[]"');
  });

  it('sets and shows the connection limits and deadlines with Exchange\'s Edge defaults (issue 10)', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    const before = (await ok(sh, 'Get-ReceiveConnector Internet | Format-List')).output;
    expect(before).toMatch(/^MaxInboundConnection +: 5000$/m);
    expect(before).toMatch(/^MaxInboundConnectionPerSource +: 20$/m);
    expect(before).toMatch(/^ConnectionTimeout +: 00:05:00$/m);
    expect(before).toMatch(/^ConnectionInactivityTimeout +: 00:01:00$/m);
    expect(before).toMatch(/^MaxRecipientsPerMessage +: 200$/m);
    await ok(sh, 'Set-ReceiveConnector Internet -MaxInboundConnection Unlimited -MaxInboundConnectionPerSource 3 -ConnectionTimeout 00:10:00 -ConnectionInactivityTimeout 00:02:00 -MaxRecipientsPerMessage 50');
    expect(org.edge('EX1').receiveConnector('Internet')).toMatchObject({
      maxInboundConnection: 'Unlimited', maxInboundConnectionPerSource: 3, connectionTimeout: 600_000, connectionInactivityTimeout: 120_000, maxRecipientsPerMessage: 50,
    });
  });

  it('refuses limits the edge cannot serve, with a message naming the range, and changes nothing', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    const refused = async (line: string) => {
      const r = await sh.run(line);
      expect(r.error?.code, line).toMatch(/^ERR_(RECEIVE_CONNECTOR_INVALID|PARAMETER_VALUE)$/);
      return r.error!.message;
    };
    expect(await refused('Set-ReceiveConnector Internet -MaxMessageSize 1GB')).toContain('from 64KB to 256MB');
    expect(await refused('Set-ReceiveConnector Internet -MaxMessageSize 0')).toContain('0 is not "unlimited"');
    expect(await refused('Set-ReceiveConnector Internet -MaxInboundConnectionPerSource 0')).toContain('from 1 to 2147483647, or Unlimited');
    expect(await refused('Set-ReceiveConnector Internet -MaxInboundConnection lots')).toContain('Use a whole number or Unlimited');
    expect(await refused('Set-ReceiveConnector Internet -ConnectionTimeout 00:00:30 -ConnectionInactivityTimeout 00:01:00')).toBe('The ConnectionTimeout value must be greater than the ConnectionInactivityTimeout value.');
    expect(await refused('Set-ReceiveConnector Internet -MaxRecipientsPerMessage 0')).toContain('from 1 to 512000');
    expect(org.edge('EX1').receiveConnector('Internet')).toMatchObject({ maxMessageSize: 36 * 1024 * 1024, maxInboundConnectionPerSource: 20, connectionTimeout: 300_000 });
  });
});
