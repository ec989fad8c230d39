import { describe, expect, it } from 'vitest';
import { SYNOPSIS } from './help-text.js';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';
import { ALL_COMMANDS } from './shell.js';

describe('Get-Help', () => {
  it('has a synopsis for every command the shell knows', () => {
    expect(ALL_COMMANDS.filter((c) => !SYNOPSIS[c.name]).map((c) => c.name)).toEqual([]);
  });

  it('shows name, synopsis, syntax, aliases and parameters from the cmdlet\'s own specs', async () => {
    const r = await ok(shellFor(adatumOrg()), 'Get-Help Get-TransportServer');
    expect(r.output.split('\n')).toEqual([
      'NAME',
      '    Get-TransportService',
      '',
      'SYNOPSIS',
      '    Shows the retry and expiry timers of the transport service (DS-QUEUE-03…05).',
      '',
      'SYNTAX',
      '    Get-TransportService [[-Identity] <String>]',
      '',
      'ALIASES',
      '    Get-TransportServer',
      '',
      'PARAMETERS',
      '    -Identity <String>',
      '        optional; position 0',
      '',
      'REMARKS',
      '    "Get-Help Get-TransportService -Parameter <name>" shows one parameter; "Get-Command" lists every command.',
    ]);
  });

  it('shows the parameters a -Parameter pattern matches, with enum values', async () => {
    const r = await ok(shellFor(adatumOrg()), 'Get-Help Set-ReceiveConnector -Parameter Perm*');
    expect(r.output.split('\n')).toEqual([
      '    -PermissionGroups <PermissionGroups[]>',
      '        optional; named',
      '        Values: None, AnonymousUsers, ExchangeUsers, ExchangeServers, ExchangeLegacyServers, Partners, Custom',
    ]);
  });

  it('refuses an unknown cmdlet or parameter with a suggestion', async () => {
    const sh = shellFor(adatumOrg());
    const c = await sh.run('Get-Help Set-TransportConfg');
    expect(c.error?.code).toBe('ERR_CMDLET_UNKNOWN');
    expect(c.output.split('\n').pop()).toBe('Did you mean Set-TransportConfig or Get-TransportConfig?');
    const p = await sh.run('Get-Help Set-SendConnector -Parameter Fqnd');
    expect(p.error).toEqual({ code: 'ERR_PARAMETER_UNKNOWN', message: 'No parameter matches criteria Fqnd. Run "Get-Help Set-SendConnector" for its parameters.' });
    expect(p.output.split('\n').pop()).toBe('Did you mean -Fqdn?');
  });

  it('takes command names from the pipeline', async () => {
    const r = await ok(shellFor(adatumOrg()), 'Get-Command *-Queue | Get-Help');
    expect(r.output.match(/^NAME\n {4}\S+/gm)).toEqual(['NAME\n    Get-Queue', 'NAME\n    Retry-Queue']);
  });

  it('without a name explains how to find commands', async () => {
    const r = await ok(shellFor(adatumOrg()), 'Get-Help');
    expect(r.output).toContain('Get-Command                  every command this shell knows');
  });
});

describe('Get-Command', () => {
  it('lists commands matching a wildcard, sorted, with their synopsis', async () => {
    const r = await ok(shellFor(adatumOrg()), 'Get-Command *-Queue');
    expect(r.output.split('\n')).toEqual([
      'CommandType Name        Synopsis',
      '----------- ----        --------',
      'Cmdlet      Get-Queue   Lists the delivery queues, one per next-hop domain, with Status and LastError (DS-QUEUE-01, DS-QUEUE-02).',
      'Cmdlet      Retry-Queue Makes a queue in Retry try to deliver now (DS-QUEUE-03).',
    ]);
  });

  it('filters by -Verb and -Noun and lists everything without arguments', async () => {
    const sh = shellFor(adatumOrg());
    expect((await ok(sh, 'Get-Command -Verb Import')).objects.map((o) => (o as { Name: string }).Name)).toEqual(['Import-Certificate', 'Import-ExchangeCertificate']);
    expect((await ok(sh, 'Get-Command -Noun *Connector -Verb New')).objects.map((o) => (o as { Name: string }).Name)).toEqual(['New-ReceiveConnector', 'New-SendConnector']);
    expect((await ok(sh, 'Get-Command')).objects).toHaveLength(ALL_COMMANDS.length);
    expect((await ok(sh, 'Get-Command *Nothing*')).output).toBe('');
    const miss = await sh.run('Get-Command Get-Queu');
    expect(miss.error?.code).toBe('ERR_CMDLET_UNKNOWN');
    expect(miss.output.split('\n').pop()).toBe('Did you mean Get-Queue?');
  });
});
