// How bin/domsec.mjs starts: the compiled command in dist/ (scripts/build.mjs) while it matches the sources, tsx otherwise.
// Start-up time itself is a bench figure (npm run bench), never asserted here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { distIsFresh } from '../../bin/dist-fresh.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const node = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0', ...env } });

describe('the domsec executable', () => {
  it('runs the TypeScript sources through tsx when asked to (DOMSEC_TSX=1), printing nothing extra', () => {
    const r = node(['bin/domsec.mjs', '--version'], { DOMSEC_TSX: '1' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`domsec ${version}\n`);
    expect(r.status).toBe(0);
  });

  it('says the same for a mistyped command on either path', () => {
    const viaTsx = node(['bin/domsec.mjs', 'lab', 'sned'], { DOMSEC_TSX: '1' });
    const either = node(['bin/domsec.mjs', 'lab', 'sned']);
    expect(viaTsx.status).toBe(2);
    expect(viaTsx.stderr).toContain('Did you mean "lab send"?');
    expect({ status: either.status, stderr: either.stderr }).toEqual({ status: viaTsx.status, stderr: viaTsx.stderr });
  });
});

describe('the compiled command (scripts/build.mjs)', () => {
  // Inside the repository, as dist/ is: the libraries stay in node_modules and are resolved from the output's folder.
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  const out = mkdtempSync(join(repo, '.tmp', 'build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const built = node(['scripts/build.mjs', '--quiet', '--outdir', out]);
  // Runs dist's main() in a fresh process, as bin/domsec.mjs does when dist/ is fresh.
  const compiled = (args: string[]) =>
    node(['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(pathToFileURL(join(out, 'main.js')).href)}); process.exit(await main(${JSON.stringify(args)}));`]);

  it('builds, with a stamp that is fresh for the sources as they are', () => {
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(distIsFresh(pathToFileURL(repo), pathToFileURL(join(out, 'stamp.json')))).toBe(true);
  });

  it('finds the files next to its sources: package.json, the rules catalogue, the documented labs and their scripts', () => {
    expect(compiled(['--version']).stdout).toBe(`domsec ${version}\n`);
    const rule = compiled(['rules', 'DS-RECV-07']);
    expect(rule.status).toBe(0);
    expect(rule.stdout).toMatch(/^DS-RECV-07 /);
    const lab = compiled(['lab', 'adatum-treyresearch', '--seed', 'bin-start']);
    expect(lab.stderr).toBe('');
    expect(lab.stdout).toContain('2 of 2 messages delivered');
    expect(lab.status).toBe(0);
  });

  /** Where the run's messages say its step definitions and its failing step are (the .ts file, not the bundle). */
  function locations(reports: string): { definitions: string[]; failures: string[] } {
    const messages = gunzipSync(readFileSync(join(reports, 'latest', 'cucumber.ndjson.gz'))).toString('utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as { stepDefinition?: { sourceReference: { uri: string; location: { line: number } } }; testStepFinished?: { testStepResult: { message?: string } } });
    return {
      definitions: messages.flatMap((m) => m.stepDefinition ? [`${m.stepDefinition.sourceReference.uri}:${m.stepDefinition.sourceReference.location.line}`] : []),
      failures: messages.flatMap((m) => m.testStepFinished?.testStepResult.message?.match(/[\w./-]+\.(?:ts|mjs):\d+/g) ?? []),
    };
  }

  it('runs a cucumber configuration whose TypeScript steps rely on domsec for the loader, as the tsx path does', () => {
    const reports = join(out, 'reports');
    const r = compiled(['run', '--config', 'src/cli/fixtures/catalogue/cucumber.mjs', '--out', reports, '--tags', '@DS-RECV-07 or @DS-RECV-04', '--quiet', '--parallel', '1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 scenarios: 1 passed, 1 failed');
    // The steps are imported bundled (run-support.ts), and the messages still name the .ts file and its lines.
    const steps = 'src/cli/fixtures/catalogue/fixture.steps.ts';
    expect(locations(reports)).toEqual({ definitions: [`${steps}:11`, `${steps}:24`], failures: [`${join(repo, steps)}:25`] });
  });

  it('runs a configuration that itself imports TypeScript: tsx is there while the configuration loads', () => {
    const config = join(out, 'ts-config.mjs');
    writeFileSync(join(out, 'ts-paths.ts'), "export const paths: string[] = ['src/cli/fixtures/catalogue/receive.feature'];\n");
    writeFileSync(config, "import { paths } from './ts-paths.ts';\nexport default { paths, import: ['src/cli/fixtures/catalogue/*.steps.ts'], strict: true };\n");
    const reports = join(out, 'reports-ts');
    const r = compiled(['run', '--config', config, '--out', reports, '--tags', '@DS-RECV-07', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('1 scenario: 1 passed');
    expect(r.status).toBe(0);
  });

  // A plain JavaScript configuration gets no tsx before it loads (config-typescript.ts); TypeScript support code that
  // cannot be bundled (some of it is `require`d) gets tsx when it is loaded, in the main process and in the workers.
  it('runs TypeScript support code that is not bundled, its configuration plain JavaScript, serial and with workers', () => {
    const config = join(out, 'unbundled.mjs');
    writeFileSync(join(out, 'setup.cjs'), 'globalThis.domsecSetupRequired = true;\n');
    writeFileSync(config, `export default { paths: ['src/cli/fixtures/catalogue/receive.feature'], require: [${JSON.stringify(join(out, 'setup.cjs'))}], import: ['src/cli/fixtures/catalogue/*.steps.ts'], strict: true };\n`);
    for (const parallel of ['1', '2']) {
      const r = compiled(['run', '--config', config, '--out', join(out, `reports-unbundled-${parallel}`), '--quiet', '--parallel', parallel]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/\d+ scenarios: \d+ passed, 1 failed/); // the fixture's one failing scenario in that file
      expect(r.status).toBe(1);
    }
  });
});

describe('the freshness check bin/domsec.mjs makes before using dist/', () => {
  const root = mkdtempSync(join(tmpdir(), 'domsec-fresh-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const rootUrl = pathToFileURL(`${root}/`);
  const stamp = new URL('stamp.json', rootUrl);
  const source = join(root, 'main.ts');

  it('is fresh while every listed file keeps its build-time mtime, stale once one is edited, restored or removed', () => {
    expect(distIsFresh(rootUrl, stamp)).toBe(false); // no build
    writeFileSync(source, 'export {};\n');
    utimesSync(source, 1_000, 1_000);
    writeFileSync(fileURLToPath(stamp), JSON.stringify({ mtimes: { 'main.ts': 1_000_000 } }));
    expect(distIsFresh(rootUrl, stamp)).toBe(true);
    utimesSync(source, 2_000, 2_000); // edited after the build
    expect(distIsFresh(rootUrl, stamp)).toBe(false);
    utimesSync(source, 500, 500); // an older copy put back
    expect(distIsFresh(rootUrl, stamp)).toBe(false);
    rmSync(source);
    expect(distIsFresh(rootUrl, stamp)).toBe(false);
  });
});
