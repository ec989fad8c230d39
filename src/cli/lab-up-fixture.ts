// Test support: `domsec lab up` as a child process, started until it prints its endpoints, and stopped with SIGTERM;
// other `domsec` commands (lab send, …) run beside it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { Endpoints } from './lab-export.js';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
const running = new Set<ChildProcess>();

/** Runs `domsec ARGS` to its end (60 s at most), with `env` on top of this process's environment. */
export function runDomsec(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Starts `domsec lab up` and resolves once it printed its endpoints (within `timeoutMs`); the caller stops it with stop(). */
export async function labUp(args: string[], timeoutMs = 60_000): Promise<{ child: ChildProcess; output: () => string; endpoints: Endpoints; dir: string }> {
  const dir = args[args.indexOf('--dir') + 1]!;
  const child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (c) => { output += String(c); });
  child.stderr!.on('data', (c) => { output += String(c); });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`lab up did not come up:\n${output}`)), timeoutMs);
    const check = setInterval(() => {
      if (output.includes('Press Ctrl-C')) { clearInterval(check); clearTimeout(t); resolve(); }
    }, 50);
    child.once('exit', (code) => { clearInterval(check); clearTimeout(t); reject(new Error(`lab up exited ${code}:\n${output}`)); });
  });
  return { child, output: () => output, dir, endpoints: JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  running.delete(child);
}

afterAll(async () => {
  for (const c of running) await stop(c);
});

