// `lab up` goes on when its evidence cannot be written (issue 10: a failed write ended the lab): it warns once on
// stderr (and raises event 9102 in each organization), keeps delivering, and stops cleanly.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('lab up with an evidence file it cannot write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-evidence-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns once on stderr and keeps delivering', async () => {
    child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir, '--seed', 'evidence-fails'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => { out += String(c); });
    child.stderr!.on('data', (c) => { err += String(c); });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const until = async (what: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!what() && Date.now() < end && child!.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    };
    await until(() => out.includes('Press Ctrl-C'), 30_000);
    expect(out, err).toContain('Press Ctrl-C');
    // A directory where evidence.json should be: every later write fails with EISDIR (root or not).
    rmSync(join(dir, 'evidence.json'), { force: true });
    mkdirSync(join(dir, 'evidence.json'));
    const send = spawnSync(process.execPath, ['bin/domsec.mjs', 'lab', 'send', '--dir', dir, '--from', 'administrator@adatum.com', '--to', 'administrator@treyresearch.net'],
      { cwd: repo, encoding: 'utf8', timeout: 30_000 });
    expect(send.stdout, send.stderr).toContain('✓ administrator@adatum.com → administrator@treyresearch.net');
    await until(() => err.includes('could not be written'), 5000);
    expect(err).toMatch(/warning: The lab evidence .*evidence\.json could not be written \(EISDIR\); the lab goes on/);
    expect(err.match(/could not be written/g)).toHaveLength(1);
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
