// `adapter:` in a lab file's external block: a SPEC of no form and an unknown key are errors naming their path.
import { describe, expect, it } from 'vitest';
import { parseLabText } from './lab-file.js';

const lab = (external: string) => `
organizations:
  - domain: adatum.com
    edges: [{ name: EX1, fqdn: mail.adatum.com }]
  - domain: treyresearch.net
    external: ${external}
`;

describe('external.adapter in a lab file', () => {
  it('carries the SPEC to the organization', () => {
    const spec = parseLabText(lab('{ host: 127.0.0.1, port: 2525, adapter: "cmd:python3 postfix-shim.py /etc/postfix" }'), 'x.yaml');
    expect(spec.definition!.organizations[1].external).toEqual({ host: '127.0.0.1', port: 2525, adapter: 'cmd:python3 postfix-shim.py /etc/postfix' });
  });

  it.each([
    ['{ host: 127.0.0.1, port: 2525, adapter: "sendmail" }', 'x.yaml: organizations[1].external.adapter: "sendmail" is not an adapter; give manual, cmd:PATH [ARGS] or http://HOST:PORT/BASE'],
    ['{ host: 127.0.0.1, port: 2525, adaptor: manual }', 'x.yaml: organizations[1].external.adaptor: unknown key (did you mean adapter?)'],
    ['{ host: 127.0.0.1, port: 2525, adapter: 5 }', 'x.yaml: organizations[1].external.adapter: must be text'],
  ])('%s is ERR_LAB_FILE naming the path', (external, message) => {
    expect(() => parseLabText(lab(external), 'x.yaml')).toThrow(expect.objectContaining({ code: 'ERR_LAB_FILE', message: expect.stringContaining(message) }));
  });
});
