// Which V8 flags `domsec run --parallel` hands its workers, and how a bad DOMSEC_WORKER_V8_FLAGS is refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SATURATED_WORKER_V8_FLAGS, givenWorkerV8Flags, workerV8Flags } from './worker-v8-flags.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('worker V8 flags', () => {
  it('a worker per core or more waits longer before optimizing; with a core to spare, V8 keeps its defaults', () => {
    expect(workerV8Flags(2, 2)).toBe(SATURATED_WORKER_V8_FLAGS);
    expect(workerV8Flags(8, 4)).toBe(SATURATED_WORKER_V8_FLAGS);
    expect(workerV8Flags(2, 4)).toBe('');
    expect(workerV8Flags(1, 1)).toBe(''); // one worker is the serial run: no worker at all
    expect(workerV8Flags(2, 2, givenWorkerV8Flags({}))).toBe(SATURATED_WORKER_V8_FLAGS); // not set: domsec decides
  });

  it('DOMSEC_WORKER_V8_FLAGS overrides the choice: flags, or empty for V8 defaults', () => {
    expect(workerV8Flags(2, 2, givenWorkerV8Flags({ DOMSEC_WORKER_V8_FLAGS: '' }))).toBe('');
    expect(workerV8Flags(2, 4, givenWorkerV8Flags({ DOMSEC_WORKER_V8_FLAGS: ' --interrupt-budget=270336 --max-lazy ' }))).toBe('--interrupt-budget=270336 --max-lazy');
    for (const bad of ['interrupt-budget=1', '--x; rm -rf /', '--a=b c', '--Budget']) {
      expect(() => givenWorkerV8Flags({ DOMSEC_WORKER_V8_FLAGS: bad })).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    }
  });

  // V8 flags cannot be read back: --trace-opt shows that the workers' V8 took what they were handed.
  it('the workers set the flags on themselves before they run a scenario', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-v8-flags-'));
    const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'run', 'features/foundation', '--parallel', '2', '--quiet', '--out', out], {
      cwd: repo, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOMSEC_WORKER_V8_FLAGS: '--trace-opt' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\[(marking|compiling method) /m);
  }, 120_000);

  it('domsec run refuses a bad DOMSEC_WORKER_V8_FLAGS before it loads anything: exit 2, the variable named', () => {
    const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'run', '--parallel', '2', '--quiet'], {
      cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DOMSEC_WORKER_V8_FLAGS: 'fast please' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('DOMSEC_WORKER_V8_FLAGS="fast please" is not a list of V8 flags');
  }, 60_000);
});
