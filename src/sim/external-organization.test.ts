// The lab file's `external:` key (docs/lab-file.md): what is accepted, and the errors for what is not.
import { describe, expect, it } from 'vitest';
import { parseLabDefinition } from './lab-definition.js';

const lab = (trey: Record<string, unknown>) => ({
  organizations: [{ domain: 'adatum.com', edges: [{ name: 'EX1', fqdn: 'mail.adatum.com' }], receiveConnectors: [{ name: 'From trey', usage: 'Partner', remoteIpRanges: ['treyresearch.net'] }] }, { domain: 'treyresearch.net', ...trey }],
});
const parse = (trey: Record<string, unknown>) => () => parseLabDefinition(lab(trey), 'x.yaml');

describe('external: in a lab file', () => {
  it('makes an organization without edges', () => {
    const d = parseLabDefinition(lab({ external: { host: '127.0.0.1', port: 2525, from: '127.0.0.5' } }), 'x.yaml');
    expect(d.organizations[1]).toMatchObject({ edges: [], external: { host: '127.0.0.1', port: 2525, from: '127.0.0.5' } });
  });

  it('refuses keys that configure simulated edges, unknown keys, a missing port and an organization with neither', () => {
    expect(parse({ external: { host: '127.0.0.1', port: 2525 }, edges: [{ name: 'EX1', fqdn: 'mail.treyresearch.net' }] })).toThrow(/organizations\[1\]\.edges: treyresearch\.net is external/);
    expect(parse({ external: { host: '127.0.0.1', port: 2525 }, sendConnectors: [] })).toThrow(/organizations\[1\]\.sendConnectors/);
    expect(parse({ external: { host: '127.0.0.1', port: 2525, adress: 'x' } })).toThrow(/organizations\[1\]\.external\.adress/);
    expect(parse({ external: { host: '127.0.0.1' } })).toThrow(/organizations\[1\]\.external.*port/);
    expect(parse({ external: { host: '127.0.0.1', port: 0 } })).toThrow(/organizations\[1\]\.external\.port/);
    expect(parse({ external: { host: '127.0.0.1', port: 25, from: 'mail.trey.net' } })).toThrow(/external\.from: "mail\.trey\.net" is not an IPv4 address/);
    expect(() => parseLabDefinition({ ...lab({ external: { host: '127.0.0.1', port: 25 } }), messages: [{ from: 'bob@treyresearch.net', to: 'a@adatum.com' }] }, 'x.yaml')).toThrow(/messages\[0\]\.from: bob@treyresearch\.net is a user of an external organization/);
    expect(parse({})).toThrow(/organizations\[1\]: the key "edges" is required \(or "external"/);
  });
});
