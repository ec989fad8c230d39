// `domsec run` end to end: the real bin against a tiny fixture catalogue, as CI would call it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = 'src/cli/fixtures/catalogue/cucumber.mjs';

function domsec(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('domsec run', () => {
  it('prints progress and a summary, writes the three reports, and exits 1 on failures', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-run-'));
    const r = domsec('run', '--config', CONFIG, '--out', out, '--seed', 'lab-1', '--expectations', join(out, 'none.json').replace('none', 'missing-is-an-error'), '--quiet');
    expect(r.code).toBe(2); // a named expectations file that does not exist is a configuration error
    const run = domsec('run', '--config', CONFIG, '--out', out, '--seed', 'lab-1');
    expect(run.code).toBe(1);
    const progress = run.out.split('\n').filter((l) => l.startsWith('scenario '));
    expect(progress).toHaveLength(3);
    expect(progress.every((l) => /^scenario \d\/3 {2}[✓✗] .+ {2}\(passes \d, failures \d, \d+\.\d s\)$/.test(l))).toBe(true);
    expect(run.out).toContain('      DS-RECV-04 (Listed sender with TLS but no client certificate): A listed sender that negotiated TLS without presenting a client certificate is refused as not authenticated.\n      expected: 530 5.7.1 Not authenticated\n      actual:   250 2.1.0 Sender OK');
    expect(run.out).toContain('3 scenarios: 1 passed, 2 failed, 0 expected failures, 0 not observable, 0 skipped');
    expect(run.out).toContain('FAILED: 2 change(s) from the expected results.');
    const runId = /^domsec run (run-lab-1-\d{8}T\d{6})$/m.exec(run.out)?.[1];
    expect(runId).toBeDefined();
    for (const f of ['results.json', 'junit.xml', 'index.html', 'cucumber.ndjson.gz']) {
      expect(existsSync(join(out, runId!, f))).toBe(true);
      expect(existsSync(join(out, 'latest', f))).toBe(true);
    }
    const results = JSON.parse(readFileSync(join(out, 'latest', 'results.json'), 'utf8'));
    expect(results.seed).toBe('lab-1');
    expect(results.scenarios.find((s: { name: string }) => s.name === 'Mutual TLS is accepted as Partner').notes).toEqual(['seed lab-1']);
    expect(results.scenarios.map((s: { dsIds: string[] }) => s.dsIds[0]).sort()).toEqual(['DS-CONF-01', 'DS-RECV-04', 'DS-RECV-07']);
    expect(readFileSync(join(out, 'latest', 'junit.xml'), 'utf8')).toContain('<testcase classname="Receiving from partners" name="No client certificate is refused"');
  }, 60_000);

  it('exits 0 when the expectations file records every failure', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-run-'));
    const exp = join(out, 'expectations.json');
    writeFileSync(exp, JSON.stringify([
      { id: 'DS-RECV-04', outcome: 'expected-fail', reason: 'fixture: the step returns the wrong reply' },
      { scenario: 'A wildcard is refused', outcome: 'expected-fail', reason: 'fixture: no reply at all' },
    ]));
    const r = domsec('run', '--config', CONFIG, '--out', out, '--expectations', exp, '--run-id', 'fixed');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 passed, 0 failed, 2 expected failures');
    expect(r.out).toContain('Everything as expected.');
    expect(existsSync(join(out, 'fixed', 'index.html'))).toBe(true);
  }, 60_000);

  it('passes tags and profiles to cucumber', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-run-'));
    const tagged = domsec('run', '--config', CONFIG, '--out', out, '--tags', '@DS-RECV-07');
    expect(tagged.code).toBe(0);
    expect(tagged.out).toContain('scenario 1/1  ✓ Mutual TLS is accepted as Partner');
    const profiled = domsec('run', '--config', CONFIG, '--out', out, '--profile', 'smoke');
    expect(profiled.code).toBe(0);
    expect(profiled.out).toContain('1 scenario: 1 passed');
  }, 60_000);

  it.each([
    [['--profile', 'nonexistent'], /the cucumber configuration could not be loaded: .*nonexistent/],
    [['--tags', '@a and'], /the scenarios could not be loaded/],
    [['--keep', 'all'], /--keep "all" is not a number of runs/],
  ])('exits 2 for configuration errors: %j', (extra, message) => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-run-'));
    const r = domsec('run', '--config', CONFIG, '--out', out, ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  }, 60_000);
});
