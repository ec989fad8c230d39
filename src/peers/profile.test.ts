// Interop profiles: parsing, defaults and mirroring.
import { describe, expect, it } from 'vitest';
import { implementationOf, mirrored, parseProfile } from './profile.js';

describe('interop profiles', () => {
  it('assigns implementations per organization; unnamed ones are simulated', () => {
    const p = parseProfile('adatum.com=simulated, treyresearch.net=postfix');
    expect(implementationOf(p, 'treyresearch.net')).toBe('postfix');
    expect(implementationOf(p, 'contoso.com')).toBe('simulated');
  });

  it('refuses an unknown implementation with ERR_USAGE', () => {
    expect(() => parseProfile('adatum.com=sendmail')).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
  });

  it('mirrors a one-MTA profile so the MTA plays both roles against the same partner', () => {
    const both = mirrored(parseProfile('treyresearch.net=exim'), ['adatum.com', 'treyresearch.net']);
    expect(both).toEqual([{ 'treyresearch.net': 'exim' }, { 'adatum.com': 'exim', 'treyresearch.net': 'simulated' }]);
  });
});
