import { describe, expect, it } from 'vitest';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';

describe('ManagementShell errors: PowerShell\'s shape, and the model unchanged', () => {
  it('an unknown cmdlet', async () => {
    const r = await shellFor(adatumOrg()).run('Get-Foo');
    expect(r).toMatchObject({ ok: false, error: { code: 'ERR_CMDLET_UNKNOWN' } });
    expect(r.output.split('\n')).toEqual([
      "The term 'Get-Foo' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
      '    + CategoryInfo          : ObjectNotFound: (Get-Foo:String) [], CommandNotFoundException',
      '    + FullyQualifiedErrorId : CommandNotFoundException',
    ]);
  });

  it('an unknown parameter', async () => {
    const r = await shellFor(adatumOrg()).run('Set-TransportConfig -Foo bar');
    expect(r.error?.code).toBe('ERR_PARAMETER_UNKNOWN');
    expect(r.output.split('\n')).toEqual([
      "A parameter cannot be found that matches parameter name 'Foo'.",
      '    + CategoryInfo          : InvalidArgument: (:) [Set-TransportConfig], ParameterBindingException',
      '    + FullyQualifiedErrorId : NamedParameterNotFound,Set-TransportConfig',
    ]);
  });

  it('seed 001\'s run-together words (–identityConnectorName) are an unknown parameter and change nothing', async () => {
    const org = adatumOrg();
    await ok(shellFor(org), 'New-SendConnector ConnectorName -AddressSpaces treyresearch.net');
    const r = await shellFor(org).run('Set-SendConnector –identityConnectorName –DomainSecureEnabled:$true');
    expect(r.error).toEqual({ code: 'ERR_PARAMETER_UNKNOWN', message: "A parameter cannot be found that matches parameter name 'identityConnectorName'." });
    expect(r.output).toContain('FullyQualifiedErrorId : NamedParameterNotFound,Set-SendConnector');
    expect(org.sendConnector('ConnectorName').domainSecureEnabled).toBe(false);
  });

  it('a missing value names the parameter and its type', async () => {
    const sh = shellFor(adatumOrg());
    const r = await sh.run('New-SendConnector -Name');
    expect(r.error).toEqual({ code: 'ERR_PARAMETER_VALUE', message: "Missing an argument for parameter 'Name'. Specify a parameter of type 'System.String' and try again." });
    expect(r.output).toContain('FullyQualifiedErrorId : MissingArgument,New-SendConnector');
    expect((await sh.run('Set-SendConnector Internet -Fqdn -RequireTLS $true')).error?.message).toBe("Missing an argument for parameter 'Fqdn'. Specify a parameter of type 'System.String' and try again.");
    expect((await sh.run('New-SendConnector -AddressSpaces a.com')).error?.message).toBe('Cannot process command because of one or more missing mandatory parameters: Name.');
  });

  it('a leftover positional argument, an ambiguous prefix and a repeated parameter', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    expect((await sh.run('Set-TransportConfig -TLSSendDomainSecureList adatum.com and')).error?.message).toBe("A positional parameter cannot be found that accepts argument 'and'.");
    expect(org.transport.tlsSendDomainSecureList).toEqual([]);
    expect((await sh.run('Set-SendConnector Internet -Tls x')).error?.message)
      .toBe("Parameter cannot be processed because the parameter name 'Tls' is ambiguous. Possible matches include: -TlsAuthLevel -TlsDomain -TlsCertificateName.");
    expect((await sh.run('Set-SendConnector Internet -Fqdn a.com -fqdn b.com')).error?.code).toBe('ERR_PARAMETER_VALUE');
    await ok(sh, 'Set-SendConnector Internet -DomainSecure:$true');
    expect(org.sendConnector('Internet').domainSecureEnabled).toBe(true);
  });

  it('a parse error is a ParserError record', async () => {
    const r = await shellFor(adatumOrg()).run('Set-TransportConfig -TLSSendDomainSecureList "a.com');
    expect(r.error?.code).toBe('ERR_SHELL_SYNTAX');
    expect(r.output.split('\n').slice(1)).toEqual([
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : TerminatorExpectedAtEndOfString',
    ]);
  });

  it('a bad command later in a pipeline stops the whole line before the first one runs', async () => {
    const org = adatumOrg();
    const r = await shellFor(org).run('New-SendConnector X -AddressSpaces a.com | Set-Foo');
    expect(r.error?.code).toBe('ERR_CMDLET_UNKNOWN');
    expect(org.sendConnectors.map((c) => c.name)).toEqual(['Internet']);
    expect((await shellFor(org).run('Get-SendConnector | FL | Get-Queue')).error?.code).toBe('ERR_SHELL_SYNTAX');
  });
});

describe('ManagementShell syntax', () => {
  it('variables: $true/$false/$null, assignments, injected values, and an unset one', async () => {
    const org = adatumOrg();
    const sh = shellFor(org, { variables: { Partner: 'treyresearch.net' } });
    await ok(sh, '$list = "a.com","b.com"');
    await ok(sh, 'Set-TransportConfig -TLSSendDomainSecureList $list -TLSReceiveDomainSecureList $Partner');
    expect(org.transport.tlsSendDomainSecureList).toEqual(['a.com', 'b.com']);
    expect(org.transport.tlsReceiveDomainSecureList).toEqual(['treyresearch.net']);
    const r = await sh.run('Set-TransportConfig -TLSSendDomainSecureList $nope');
    expect(r.error?.code).toBe('ERR_SHELL_VARIABLE');
    expect(r.error?.message).toContain("The variable '$nope' cannot be retrieved because it has not been set.");
  });

  it('strips a pasted [PS] prompt and runs ;-separated statements', async () => {
    const org = adatumOrg();
    await ok(shellFor(org), '[PS] C:\\Windows\\system32> Set-TransportConfig -TLSSendDomainSecureList a.com; Set-TransportConfig -TLSReceiveDomainSecureList b.com');
    expect(org.transport.tlsReceiveDomainSecureList).toEqual(['b.com']);
  });

  it('formats with | ft and | fl property lists', async () => {
    const sh = shellFor(adatumOrg());
    expect((await ok(sh, 'Get-SendConnector | ft Name,DomainSecureEnabled')).output.split('\n')).toEqual([
      'Name     DomainSecureEnabled', '----     -------------------', 'Internet False',
    ]);
    expect((await ok(sh, 'Get-ReceiveConnector Internet | Format-List name,AuthMechanism')).output).toBe('Name          : Internet\nAuthMechanism : Tls');
    expect((await ok(sh, 'Get-ReceiveConnector Internet | fl *')).objects).toHaveLength(1);
    expect((await sh.run('Get-SendConnector | FL -Wrap')).error?.code).toBe('ERR_PARAMETER_UNKNOWN');
  });

  it('runScript skips blanks and comments and runs every line even after a failure', async () => {
    const org = adatumOrg();
    const results = await shellFor(org).runScript('# comment\n\nSet-Foo\r\nSet-TransportConfig -TLSSendDomainSecureList a.com\n  # indented comment\n');
    expect(results.map((r) => [r.line, r.ok])).toEqual([['Set-Foo', false], ['Set-TransportConfig -TLSSendDomainSecureList a.com', true]]);
    expect(org.transport.tlsSendDomainSecureList).toEqual(['a.com']);
  });
});
