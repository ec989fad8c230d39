// Stopping `domsec run` part-way: Ctrl-C, SIGTERM and --fail-fast write a report of the finished scenarios that says so.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../report/run-result.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = 'src/cli/fixtures/stop/cucumber.mjs';

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

/** `group`: the child leads a process group of its own, so a test can signal it the way a terminal's Ctrl-C does. */
function start(args: string[], mark: string, group = false, env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, detached: group, env: { ...process.env, FORCE_COLOR: '0', DOMSEC_FIXTURE_MARK: mark, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Polls for a condition the child makes true (a file, a line); the test's own timeout bounds it, not machine speed. */
async function until(what: () => boolean): Promise<void> {
  while (!what()) await new Promise((r) => setTimeout(r, 25));
}

const results = (out: string) => JSON.parse(readFileSync(join(out, 'latest', 'results.json'), 'utf8')) as RunResult;

describe('domsec run, stopped part-way', () => {
  it('Ctrl-C: the running scenario finishes, the rest never start, the report says interrupted, exit 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-int-'));
    const mark = join(out, 'waiting');
    const run = start(['run', '--parallel', '1', '--config', CONFIG, '--out', out, '--run-id', 'int', '--tags', 'not @fails and not @hang'], mark);
    await until(() => existsSync(mark));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.err()).toContain('SIGINT: stopping after the running scenario, then writing the report of the finished ones');
    expect(run.out()).toContain('scenario 1/3  ✓ Quick one');
    expect(run.out()).toContain('scenario 2/3  ✓ Waits for a signal, then passes');
    expect(run.out()).not.toContain('Last one');
    expect(run.out()).toContain('INTERRUPTED by SIGINT after 2 of 3 scenarios: the report holds the finished ones.');
    expect(run.out()).not.toContain('Everything as expected.');
    const r = results(out);
    expect(r.interrupted).toEqual({ signal: 'SIGINT', finished: 2, planned: 3 });
    expect(r.unusedExpectations).toEqual([]);
    expect(r.scenarios.map((s) => s.name)).toEqual(['Quick one', 'Waits for a signal, then passes']);
    expect(readFileSync(join(out, 'int', 'index.html'), 'utf8')).toContain('<b>Interrupted</b> by SIGINT after 2 of 3 scenarios');
  }, 60_000);

  it('a second SIGTERM stops at once: the finished scenarios are reported, exit 143', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-int-'));
    const mark = join(out, 'waiting');
    const run = start(['run', '--parallel', '1', '--config', CONFIG, '--out', out, '--run-id', 'term', '--tags', '@DS-RECV-07 or @hang or @DS-RECV-03'], mark);
    await until(() => existsSync(mark));
    run.child.kill('SIGTERM');
    await until(() => run.err().includes('SIGTERM: stopping'));
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(143);
    const r = results(out);
    expect(r.interrupted).toEqual({ signal: 'SIGTERM', finished: 1, planned: 3 });
    expect(r.scenarios.map((s) => s.name)).toEqual(['Quick one']);
  }, 60_000);

  it('stopped before any scenario finished: no report, reports/latest untouched, exit 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-int-'));
    const mark = join(out, 'waiting');
    const run = start(['run', '--parallel', '1', '--config', CONFIG, '--out', out, '--tags', '@hang or @DS-RECV-03'], mark);
    await until(() => existsSync(mark));
    run.child.kill('SIGINT');
    await until(() => run.err().includes('SIGINT: stopping'));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.out()).toContain(`INTERRUPTED by SIGINT before any scenario finished: no report was written; ${out}/latest is unchanged.`);
    expect(existsSync(join(out, 'latest'))).toBe(false);
  }, 60_000);

  it('--fail-fast stops after the first change from the expectations file, exit 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-ff-'));
    const run = start(['run', '--parallel', '1', '--config', CONFIG, '--out', out, '--fail-fast', '--tags', 'not @wait and not @hang'], join(out, 'unused'));
    expect(await run.exit).toBe(1);
    expect(run.out()).toContain('scenario 2/3  ✗ Fails');
    expect(run.out()).toContain('Stopped by --fail-fast after 2 of 3 scenarios, at src/cli/fixtures/stop/stop.feature:8 Fails.');
    const r = results(out);
    expect(r.failFast).toEqual({ after: 'src/cli/fixtures/stop/stop.feature:8 Fails', finished: 2, planned: 3 });
    expect(r.interrupted).toBeUndefined();
    expect(r.scenarios.map((s) => s.name)).toEqual(['Quick one', 'Fails']);
  }, 60_000);

  // --parallel: cucumber's worker processes are in the run's process group. A terminal's Ctrl-C reaches them too; they
  // must let their running scenario finish (the coordinator decides) rather than die with their scenario unreported.
  it('--parallel 2, Ctrl-C to the whole process group: running scenarios finish, none is lost, exit 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-int-'));
    const mark = join(out, 'waiting');
    const run = start(['run', '--parallel', '2', '--config', CONFIG, '--out', out, '--run-id', 'pint', '--tags', 'not @fails and not @hang'], mark, true);
    await until(() => existsSync(mark));
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exit).toBe(130);
    const r = results(out);
    expect(r.interrupted).toEqual({ signal: 'SIGINT', finished: r.scenarios.length, planned: 3 });
    // The scenario that was running when the signal came finished in its worker; no worker died (no run error).
    expect(r.scenarios.map((s) => s.name)).toContain('Waits for a signal, then passes');
    expect(r.scenarios.every((s) => s.outcome === 'pass')).toBe(true);
    expect(r.runErrors).toEqual([]);
    const order = ['Quick one', 'Waits for a signal, then passes', 'Last one'];
    expect(r.scenarios.map((s) => s.name)).toEqual(order.filter((n) => r.scenarios.some((s) => s.name === n)));
  }, 60_000);

  // Node gives a new process the default for SIGINT until domsec's worker setup runs: a Ctrl-C ends a worker still
  // starting. Worker 1 is held before that point by a file (hold-worker.mjs), the way a loaded machine holds it.
  it('--parallel 2, Ctrl-C while a worker is still starting: it had no scenario, the report is the same, exit 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-int-'));
    const mark = join(out, 'waiting');
    const release = join(out, 'release');
    const hold = new URL('./fixtures/stop/hold-worker.mjs', import.meta.url).href;
    const run = start(['run', '--parallel', '2', '--config', CONFIG, '--out', out, '--run-id', 'slow', '--tags', 'not @fails and not @hang'], mark, true,
      { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${hold}`, DOMSEC_FIXTURE_RELEASE: release });
    try {
      await until(() => existsSync(mark)); // worker 0 runs the scenarios in order while worker 1 is held
      process.kill(-run.child.pid!, 'SIGINT');
      expect(await run.exit).toBe(130);
    } finally {
      writeFileSync(release, ''); // a held worker the signal missed (a failed test) goes on and ends with its run
    }
    const r = results(out);
    // The group's signal reaches worker 0 and the coordinator independently: when the coordinator takes it last,
    // worker 0 has already been given "Last one" (as in the test above), so only the first two are certain.
    expect(r.interrupted).toEqual({ signal: 'SIGINT', finished: r.scenarios.length, planned: 3 });
    expect(r.scenarios.map((s) => s.name).slice(0, 2)).toEqual(['Quick one', 'Waits for a signal, then passes']);
    expect(r.scenarios.every((s) => s.outcome === 'pass')).toBe(true);
    expect(r.runErrors).toEqual([]);
  }, 60_000);

  it('--parallel 2 --fail-fast: stops after the first change, the report in plan order, exit 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-ff-'));
    const run = start(['run', '--parallel', '2', '--config', CONFIG, '--out', out, '--fail-fast', '--tags', 'not @wait and not @hang'], join(out, 'unused'));
    expect(await run.exit).toBe(1);
    const r = results(out);
    expect(r.failFast).toEqual({ after: 'src/cli/fixtures/stop/stop.feature:8 Fails', finished: r.scenarios.length, planned: 3 });
    const names = r.scenarios.map((s) => s.name);
    expect(names).toContain('Fails');
    expect(names).toEqual(['Quick one', 'Fails', 'Last one'].filter((n) => names.includes(n)));
  }, 60_000);
});
