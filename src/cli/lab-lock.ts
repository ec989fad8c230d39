// The lock a running `lab up` holds on its --dir: a second lab must not delete and rewrite a live lab's keys, logs and evidence.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomsecError } from '../errors.js';

export const LOCK_FILE = 'lab.lock';

export interface LockBody {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22): a reused pid is not the lab. */
  start?: string;
  since: string;
}

/** State and start time from /proc/<pid>/stat (fields 3 and 22), or undefined where /proc is missing or the process is gone. */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], start: f[19] };
  } catch {
    return undefined;
  }
}

export function processStart(pid: number): string | undefined {
  return procStat(pid)?.start;
}

export function isAlive(body: Pick<LockBody, 'pid' | 'start'>): boolean {
  try {
    process.kill(body.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(body.pid);
  // An exited lab its parent has not reaped yet (a zombie) holds nothing any more.
  if (stat && (stat.state === 'Z' || stat.state === 'X')) return false;
  return body.start === undefined || stat === undefined || stat.start === body.start;
}

export function readLock(dir: string): LockBody | undefined {
  try {
    const body = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockBody;
    return typeof body.pid === 'number' ? body : undefined;
  } catch {
    return undefined;
  }
}

export interface LabLock {
  /** Set when a stale lock of a process that no longer runs was taken over. */
  tookOverFrom?: number;
  release(): void;
}

/**
 * Takes the lock on `dir` (which must exist) with an exclusive create. A lock whose process still runs refuses with
 * ERR_LAB_BUSY naming its pid; a stale one (its process gone) is replaced, and the caller says so.
 */
export function acquireLabLock(dir: string, shown: string): LabLock {
  const file = join(dir, LOCK_FILE);
  const body: LockBody = { pid: process.pid, ...(processStart(process.pid) ? { start: processStart(process.pid) } : {}), since: new Date().toISOString() };
  let tookOverFrom: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(body)}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw busy(shown, readLock(dir)?.pid);
        throw e;
      }
      const held = readLock(dir);
      if (held && isAlive(held)) throw busy(shown, held.pid);
      tookOverFrom = held?.pid;
      rmSync(file, { force: true }); // then one more exclusive create: of two takers, one wins and the other is refused
    }
  }
  const release = () => {
    if (readLock(dir)?.pid === process.pid) rmSync(file, { force: true });
    process.off('exit', release);
  };
  // A lab that dies of an error still frees its folder.
  process.on('exit', release);
  return { ...(tookOverFrom !== undefined ? { tookOverFrom } : {}), release };
}

function busy(shown: string, pid: number | undefined): DomsecError {
  return new DomsecError('ERR_LAB_BUSY', `a lab (pid ${pid ?? '?'}) is running in ${shown}: stop it with "domsec lab down --dir ${shown}", or give this one another --dir.`, { pid });
}
