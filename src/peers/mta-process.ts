// Owns an MTA's process group: start it in its own group, wait until its listener answers, and always end it (even if the runner is interrupted or dies).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { DomsecError } from '../errors.js';
import { killGroup, onInterrupt, startWatchdog } from './interrupt-cleanup.js';

export interface MtaProcess {
  pid: number;
  /** stdout+stderr so far (start failures are explained here). */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Members of the group that still run. Zombies do not count: orphans wait for PID 1 to reap them, which may be slow here. */
function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return false;
  }
  for (const e of entries) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

/** `folder`: the instance folder a watchdog removes if this process dies without stop() (omit to keep it). */
export function spawnMta(command: string, args: string[], env: NodeJS.ProcessEnv = {}, o: { folder?: string } = {}): MtaProcess {
  const child: ChildProcess = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...env } });
  let out = '';
  let gone = false;
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  child.on('exit', () => (gone = true));
  child.on('error', (e) => {
    out += String(e);
    gone = true;
  });
  const pid = child.pid ?? -1;
  // An interrupt, an exit without stop(), or a hard kill of this process still ends the whole group.
  const endWatchdog = pid > 0 ? startWatchdog(pid, o.folder) : () => undefined;
  const forget = pid > 0 ? onInterrupt('process', () => {
    killGroup(pid, 'SIGKILL');
    endWatchdog(); // done here; it must not act later on a process group id the system may have reused
  }) : () => undefined;
  return {
    pid,
    output: () => out,
    exited: () => gone,
    async stop() {
      if (pid <= 0) return;
      killGroup(pid, 'SIGTERM');
      for (let i = 0; i < 30 && groupAlive(pid); i++) await sleep(50);
      // Delivery agents that outlive the master a little are ended too: they are in the same group.
      if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
      for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(25);
      forget();
      endWatchdog();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Reads /proc/net/tcp for a LISTEN socket, so waiting leaves no "lost connection after CONNECT" noise in the MTA log. */
function listeningInProc(address: string, port: number): boolean | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined;
  }
  // Little-endian hex IPv4 then port, e.g. 0102007F:09C5 for 127.0.2.1:2501; state 0A = LISTEN.
  const ip = address.split('.').map((o) => Number(o).toString(16).padStart(2, '0').toUpperCase()).reverse().join('');
  const want = `${ip}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
  return table.split('\n').some((l) => {
    const f = l.trim().split(/\s+/);
    return (f[1] === want || f[1] === `00000000:${want.slice(9)}`) && f[3] === '0A';
  });
}

function tryConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Whether something listens on address:port now (the kernel's table when readable, else a connect). */
export async function isListening(address: string, port: number): Promise<boolean> {
  return listeningInProc(address, port) ?? (await tryConnect(address, port));
}

/** Resolves when address:port accepts a TCP connection; fails with ERR_MTA_START (and the MTA's words) otherwise. */
export async function waitForListener(p: MtaProcess, address: string, port: number, timeoutMs: number, what: string, log?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (listeningInProc(address, port) ?? (await tryConnect(address, port))) return;
    if (p.exited()) break;
    await sleep(20);
  }
  const detail = [p.output().trim(), log?.().trim()].filter(Boolean).join('\n').split('\n').slice(-15).join('\n');
  throw new DomsecError('ERR_MTA_START', `${what} did not start listening on ${address}:${port} within ${timeoutMs} ms.${detail ? `\n${detail}` : ''}`, { address, port });
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an MTA tool (sendmail, postqueue, exim -bp) to completion; never throws on a non-zero exit, the caller decides. */
export function runCommand(command: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: stderr + String(e) }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Polls `probe` (a real MTA runs on wall-clock time, so this is a real wait, not a protocol timer). */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string, logTail?: () => Promise<string[]>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      // A CI run keeps only the failure message: the MTA's last log lines are what says why, so they go in it.
      const tail = logTail ? (await logTail().catch(() => [])).slice(-LOG_TAIL_LINES) : [];
      const why = tail.length ? `; its last ${tail.length} log lines:\n${tail.join('\n')}` : '; read its log() to see why.';
      throw new DomsecError('ERR_PEER_TIMEOUT', `Timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(25);
  }
}

const LOG_TAIL_LINES = 30;
