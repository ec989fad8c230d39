// A lab's folder is its own: lab up locks it, lab status reports it, lab down stops it; one-shot labs run side by side.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Endpoints } from './lab-export.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

async function labUp(dir: string): Promise<{ child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir], { cwd: repo });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let exited = false;
  void exit.then(() => (exited = true));
  while (!out.includes('to stop the lab.') && !exited) await new Promise((r) => setTimeout(r, 25));
  if (exited) throw new Error(`lab up exited:\n${out}${err}`);
  return { child, out: () => out, err: () => err, exit };
}

describe('lab up / lab status / lab down on one --dir', () => {
  it('a second lab up refuses and names the pid; status shows the lab; down stops it and waits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-lock-'));
    const lab = await labUp(dir);
    try {
      const keyBefore = readFileSync(join(dir, 'adatum.com', 'EX1.key.pem'), 'utf8');
      const second = await run(['lab', 'up', '--dir', dir]);
      expect(second.code).toBe(2);
      expect(second.err.trim()).toBe(`domsec lab up: a lab (pid ${lab.child.pid}) is running in ${dir}: stop it with "domsec lab down --dir ${dir}", or give this one another --dir. [ERR_LAB_BUSY]`);
      expect(readFileSync(join(dir, 'adatum.com', 'EX1.key.pem'), 'utf8')).toBe(keyBefore);

      const e = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints;
      const status = await run(['lab', 'status', '--dir', dir]);
      expect(status.code).toBe(0);
      const lines = status.out.trim().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^lab adatum-treyresearch \\(seed adatum-treyresearch\\) is running in ${dir}: pid ${lab.child.pid}, since \\d{4}-`));
      expect(lines[1]).toBe(`  control http://127.0.0.1:${e.control.port}/`);
      for (const o of e.organizations) for (const x of o.edges) expect(status.out).toContain(`${x.fqdn.padEnd(26)} ${x.address}:${x.port}`);

      const down = await run(['lab', 'down', '--dir', dir]);
      expect(down.code).toBe(0);
      expect(down.out.trim()).toBe(`Stopped the lab (pid ${lab.child.pid}) in ${dir} through its control port.`);
      expect(await lab.exit).toBe(0);
      expect(lab.out()).toContain('lab adatum-treyresearch stopped (lab down)');
      expect(existsSync(join(dir, 'lab.lock'))).toBe(false);
      const after = await run(['lab', 'status', '--dir', dir]);
      expect(after.code).toBe(1);
      expect(after.out.trim()).toBe(`No lab is running in ${dir}.`);
      expect((await run(['lab', 'down', '--dir', dir])).out.trim()).toBe(`No lab is running in ${dir}.`);
    } finally {
      if (lab.child.exitCode === null) lab.child.kill('SIGTERM');
    }
  }, 90_000);

  it('a stale lock of a process that no longer runs is taken over with a notice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, 'lab.lock'), JSON.stringify({ pid: Number(dead), since: '2026-01-01T00:00:00.000Z' }));
    const status = await run(['lab', 'status', '--dir', dir]);
    expect(status.code).toBe(1);
    expect(status.out.trim()).toBe(`No lab is running in ${dir} (a stale lock of pid ${dead}, which no longer runs).`);
    const lab = await labUp(dir);
    try {
      expect(lab.err()).toContain(`domsec lab up: ${dir} was locked by pid ${dead}, which no longer runs; taking it over.`);
      expect(JSON.parse(readFileSync(join(dir, 'lab.lock'), 'utf8')).pid).toBe(lab.child.pid);
    } finally {
      lab.child.kill('SIGINT');
      expect(await lab.exit).toBe(0);
    }
    expect(existsSync(join(dir, 'lab.lock'))).toBe(false);
  }, 90_000);
});

describe('lab down without a control port', () => {
  it('falls back to SIGTERM on the pid and waits until the process has exited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-lock-'));
    // A stand-in that holds the lock but has no endpoints.json (a lab still starting, or one whose port is gone).
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => holder.on('exit', (_code, signal) => resolve(signal)));
    try {
      const start = readFileSync(`/proc/${holder.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
      writeFileSync(join(dir, 'lab.lock'), JSON.stringify({ pid: holder.pid, start, since: '2026-03-02T09:00:00.000Z' }));
      const status = await run(['lab', 'status', '--dir', dir]);
      expect(status.out.trim()).toBe(`A lab (pid ${holder.pid}) is starting in ${dir} since 2026-03-02T09:00:00.000Z; no endpoints yet.`);
      const down = await run(['lab', 'down', '--dir', dir]);
      expect(down.code).toBe(0);
      expect(down.out.trim()).toBe(`Stopped the lab (pid ${holder.pid}) in ${dir} through SIGTERM.`);
      expect(await exited).toBe('SIGTERM');
      expect(existsSync(join(dir, 'lab.lock'))).toBe(false);
    } finally {
      if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    }
  }, 60_000);
});

describe('one-shot domsec lab', () => {
  it('two at once in one checkout both succeed, each with its own log folder', async () => {
    const [a, b] = await Promise.all([run(['lab']), run(['lab'])]);
    for (const r of [a, b]) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain('2 of 2 messages delivered');
    }
    const folder = (out: string) => /^protocol logs: (\S+)\/<domain>/m.exec(out)?.[1];
    expect(folder(a.out)).toMatch(/^reports\/lab-adatum-treyresearch\/\d{8}T\d{6}-\d+\/logs$/);
    expect(folder(a.out)).not.toBe(folder(b.out));
    expect(existsSync(join(repo, folder(a.out)!, 'adatum.com'))).toBe(true);
    expect(existsSync(join(repo, folder(b.out)!, 'adatum.com'))).toBe(true);
  }, 90_000);
});
