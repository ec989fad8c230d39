// `run --profile A --profile B`: each profile runs with its own expectations, one report with a column per implementation.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../report/run-result.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = 'src/cli/fixtures/profiles';

function domsec(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('domsec run with several profiles', () => {
  it('runs each profile on its own and writes one report with both implementations', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-profiles-'));
    const r = domsec('run', '--config', `${FIXTURE}/cucumber.mjs`, '--expectations', `${FIXTURE}/expectations.json`, '--profile', 'impl-alpha', '--profile', 'impl-beta', '--out', out, '--run-id', 'both');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // Progress lines come in the order scenarios finish, which on several workers is the machine's choice:
    // each profile's block is compared as a set.
    const block = (profile: string) => r.out.split(`profile ${profile}:\n`)[1]?.split(/\n(?=profile |\n)/)[0] ?? '';
    const marks = (profile: string) => block(profile).split('\n').map((l) => l.replace(/^scenario \d\/2  (\S) (.*?)  \(.*$/, '$1 $2')).sort();
    expect(marks('impl-alpha')).toEqual(['✓ Accepted as Partner', '✓ No client certificate is refused']);
    // beta's divergence is an expected failure by beta's own entry; alpha passes the same scenario and is not told to delete it.
    expect(marks('impl-beta')).toEqual(['~ No client certificate is refused', '✓ Accepted as Partner']);
    expect(r.out).not.toMatch(/remove .* from expectations\.json/);
    expect(r.out).toContain('4 scenarios: 3 passed, 0 failed, 1 expected failures');
    expect(r.out).toContain('Expectations that matched no scenario: DS-RECV-09 (profile impl-alpha)');
    expect(r.out).toContain('Everything as expected.');

    const run = JSON.parse(readFileSync(join(out, 'latest', 'results.json'), 'utf8')) as RunResult;
    expect(run.selection.profiles).toEqual(['impl-alpha', 'impl-beta']);
    expect(run.scenarios.map((s) => [s.id, s.profile, s.outcome])).toEqual([
      ['src/cli/fixtures/profiles/interop.feature:5@impl-alpha', 'impl-alpha', 'pass'],
      ['src/cli/fixtures/profiles/interop.feature:10@impl-alpha', 'impl-alpha', 'pass'],
      ['src/cli/fixtures/profiles/interop.feature:5@impl-beta', 'impl-beta', 'pass'],
      ['src/cli/fixtures/profiles/interop.feature:10@impl-beta', 'impl-beta', 'expected-fail'],
    ]);
    const cell = (impl: string, rule: string) => run.interop.find((c) => c.implementation === impl && c.rule === rule && c.role === 'receiver')?.status;
    expect([cell('alpha', 'DS-RECV-04'), cell('beta', 'DS-RECV-04'), cell('alpha', 'DS-RECV-07'), cell('beta', 'DS-RECV-07')]).toEqual(['pass', 'divergent', 'pass', 'pass']);
    const html = readFileSync(join(out, 'latest', 'index.html'), 'utf8');
    expect(html).toContain('data-column="alpha/receiver"');
    expect(html).toContain('data-column="beta/receiver"');
  }, 60_000);

  it('--list lists each profile\'s scenarios under its name', () => {
    const r = domsec('run', '--config', `${FIXTURE}/cucumber.mjs`, '--profile', 'impl-alpha', '--profile', 'impl-beta', '--list');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('profile '))).toEqual(['profile impl-alpha:', 'profile impl-beta:']);
    expect(lines.at(-1)).toBe('4 scenarios selected in 2 profiles. Nothing was run and no report was written.');
  }, 60_000);

  it('an unknown profile gets the profile it was close to', () => {
    const r = domsec('run', '--config', `${FIXTURE}/cucumber.mjs`, '--profile', 'impl-alpah');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('domsec run: the cucumber configuration could not be loaded: Requested profile "impl-alpah" doesn\'t exist. Did you mean "impl-alpha"? [ERR_USAGE]');
  }, 60_000);

  it('a profile that selects nothing is named', () => {
    const r = domsec('run', '--config', `${FIXTURE}/cucumber.mjs`, '--profile', 'impl-alpha', '--profile', 'impl-beta', '--tags', '@DS-RECV-4');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no scenario has the tags "@DS-RECV-4" (profile impl-alpha). Did you mean "@DS-RECV-04"?');
  }, 60_000);
});
