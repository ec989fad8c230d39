import { describe, expect, it } from 'vitest';
import { adatumOrg, shellFor } from './shell-fixture.js';
import { didYouMean, editDistance, suggestNames } from './suggest-name.js';

describe('edit distance and suggestions', () => {
  it('counts insertions, deletions, substitutions and a swapped pair as one edit each, ignoring case', () => {
    expect(editDistance('Get-Queu', 'get-queue')).toBe(1);
    expect(editDistance('Get-Qeueu', 'Get-Queue')).toBe(2);
    expect(editDistance('Set-SendConector', 'Set-SendConnector')).toBe(1);
    expect(editDistance('Retyr-Queue', 'Retry-Queue')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest names, best first, and nothing for a name that is nowhere near', () => {
    const names = ['Get-Queue', 'Retry-Queue', 'Get-Message', 'Get-SendConnector', 'Set-SendConnector'];
    expect(suggestNames('Get-Queu', names)).toEqual(['Get-Queue']);
    expect(suggestNames('Get-SendConector', names)).toEqual(['Get-SendConnector', 'Set-SendConnector']);
    expect(suggestNames('Queue', names)).toEqual(['Get-Queue', 'Retry-Queue']);
    expect(suggestNames('Frobnicate', names)).toEqual([]);
    expect(didYouMean('Fqnd', ['Fqdn', 'Name'], '-')).toBe(' Did you mean -Fqdn?');
    expect(didYouMean('zzz', ['Fqdn'])).toBe('');
  });
});

describe('did you mean, in the shell', () => {
  it('adds the nearest cmdlet under PowerShell\'s own error record', async () => {
    const r = await shellFor(adatumOrg()).run('Get-SendConector');
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('ERR_CMDLET_UNKNOWN');
    expect(r.output.split('\n')).toEqual([
      "The term 'Get-SendConector' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
      '    + CategoryInfo          : ObjectNotFound: (Get-SendConector:String) [], CommandNotFoundException',
      '    + FullyQualifiedErrorId : CommandNotFoundException',
      'Did you mean Get-SendConnector, Set-SendConnector or New-SendConnector?',
    ]);
  });

  it('adds the nearest parameter of that cmdlet, and nothing when none is close', async () => {
    const sh = shellFor(adatumOrg());
    const r = await sh.run('Set-ReceiveConnector Internet -DomainSecureEnable:$true -AuthMechanisms Tls');
    expect(r.error?.message).toBe("A parameter cannot be found that matches parameter name 'AuthMechanisms'.");
    expect(r.output.split('\n').pop()).toBe('Did you mean -AuthMechanism?');
    const far = await sh.run('Set-ReceiveConnector Internet -Frobnicate 1');
    expect(far.output.split('\n').pop()).toBe('    + FullyQualifiedErrorId : NamedParameterNotFound,Set-ReceiveConnector');
  });

  it('knows formatter names and their parameter too', async () => {
    const r = await shellFor(adatumOrg()).run('Get-TransportConfig | Format-Lst');
    expect(r.output.split('\n').pop()).toBe('Did you mean Format-List?');
    const p = await shellFor(adatumOrg()).run('Get-TransportConfig | fl -Propery Name');
    expect(p.output.split('\n').pop()).toBe('Did you mean -Property?');
  });
});
