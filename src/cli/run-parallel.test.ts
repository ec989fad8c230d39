// --parallel: the real catalogue's foundation features in two worker processes report what the serial run reports.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../report/run-result.js';
import { StopFile, parseParallel, workersFor } from './run-parallel.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function run(out: string, runId: string, parallel: string) {
  const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'run', 'features/foundation', '--parallel', parallel, '--out', out, '--run-id', runId, '--quiet'], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, results: JSON.parse(readFileSync(join(out, runId, 'results.json'), 'utf8')) as RunResult };
}

/**
 * Everything but wall-clock times and what differs between any two runs, serial ones too: source ports the OS picks,
 * and ECDSA signatures (random by design: PEM bodies, thumbprints), serials of self-signed certificates.
 */
function comparable(r: RunResult): string {
  const { startedAt: _s, finishedAt: _f, durationMs: _d, runId: _r, ...rest } = r;
  const json = JSON.stringify({ ...rest, scenarios: r.scenarios.map(({ durationMs: _x, steps, ...s }) => ({ ...s, steps: steps.map(({ durationMs: _y, ...st }) => st) })) });
  return json.replace(/(127\.\d+\.\d+\.\d+):\d{4,5}/g, '$1:PORT').replace(/-----BEGIN [A-Z ]+-----[^-]*-----END [A-Z ]+-----/g, 'PEM')
    .replace(/[0-9A-F]{40}/g, 'THUMBPRINT').replace(/[0-9a-f]{40}/g, 'thumbprint').replace(/[0-9A-F]{32}/g, 'SERIAL');
}

describe('domsec run --parallel', () => {
  it('reads N and refuses what is not a number of workers with ERR_USAGE', () => {
    expect(parseParallel('3')).toBe(3);
    expect(parseParallel(undefined)).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', 'two', '-1', '1.5']) expect(() => parseParallel(bad)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(workersFor(4, 3)).toBe(3);
    expect(workersFor(4, 1)).toBe(0); // one scenario: the serial run, no worker to start
    expect(workersFor(1, 50)).toBe(0);
  });

  // The marks are the ones run-worker-start.mjs writes; run-stop.test.ts has a worker really ended while starting.
  // Worker 0 is domsec's own process (in-process-worker.ts): it writes no mark and is never counted.
  it('a worker that never listened explains a failed verdict only when every other one exited 0', () => {
    const stop = new StopFile();
    const mark = (id: number, state: string) => writeFileSync(join(dirname(stop.path), `worker-${id}`), state);
    try {
      mark(1, 'exited 0');
      expect(stop.diedStarting(3)).toBe(1); // worker 2 never got to listen
      mark(2, 'listening'); // it listened, then did not exit 0: a hook or a crash, not the signal
      expect(stop.diedStarting(3)).toBeUndefined();
      mark(2, 'exited 0');
      expect(stop.diedStarting(3)).toBe(0);
    } finally {
      stop.remove();
    }
  });

  it('two workers report the foundation scenarios exactly as the serial run does, in the same order', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-par-'));
    const serial = run(out, 'serial', '1');
    const parallel = run(out, 'parallel', '2');
    expect(serial.code).toBe(0);
    expect(parallel.code).toBe(0);
    expect(parallel.results.scenarios.length).toBeGreaterThan(2);
    expect(parallel.results.scenarios.map((s) => s.id)).toEqual(serial.results.scenarios.map((s) => s.id));
    expect(comparable(parallel.results)).toBe(comparable(serial.results));
  }, 240_000);

  // Every Node process the run starts writes a line (NODE_OPTIONS reaches forked workers too): --parallel N is domsec's
  // own process, which runs scenarios as worker 0, and N-1 forked workers.
  it('--parallel N starts N-1 worker processes: domsec\'s own process is worker 0 and runs scenarios', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-par-'));
    const preload = join(out, 'log-process.cjs');
    // Not in a thread: tsx's module hooks run on one, which takes NODE_OPTIONS' --require too. At exit each process
    // also says which function cucumber-expressions took for group positions: native-match-indices.cjs's in every one.
    writeFileSync(preload, `if (require('node:worker_threads').isMainThread) process.on('exit', () => {
      const fromExpressions = require('node:module').createRequire(require.resolve('@cucumber/cucumber-expressions', { paths: [process.cwd()] }));
      require('node:fs').appendFileSync(process.env.PROCESS_LOG, (process.env.CUCUMBER_WORKER_ID ?? 'domsec') + ' ' + fromExpressions('regexp-match-indices').name + '\\n');
    });\n`);
    for (const n of [2, 3]) {
      const log = join(out, `processes-${n}`);
      writeFileSync(log, '');
      const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'run', '--config', 'src/cli/fixtures/catalogue/cucumber.mjs', '--parallel', String(n), '--out', out, '--run-id', `n${n}`, '--quiet'], {
        cwd: repo, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: `--require ${preload}`, PROCESS_LOG: log },
      });
      expect(r.status).toBe(1); // the fixture catalogue fails two scenarios on purpose
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).sort()).toEqual([...Array.from({ length: n - 1 }, (_, i) => String(i + 1)), 'domsec'].map((p) => `${p} execWithIndices`));
      const started = gunzipSync(readFileSync(join(out, `n${n}`, 'cucumber.ndjson.gz'))).toString('utf8').split('\n').filter(Boolean)
        .flatMap((l) => { const m = JSON.parse(l) as { testCaseStarted?: { workerId?: string } }; return m.testCaseStarted ? [m.testCaseStarted.workerId] : []; });
      expect(started).toHaveLength(3);
      expect(started).toContain('0');
    }
  }, 240_000);

  it('a step failing in a worker is reported with the same message and stack, file and line, as in the serial run', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-par-'));
    const failures = (parallel: string) => {
      const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'run', '--config', 'src/cli/fixtures/catalogue/cucumber.mjs', '--parallel', parallel, '--out', out, '--run-id', `p${parallel}`, '--quiet'], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
      expect(r.status).toBe(1); // the fixture catalogue fails two scenarios on purpose
      const raw = gunzipSync(readFileSync(join(out, `p${parallel}`, 'cucumber.ndjson.gz'))).toString('utf8').split('\n').filter(Boolean);
      return raw.map((l) => JSON.parse(l) as { testStepFinished?: { testStepResult: { status: string; message?: string } } })
        .flatMap((m) => (m.testStepFinished?.testStepResult.status === 'FAILED' ? [m.testStepFinished.testStepResult.message] : [])).sort();
    };
    const serial = failures('1');
    expect(serial).toHaveLength(2);
    expect(serial[0]).toContain('fixture.steps.ts:25:');
    expect(failures('2')).toEqual(serial);
  }, 240_000);
});
