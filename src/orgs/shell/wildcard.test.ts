import { describe, expect, it } from 'vitest';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';
import { expandProperties, hasWildcard, wildcardMatcher } from './wildcard.js';

describe('PowerShell wildcards', () => {
  it('match the whole name, case-insensitively, with *, ? and [set]', () => {
    expect(wildcardMatcher('*Domain*')('TLSSendDomainSecureList')).toBe(true);
    expect(wildcardMatcher('*domain')('TLSSendDomainSecureList')).toBe(false);
    expect(wildcardMatcher('Get-?ueue')('get-queue')).toBe(true);
    expect(wildcardMatcher('[GS]et-Queue')('Set-Queue')).toBe(true);
    expect(wildcardMatcher('[GS]et-Queue')('Ret-Queue')).toBe(false);
    expect(wildcardMatcher('a.b')('axb')).toBe(false);
    expect(hasWildcard('Name')).toBe(false);
  });

  it('expand property lists in the object\'s order, plain names as the object spells them, each once', () => {
    const props = ['Name', 'DomainSecureEnabled', 'TlsDomain', 'Fqdn'];
    expect(expandProperties(['name', '*Domain*'], props)).toEqual(['Name', 'DomainSecureEnabled', 'TlsDomain']);
    expect(expandProperties(['*'], props)).toEqual(props);
    expect(expandProperties(['Fqdn', '*'], props)).toEqual(['Fqdn', 'Name', 'DomainSecureEnabled', 'TlsDomain']);
    expect(expandProperties(['Nope*'], props)).toEqual([]);
  });
});

describe('wildcard properties in Format-List and Format-Table', () => {
  it('| fl Name,*Domain* shows the name and every property with Domain in it', async () => {
    const r = await ok(shellFor(adatumOrg()), 'Get-SendConnector Internet | fl Name,*Domain*');
    expect(r.output).toBe([
      'Name                : Internet',
      'ConnectedDomains    : {}',
      'DomainSecureEnabled : False',
      'TlsDomain           :',
    ].join('\n'));
  });

  it('| fl * shows every property and | ft Name,*TLS* makes a column per match', async () => {
    const sh = shellFor(adatumOrg());
    const all = await ok(sh, 'Get-TransportConfig | fl *');
    expect(all.output).toBe((await ok(sh, 'Get-TransportConfig | fl')).output);
    const t = await ok(sh, 'Get-SendConnector | ft Name,*TLS*');
    expect(t.output.split('\n').slice(0, 3)).toEqual([
      'Name     IgnoreSTARTTLS RequireTLS TlsAuthLevel TlsCertificateName TlsDomain',
      '----     -------------- ---------- ------------ ------------------ ---------',
      'Internet False          False',
    ]);
  });
});
