// `domsec rules [ID]`: the catalogue as a user reads it, and a near-miss ID answered with the rule meant.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const w = (append: (s: string) => void) => new Writable({ write: (c, _e, done) => { append(String(c)); done(); } });
  return { stdout: w((s) => { out += s; }), stderr: w((s) => { err += s; }), cwd: process.cwd(), env: {}, now: () => new Date(0), out: () => out, err: () => err };
}

describe('domsec rules', () => {
  it('lists every rule by section with its title', async () => {
    const io = capture();
    expect(await main(['rules'], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('3. Receiver: the check at MAIL FROM\n  DS-RECV-01   Receive connector has domain security off\n');
    expect(out).toContain('  DS-LOG-06    Application events\n');
    expect(out).toMatch(/\n42 rules\. "domsec rules <ID>" shows one/);
  });

  it('shows one rule with its statement, what is observable and its sources', async () => {
    const io = capture();
    expect(await main(['rules', 'ds-recv-04'], io)).toBe(0);
    expect(io.out()).toBe([
      'DS-RECV-04  Listed sender with TLS but no client certificate',
      '  Section 3: Receiver: the check at MAIL FROM',
      '',
      '  A listed sender that negotiated TLS without presenting a client certificate is refused as not',
      '  authenticated.',
      '',
      '  Observable:',
      '    MAIL FROM reply `530 5.7.1 Not authenticated`; event 11017.',
      '',
      '  Sources:',
      '    seed 004 (TechNet: How to Configure Mutual TLS for Domain Security (Exchange 2007, Contoso /',
      '    Woodgrove Bank)): Configure inbound domain security (a client certificate is requested during',
      '    TLS negotiation)',
      '',
    ].join('\n'));
  });

  it('explains itself with --help', async () => {
    const io = capture();
    expect(await main(['rules', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: domsec rules \[ID\] \[--json\]\n/);
  });

  it('answers JSON with --json', async () => {
    const io = capture();
    expect(await main(['rules', 'DS-CONF-05', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ id: 'DS-CONF-05', title: 'Receive connector validation' });
  });

  it.each([
    ['DS-RECV-4', 'Did you mean DS-RECV-04?'],
    ['recv-10', 'Did you mean DS-RECV-10?'],
    ['DS-SEN-01', 'Did you mean DS-SEND-01,'],
  ])('refuses the unknown ID %s with exit 2 and suggests the rule meant', async (id, hint) => {
    const io = capture();
    expect(await main(['rules', id], io)).toBe(2);
    expect(io.err()).toContain(`domsec rules: no DS rule "${id}". ${hint}`);
    expect(io.err()).toContain('[ERR_RULE_UNKNOWN]');
  });
});
