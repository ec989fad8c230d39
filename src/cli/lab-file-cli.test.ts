// A hostile or mistyped lab file through the real CLI: exit 2, one sentence naming the place, no stack trace, nothing written.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

function capture(cwd: string): CliIo & { err: () => string } {
  let err = '';
  const w = (append: (s: string) => void) => new Writable({ write: (c, _e, done) => { append(String(c)); done(); } });
  return { stdout: w(() => undefined), stderr: w((s) => { err += s; }), cwd, env: {}, now: () => new Date('2026-03-02T09:00:00Z'), err: () => err };
}

const ORG = '{ domain: fabrikam.com, edges: [{ name: EX1, fqdn: mail.fabrikam.com }] }';

describe('domsec lab with a bad lab file', () => {
  it.each([
    ['a name that climbs out of the folder', `name: ../../..\norganizations: [${ORG}]`, 'name: "../../.." is not a valid name'],
    ['an edge named ../..', 'organizations: [{ domain: fabrikam.com, edges: [{ name: ../.., fqdn: mail.fabrikam.com }] }]', 'organizations[0].edges[0].name: "../.." is not a valid name'],
    ['a typo in a connector key', `organizations:\n  - { domain: fabrikam.com, edges: [{ name: EX1, fqdn: mail.fabrikam.com }], sendConnectors: [{ name: x, adressSpaces: ["SMTP:*;1"] }] }`,
      'organizations[0].sendConnectors[0].adressSpaces: unknown key (did you mean addressSpaces?)'],
    ['a wrong type', 'organizations: [{ domain: fabrikam.com, edges: [{ name: EX1, fqdn: mail.fabrikam.com }], receiveConnectors: [{ name: r, bindings: 25 }] }]', 'organizations[0].receiveConnectors[0].bindings: must be a list'],
    ['YAML that does not parse', 'organizations: [', 'it could not be parsed'],
  ])('%s', async (_what, text, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-labfile-'));
    writeFileSync(join(dir, 'lab.yaml'), text);
    const io = capture(dir);
    expect(await main(['lab', 'lab.yaml'], io)).toBe(2);
    expect(io.err()).toContain(`lab.yaml: ${expected}`);
    expect(io.err()).toContain('[ERR_LAB_FILE]');
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(['lab.yaml']);
    expect(existsSync(join(dir, '..', 'logs'))).toBe(false);
  });
});

describe('domsec lab send with a broken endpoints.json', () => {
  it.each([['not JSON', '{', 'is not readable JSON'], ['no token (a lab from before tokens)', '{"control":{"host":"127.0.0.1","port":1}}', 'has no control host, port and token']])('%s: exit 2 with the fix', async (_what, text, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-endpoints-'));
    writeFileSync(join(dir, 'endpoints.json'), text);
    const io = capture(dir);
    expect(await main(['lab', 'send', '--dir', dir, '--from', 'a@adatum.com', '--to', 'b@treyresearch.net'], io)).toBe(2);
    expect(io.err()).toContain(expected);
    expect(io.err()).toContain('domsec lab up --dir');
  });
});
