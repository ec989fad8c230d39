// Lab files and lab names for domsec lab / lab up.
import { describe, expect, it } from 'vitest';
import { LAB_FILE_LIMITS, parseLabSpec, parseLabText, resolveLab } from './lab-file.js';

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
    [{ labs: 'x' }, /labs: unknown key \(did you mean lab\?\)/],
    [{ messages: [{ from: 'nobody', to: 'a@b.com' }] }, /messages\[0\]\.from: "nobody" is not an e-mail address/],
    [{ messages: [{ from: 'a@b.com' }] }, /messages\[0\]\.to: is required/],
    [{ lab: 'nowhere' }, /lab: must be one of adatum-treyresearch, contoso-woodgrove/],
  ])('refuse %j with ERR_LAB_FILE', (value, message) => {
    expect(() => parseLabSpec(value, 'lab.yaml')).toThrow(expect.objectContaining({ code: 'ERR_LAB_FILE', message: expect.stringMatching(message) }));
  });
});

const org = (extra: Record<string, unknown> = {}) => ({ domain: 'fabrikam.com', edges: [{ name: 'EX1', fqdn: 'mail.fabrikam.com' }], ...extra });
const refuse = (value: unknown) => {
  try {
    parseLabSpec(value, 'lab.yaml');
  } catch (e) {
    expect((e as { code?: string }).code).toBe('ERR_LAB_FILE');
    return (e as Error).message;
  }
  throw new Error('the lab file was accepted');
};

describe('declarative lab files: every key known, every value typed, every problem named by its path', () => {
  it.each([
    [{ organizations: [org(), org({ domain: 'litware.com', sendConnectors: [{ name: 'x', adressSpaces: ['SMTP:*;1'] }] })] }, 'organizations[1].sendConnectors[0].adressSpaces: unknown key (did you mean addressSpaces?)'],
    [{ organizations: [org({ certificates: [{ edge: 'EX1', dnsName: ['a.fabrikam.com'] }] })] }, 'organizations[0].certificates[0].dnsName: unknown key (did you mean dnsNames?)'],
    [{ organizations: [org({ receiveConnectors: [{ name: 'r', remoteIpRanges: 'fabrikam.com' }] })] }, 'organizations[0].receiveConnectors[0].remoteIpRanges: must be a list'],
    [{ organizations: [org({ sendConnectors: [{ name: 'x', addressSpaces: 5 }] })] }, 'organizations[0].sendConnectors[0].addressSpaces: must be a list'],
    [{ organizations: [org({ sendConnectors: [{ name: 'x', domainSecureEnabled: 'yes' }] })] }, 'organizations[0].sendConnectors[0].domainSecureEnabled: must be true or false'],
    [{ organizations: [org({ bare: null })] }, 'organizations[0].bare: is empty'],
    [{ organizations: [org({ edges: [{ name: '../..', fqdn: 'mail.fabrikam.com' }] })] }, 'organizations[0].edges[0].name: "../.." is not a valid name'],
    [{ organizations: [org({ edges: [{ name: 'EX1', fqdn: 'mail.fabrikam.com' }, { name: 'ex1', fqdn: 'mail2.fabrikam.com' }] })] }, 'organizations[0].edges[1].name: the edge ex1 is defined twice'],
    [{ name: '../../..', organizations: [org()] }, 'name: "../../.." is not a valid name'],
    [{ organizations: [org({ domain: '../x' })] }, 'organizations[0].domain: "../x" isn\'t a valid SMTP domain.'],
    [{ organizations: [org({ certificates: [{ edge: 'EX9' }] })] }, 'organizations[0].certificates[0].edge: EX9 is not an edge of fabrikam.com'],
    [{ organizations: [org({ trusts: ['litware.com'] })] }, 'organizations[0].trusts[0]: litware.com is not an organization of this lab'],
    [{ organizations: [org({ sendConnectors: [{ name: 'x', usage: 'partner' }] })] }, 'organizations[0].sendConnectors[0].usage: must be one of Custom, Internet, Internal, Partner'],
    [{ organizations: [org({ edges: Array.from({ length: 17 }, (_, i) => ({ name: `E${i}`, fqdn: `e${i}.fabrikam.com` })) })] }, 'organizations[0].edges: has 17 entries; at most 16'],
    [{ organizations: [org({ sendConnectors: [{ name: 'x', smtpMaxMessagesPerConnection: 0 }] })] }, 'organizations[0].sendConnectors[0].smtpMaxMessagesPerConnection: must be'],
    [{ organizations: [org()], extra: 1 }, 'extra: unknown key'],
    [{ organizations: 'fabrikam.com' }, 'organizations: must be a list'],
  ])('%j', (value, expected) => {
    const message = refuse(value);
    expect(message).toContain(`lab.yaml: ${expected}`);
    expect(message).not.toMatch(/\n\s+at /); // a sentence, never a stack trace
  });

  it('accepts both shipped lab files unchanged', () => {
    for (const name of ['adatum-treyresearch', 'contoso-woodgrove']) {
      expect(resolveLab(`labs/${name}.yaml`, process.cwd()).definition?.organizations.length).toBe(2);
    }
  });

  it('names a lab without "name" after its file, never after a path', () => {
    expect(parseLabSpec({ organizations: [org()] }, '../../some dir/x.y.yaml').lab).toBe('x.y');
    expect(parseLabSpec({ organizations: [org()] }, '..yaml').lab).toBe('lab');
  });
});

describe('YAML within limits', () => {
  it('refuses an alias bomb quickly', () => {
    let y = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 30; i++) y += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    y += 'organizations: *a29\n';
    expect(y.length).toBeLessThan(8_000);
    const t = performance.now();
    expect(() => parseLabText(y, 'bomb.yaml')).toThrow(/bomb\.yaml: it could not be parsed \(Excessive alias count/);
    expect(performance.now() - t).toBeLessThan(2_000); // generous: the bound is the alias cap, not the machine
  });

  it('refuses a small file whose aliases would ask for hundreds of edges', () => {
    const y = ['e: &e {name: EX, fqdn: mail.fabrikam.com}', 'l: &l [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
      'organizations:', '  - {domain: fabrikam.com, edges: *l}'].join('\n');
    expect(() => parseLabText(y, 'many.yaml')).toThrow(/many\.yaml: (organizations\[0\]\.edges: has 20 entries|e: unknown key)/);
  });

  it('refuses deep nesting and oversized files with a sentence', () => {
    expect(() => parseLabText(`organizations: ${'['.repeat(100)}${']'.repeat(100)}`, 'deep.yaml')).toThrow(/deep\.yaml: it nests deeper than 24 levels/);
    expect(() => parseLabText(`organizations: ${'['.repeat(20_000)}`, 'deeper.yaml')).toThrow(/deeper\.yaml: it nests deeper than 24 levels/);
    // Brackets inside quoted values and comments are not nesting.
    expect(() => parseLabText(`name: "${'['.repeat(40)}"\n# ${'{'.repeat(40)}\nlab: contoso-woodgrove\n`, 'q.yaml')).toThrow(/q\.yaml: name: unknown key/);
    expect(() => parseLabText(`# ${'x'.repeat(LAB_FILE_LIMITS.bytes)}`, 'big.yaml')).toThrow(/big\.yaml: it is larger than 4 MiB/);
  });
});
