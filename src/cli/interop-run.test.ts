// `domsec run --profile interop-postfix|interop-exim` end to end against the real MTAs: outcomes, the interop matrix, the evidence.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mtaGate, type PeerImplementation } from '../peers/index.js';
import type { RunResult } from '../report/run-result.js';
import { describeGated } from '../peers/testing/gated-describe.js';

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
  postfix: { pass: 5, 'expected-fail': 11, 'not-observable': 1 },
  exim: { pass: 12, 'expected-fail': 4, 'not-observable': 1 },
};

/**
 * features/interop/certificate-divergences.feature as measured against each MTA (issue 11): where the MTA's own TLS
 * check decides otherwise than Exchange the cell is divergent (expectations.json has the real outcome), else pass.
 */
const CERTIFICATE_CELLS: Record<PeerImplementation, [role: string, rule: string, scenario: string, status: string][]> = {
  postfix: [
    ['receiver', 'DS-RECV-05', 'Two labels below the domain, treyresearch.net receiving', 'pass'],
    ['sender', 'DS-SEND-04', 'Two labels below the domain, treyresearch.net sending', 'divergent'],
    ['receiver', 'DS-RECV-07', 'Name only in the SAN, treyresearch.net receiving', 'divergent'],
    ['sender', 'DS-SEND-06', 'Name only in the SAN, treyresearch.net sending', 'pass'],
    ['receiver', 'DS-RECV-06', 'No clientAuth usage, treyresearch.net receiving', 'pass'],
    ['sender', 'DS-SEND-05', 'No clientAuth usage, treyresearch.net sending', 'divergent'],
  ],
  exim: [
    ['receiver', 'DS-RECV-05', 'Two labels below the domain, treyresearch.net receiving', 'pass'],
    ['sender', 'DS-SEND-04', 'Two labels below the domain, treyresearch.net sending', 'pass'],
    ['receiver', 'DS-RECV-07', 'Name only in the SAN, treyresearch.net receiving', 'pass'],
    ['sender', 'DS-SEND-06', 'Name only in the SAN, treyresearch.net sending', 'pass'],
    ['receiver', 'DS-RECV-06', 'No clientAuth usage, treyresearch.net receiving', 'pass'],
    ['sender', 'DS-SEND-05', 'No clientAuth usage, treyresearch.net sending', 'divergent'],
  ],
};

const LAB = "Mail both ways arrives Domain Secured and each receiver's log shows the verified client certificate";
const VERIFIED_LINE: Record<PeerImplementation, RegExp> = { postfix: /Trusted TLS connection established from \S*\[127\.0\.1\.1\]/, exim: /CV=yes DN="CN=mail\.adatum\.com"/ };

for (const kind of ['postfix', 'exim'] as const) {
  const gate = mtaGate(kind);
  describeGated(gate, 'ERR_MTA_MISSING', `domsec run --profile interop-${kind}`, () => {
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

      // Cells name their scenario by feature file and line.
      const cell = (role: string, rule: string, feature = 'adatum-treyresearch') => run.interop
        .filter((c) => c.implementation === kind && c.role === role && c.rule === rule && c.scenario.startsWith(`features/interop/${feature}.feature:`)).map((c) => c.status);
      expect(cell('receiver', 'DS-RECV-07')).toEqual(['pass']);
      expect(cell('sender', 'DS-SEND-06')).toEqual(['pass']);
      expect(cell('sender', 'DS-SEND-05')).toEqual(['divergent']);
      expect(cell('receiver', 'DS-LOG-05')).toEqual(['not-observable']);
      for (const [role, rule, scenario, status] of CERTIFICATE_CELLS[kind]) {
        expect(cell(role, rule, 'certificate-divergences'), `${kind}: ${scenario}`).toEqual([status]);
        if (status !== 'divergent') continue;
        // The divergence is the MTA's real outcome, as expectations.json says: delivered (nothing left queued) or refused.
        const s = run.scenarios.find((x) => x.name.startsWith(scenario))!;
        expect(s.error, `${kind}: ${scenario}`).toContain(role === 'sender'
          ? 'administrator@adatum.com among the recipients queued at treyresearch.net: []'
          : `of the mail in administrator@treyresearch.net (${kind})`);
        if (role === 'receiver') expect(s.evidence.decisions.map((d) => d.rule)).toContain('DS-RECV-05');
      }
      expect(run.interop.filter((c) => c.rule === 'DS-QUEUE-03').every((c) => c.mtaTime)).toBe(true);
      const html = readFileSync(join(out, 'latest', 'index.html'), 'utf8');
      expect(html).toContain('id="interop-matrix"');
      expect(html).toContain(`${kind} as receiver`);
    }, 120_000);
  }, { implementation: kind });
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
    expect(new Set(cell('postfix'))).toEqual(new Set(['divergent'])); // one cell per scenario that checks the rule
  }, 120_000);
});
