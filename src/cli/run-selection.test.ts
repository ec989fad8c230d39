// A run that selects nothing is an error, never a green run: exit 2, an ERR_ code and a sentence, reports/latest untouched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = 'src/cli/fixtures/catalogue/cucumber.mjs';

function domsec(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [join(repo, 'bin/domsec.mjs'), ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('domsec run: a selection of nothing', () => {
  const out = mkdtempSync(join(tmpdir(), 'domsec-select-'));
  let before = '';

  beforeAll(() => {
    expect(domsec(['run', '--config', CONFIG, '--out', out, '--run-id', 'good', '--quiet']).code).toBe(1);
    before = readFileSync(join(out, 'latest', 'results.json'), 'utf8');
  }, 60_000);

  it.each([
    ['a tag no scenario has, with the tag meant', ['--config', CONFIG, '--tags', '@DS-RECV-4'],
      'domsec run: no scenario selected: no scenario has the tags "@DS-RECV-4". Did you mean "@DS-RECV-04"? Nothing was run and no report was written. [ERR_NO_SCENARIOS]'],
    ['a feature file that does not exist', ['--config', CONFIG, 'features/nosuch.feature'],
      'domsec run: no scenario selected: features/nosuch.feature does not exist. Nothing was run and no report was written. [ERR_NO_SCENARIOS]'],
    ['a name nothing matches', ['--config', CONFIG, '--name', 'no such scenario'],
      'domsec run: no scenario selected: no scenario name matches --name "no such scenario". Nothing was run and no report was written. [ERR_NO_SCENARIOS]'],
  ])('%s: exit 2 with ERR_NO_SCENARIOS, latest left alone', (_what, args, sentence) => {
    const r = domsec(['run', ...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(sentence);
    expect(r.out).not.toContain('Everything as expected');
    expect(readFileSync(join(out, 'latest', 'results.json'), 'utf8')).toBe(before);
    expect(readdirSync(out).sort()).toEqual(['good', 'latest']);
  }, 60_000);

  it('run from a folder without cucumber.mjs (the checkout\'s parent, say) names the cause', () => {
    const r = domsec(['run', '--out', out], mkdtempSync(join(tmpdir(), 'domsec-parent-')));
    expect(r.code).toBe(2);
    expect(r.err).toContain('no scenario selected: there is no cucumber configuration (cucumber.mjs) in ');
    expect(r.err).toContain('run domsec from the repository root, or name the configuration with --config. Nothing was run and no report was written. [ERR_NO_SCENARIOS]');
    expect(readFileSync(join(out, 'latest', 'results.json'), 'utf8')).toBe(before);
  }, 60_000);
});

describe('domsec run --list and --dry-run', () => {
  it('--list prints each selected scenario with its DS tags, runs nothing and writes nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-list-'));
    const r = domsec(['run', '--config', CONFIG, '--out', join(out, 'reports'), '--list']);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toEqual([
      'src/cli/fixtures/catalogue/config.feature:5    A wildcard is refused  @DS-CONF-01',
      'src/cli/fixtures/catalogue/receive.feature:5   Mutual TLS is accepted as Partner  @DS-RECV-07',
      'src/cli/fixtures/catalogue/receive.feature:10  No client certificate is refused  @DS-RECV-04',
      '3 scenarios selected. Nothing was run and no report was written.',
    ]);
    expect(existsSync(join(out, 'reports'))).toBe(false);
  }, 60_000);

  it('--dry-run checks the selection and the step definitions without running or writing', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-dry-'));
    const ok = domsec(['run', '--config', CONFIG, '--out', join(out, 'reports'), '--dry-run', '--tags', '@DS-RECV-07']);
    expect(ok.code).toBe(0);
    expect(ok.out.trim()).toBe('1 scenario selected; every step has a definition. Nothing was run and no report was written.');
    expect(existsSync(join(out, 'reports'))).toBe(false);
    const none = domsec(['run', '--config', CONFIG, '--dry-run', '--tags', '@nothing']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('[ERR_NO_SCENARIOS]');
  }, 60_000);

  it('--dry-run names a step without a definition and exits 1', () => {
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(repo, '.tmp', 'dry-'));
    try {
      writeFileSync(join(dir, 'x.feature'), 'Feature: F\n\n  @DS-RECV-07\n  Scenario: Undefined\n    Given nobody wrote this step\n');
      const rel = dir.slice(repo.length);
      const r = domsec(['run', '--config', CONFIG, '--dry-run', `${rel}/x.feature`]);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`${rel}/x.feature:4 Undefined: undefined step "Given nobody wrote this step"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('output folders are checked before the run', () => {
  it('an --out that cannot be written is ERR_OUTPUT_DIR, exit 2, no stack trace, nothing run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-out-'));
    writeFileSync(join(dir, 'a-file'), '');
    const r = domsec(['run', '--config', CONFIG, '--out', join(dir, 'a-file', 'reports')]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`domsec run: cannot write to the folder ${join(dir, 'a-file', 'reports')} (a part of the path is a file, not a folder). Choose a writable folder with --out. [ERR_OUTPUT_DIR]`);
    expect(r.out).not.toContain('scenario 1/');
  }, 60_000);

  it('a lab up --dir that cannot be written is ERR_OUTPUT_DIR, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-out-'));
    writeFileSync(join(dir, 'a-file'), '');
    const r = domsec(['lab', 'up', '--dir', join(dir, 'a-file', 'lab')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('(a part of the path is a file, not a folder). Choose a writable folder with --dir. [ERR_OUTPUT_DIR]');
    expect(r.err).not.toMatch(/\n\s+at /);
  }, 60_000);
});
