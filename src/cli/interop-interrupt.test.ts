// Ctrl-C during `domsec run --profile interop-postfix`: the run ends and leaves no Postfix behind, nor its folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { mtaGate } from '../peers/index.js';
import { describeGated } from '../peers/testing/gated-describe.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'domsec-interrupt-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Postfix masters started by `parent`, with the instance folder each serves (from `master -c <root>/etc`). */
function mastersOf(parent: number): { pid: number; root: string }[] {
  const found: { pid: number; root: string }[] = [];
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (Number(ppid) === parent && state !== 'Z' && argv[0].endsWith('/master')) found.push({ pid: Number(e), root: argv[argv.indexOf('-c') + 1].replace(/\/etc$/, '') });
    } catch {
      // ended while we looked
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const gate = mtaGate('postfix');
describeGated(gate, 'ERR_MTA_MISSING', 'SIGINT during domsec run --profile interop-postfix', () => {
  it('stops the Postfix it started and removes its folder', async () => {
    const run = spawn(process.execPath, ['bin/domsec.mjs', 'run', '--profile', 'interop-postfix', '--out', out, '--quiet'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    run.stdout.on('data', (d) => (text += String(d)));
    run.stderr.on('data', (d) => (text += String(d)));
    const exited = new Promise<void>((resolve) => run.once('exit', () => resolve()));
    // Wait for the first scenario's Postfix to be up, then interrupt the run as Ctrl-C would.
    let masters: { pid: number; root: string }[] = [];
    for (const end = Date.now() + 45_000; masters.length === 0 && Date.now() < end && run.exitCode === null; await new Promise((r) => setTimeout(r, 50))) {
      masters = mastersOf(run.pid!);
    }
    expect(masters, `a Postfix master under the run:\n${text}`).not.toEqual([]);
    run.kill('SIGINT');
    await exited;
    for (const m of masters) {
      expect(alive(m.pid), `master ${m.pid} ended`).toBe(false);
      expect(existsSync(m.root), `${m.root} removed`).toBe(false);
    }
  }, 60_000);
}, { implementation: 'postfix' });
