// `lab up` survives kill -9: mail queued for a partner that refuses is on disk, the restarted lab on the same --dir
// delivers it exactly once, and the crashed run's logs and evidence are moved aside, not deleted.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { Endpoints } from './lab-export.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'domsec-restart-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function domsec(args: string[]) {
  return spawnSync(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
}

async function labUp(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir, '--seed', 'restart'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (out.includes('Press Ctrl-C')) {
        clearInterval(check);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(check);
      reject(new Error(`lab up exited ${code}:\n${out}`));
    });
  });
  return { child, output: () => out };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** What treyresearch.net's users hold, as the lab keeps it on disk (one JSON line per delivery). */
function delivered(subject: string): number {
  const file = join(dir, 'state', 'treyresearch.net.mailboxes.jsonl');
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { message: { subject: string } }).filter((r) => r.message.subject === subject).length;
}

it('kill -9 with mail queued for a refusing partner; the restarted lab delivers it once; the old logs are kept', async () => {
  const first = await labUp();
  // The partner refuses for now: a one-sided change on treyresearch.net makes adatum.com's edge queue with 451 4.7.3.
  expect(domsec(['shell', '--dir', dir, '--org', 'treyresearch.net', '-c', 'Set-ReceiveConnector "EX1\\From adatum.com" -DomainSecureEnabled:$false']).status).toBe(0);
  const sent = domsec(['lab', 'send', '--dir', dir, '--from', 'kim@adatum.com', '--to', 'pat@treyresearch.net', '--subject', 'across the crash']);
  expect(sent.stdout).toContain('451 4.7.3');
  expect(readFileSync(join(dir, 'state', 'adatum.com.queue.json'), 'utf8')).toContain('across the crash');
  await killHard(first.child);

  // Restarted from the lab file, the partner accepts again: the recovered message goes at once.
  const second = await labUp();
  expect(second.output()).toMatch(/1 queued message\(s\) recovered and tried again/);
  expect(delivered('across the crash')).toBe(1);
  const queue = domsec(['shell', '--dir', dir, '--org', 'adatum.com', '-c', 'Get-Queue']);
  expect(queue.stdout).not.toMatch(/Retry/);

  // The crashed run's protocol logs moved to previous/<time>/, with its refusal in them.
  const previous = readdirSync(join(dir, 'previous'));
  expect(previous).toHaveLength(1);
  const moved = spawnSync('grep', ['-rl', '451 4.7.3', join(dir, 'previous', previous[0], 'logs')], { encoding: 'utf8' });
  expect(moved.stdout.trim()).not.toBe('');

  // Killed again after the delivery: a third start has nothing left to send, and the mail is still there once.
  await killHard(second.child);
  const third = await labUp();
  expect(third.output()).toMatch(/0 queued message\(s\) recovered/);
  expect(delivered('across the crash')).toBe(1);
  // The running lab serves the mailbox it got back from disk.
  const e = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints;
  const box = await (await fetch(`http://${e.control.host}:${e.control.port}/mailbox?address=pat@treyresearch.net`, { headers: { authorization: `Bearer ${e.control.token}` } })).json() as { subject: string; authAs: string }[];
  expect(box.filter((m) => m.subject === 'across the crash').map((m) => m.authAs)).toEqual(['Partner']);
  expect(readdirSync(join(dir, 'previous'))).toHaveLength(2);
  await killHard(third.child);
}, 120_000);
