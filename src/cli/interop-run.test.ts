// `domsec run --profile interop-postfix|interop-exim` end to end against the real MTAs: outcomes, the interop matrix, the evidence.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomsecError } from '../errors.js';
import { mtaGate, type PeerImplementation } from '../peers/index.js';
import type { RunResult } from '../report/run-result.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function domsec(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** What each MTA gives in features/interop (expectations.json documents every divergence and every not-observable). */
const EXPECTED: Record<PeerImplementation, { pass: number; 'expected-fail': number; 'not-observable': number }> = {
  postfix: { pass: 2, 'expected-fail': 8, 'not-observable': 1 },
  exim: { pass: 7, 'expected-fail': 3, 'not-observable': 1 },
};

const LAB = "Mail both ways arrives Domain Secured and each receiver's log shows the verified client certificate";
const VERIFIED_LINE: Record<PeerImplementation, RegExp> = { postfix: /Trusted TLS connection established from \S*\[127\.0\.1\.1\]/, exim: /CV=yes DN="CN=mail\.adatum\.com"/ };

for (const kind of ['postfix', 'exim'] as const) {
  const gate = mtaGate(kind);
  if (gate.mustFail) {
    it(`${kind} is installed for the interop-${kind} profile (CI=true)`, () => {
      throw new DomsecError('ERR_MTA_MISSING', gate.reason, { implementation: kind });
    });
    continue;
  }
  if (!gate.available) console.log(`skipping domsec run --profile interop-${kind}: ${gate.reason}`);
  describe.skipIf(!gate.available)(`domsec run --profile interop-${kind}${gate.available ? '' : ` — skipped: ${gate.reason}`}`, () => {
    it('runs features/interop with treyresearch.net played by the MTA, as expectations.json says, and reports the interop matrix', async () => {
      const out = mkdtempSync(join(tmpdir(), `domsec-interop-${kind}-`));
      const r = await domsec(['run', '--profile', `interop-${kind}`, '--out', out, '--run-id', `interop-${kind}`, '--quiet']);
      expect(r.err).toBe('');
      expect(r.out).toContain('Everything as expected.');
      expect(r.code).toBe(0);
      const run = JSON.parse(readFileSync(join(out, 'latest', 'results.json'), 'utf8')) as RunResult;
      expect(run.selection.profiles).toEqual([`interop-${kind}`]);
      expect(run.counts).toEqual({ ...EXPECTED[kind], fail: 0, 'harness-error': 0, skipped: 0 });
      expect(run.scenarios.every((s) => s.featureUri.startsWith('features/interop/'))).toBe(true);

      const lab = run.scenarios.find((s) => s.name === LAB)!;
      expect(lab.outcome).toBe('pass');
      expect(lab.evidence.interop?.implementations).toEqual({ 'adatum.com': 'simulated', 'treyresearch.net': kind });
      expect(lab.evidence.logs[`treyresearch.net/${kind}/maillog`].some((l) => VERIFIED_LINE[kind].test(l))).toBe(true);
      expect(run.scenarios.find((s) => s.name === 'Both sides count the domain-secured messages')?.evidence.notObservable).toEqual([
        `${kind === 'postfix' ? 'Postfix' : 'Exim'} has no MSExchange Secure Mail Transport counters.`,
      ]);

      const cell = (role: string, rule: string) => run.interop.filter((c) => c.implementation === kind && c.role === role && c.rule === rule).map((c) => c.status);
      expect(cell('receiver', 'DS-RECV-07')).toEqual(['pass']);
      expect(cell('sender', 'DS-SEND-06')).toEqual(['pass']);
      expect(cell('sender', 'DS-SEND-05')).toEqual(['divergent']);
      expect(cell('receiver', 'DS-LOG-05')).toEqual(['not-observable']);
      expect(run.interop.filter((c) => c.rule === 'DS-QUEUE-03').every((c) => c.mtaTime)).toBe(true);
      const html = readFileSync(join(out, 'latest', 'index.html'), 'utf8');
      expect(html).toContain('id="interop-matrix"');
      expect(html).toContain(`${kind} as receiver`);
    }, 60_000);
  });
}

const both = (['postfix', 'exim'] as const).map((k) => mtaGate(k));
describe.skipIf(!both.every((g) => g.available))('domsec run --profile interop-postfix --profile interop-exim', () => {
  it('runs each profile with its own expectations into one report, a column per MTA, no entry called stale', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-interop-both-'));
    const r = await domsec(['run', '--profile', 'interop-postfix', '--profile', 'interop-exim', '--out', out, '--run-id', 'both', '--quiet']);
    expect(r.err).toBe('');
    expect(r.out).toContain('Everything as expected.');
    expect(r.out).not.toContain('remove ');
    expect(r.out).not.toContain('Expectations that matched no scenario');
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'latest', 'results.json'), 'utf8')) as RunResult;
    expect(run.selection.profiles).toEqual(['interop-postfix', 'interop-exim']);
    const sum = (k: 'pass' | 'expected-fail' | 'not-observable') => EXPECTED.postfix[k] + EXPECTED.exim[k];
    expect(run.counts).toEqual({ pass: sum('pass'), 'expected-fail': sum('expected-fail'), 'not-observable': sum('not-observable'), fail: 0, 'harness-error': 0, skipped: 0 });
    expect(new Set(run.scenarios.map((s) => s.profile))).toEqual(new Set(['interop-postfix', 'interop-exim']));
    const columns = new Set(run.interop.map((c) => `${c.implementation}/${c.role}`));
    expect(columns).toEqual(new Set(['postfix/receiver', 'postfix/sender', 'exim/receiver', 'exim/sender']));
    const cell = (impl: string) => run.interop.filter((c) => c.implementation === impl && c.role === 'sender' && c.rule === 'DS-SEND-05').map((c) => c.status);
    expect(cell('postfix')).toEqual(['divergent']);
  }, 120_000);
});
