// Lab files and lab names for domsec lab / lab up.
import { describe, expect, it } from 'vitest';
import { parseLabSpec, resolveLab } from './lab-file.js';

describe('lab files', () => {
  it('default to the adatum-treyresearch lab and accept a documented lab name', () => {
    expect(resolveLab(undefined, '/').lab).toBe('adatum-treyresearch');
    expect(resolveLab('contoso-woodgrove', '/').lab).toBe('contoso-woodgrove');
  });

  it('read lab, seed and messages', () => {
    expect(parseLabSpec({ lab: 'contoso-woodgrove', seed: 7, messages: [{ from: 'a@contoso.com', to: 'b@woodgrovebank.com, c@woodgrovebank.com', subject: 'hi' }] }, 'f')).toEqual({
      lab: 'contoso-woodgrove', seed: '7', source: 'f',
      messages: [{ from: 'a@contoso.com', to: ['b@woodgrovebank.com', 'c@woodgrovebank.com'], subject: 'hi' }],
    });
  });

  it.each([
    [[], /must hold a mapping/],
    [{ labs: 'x' }, /unknown key\(s\) labs/],
    [{ messages: [{ from: 'nobody', to: 'a@b.com' }] }, /message 1 needs "from"/],
    [{ messages: [{ from: 'a@b.com' }] }, /message 1 needs "to"/],
  ])('refuse %j with ERR_LAB_FILE', (value, message) => {
    expect(() => parseLabSpec(value, 'lab.yaml')).toThrow(expect.objectContaining({ code: 'ERR_LAB_FILE', message: expect.stringMatching(message) }));
  });
});
