// --parallel: the real catalogue's foundation features in two worker processes report what the serial run reports.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../report/run-result.js';
import { parseParallel, workersFor } from './run-parallel.js';

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
});
