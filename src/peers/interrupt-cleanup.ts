// Ends what the peers started when this process is interrupted (SIGINT, SIGTERM, SIGHUP) or exits without stop(),
// and, through a detached watcher, even when it is killed outright (SIGKILL, OOM): MTA process groups first, then their folders.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

type Phase = 'process' | 'folder';
interface Cleanup {
  phase: Phase;
  run(): void;
}

const cleanups = new Set<Cleanup>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooked = false;

/** Runs every registered cleanup once, processes before folders (a live MTA could still write into its folder). */
export function runCleanups(): void {
  const all = [...cleanups];
  cleanups.clear();
  for (const phase of ['process', 'folder'] as const) {
    for (const c of all.filter((x) => x.phase === phase)) {
      try {
        c.run();
      } catch {
        // Best effort: one stuck folder must not keep the MTAs of the others running.
      }
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runCleanups();
  // Someone else listens too (lab up's graceful stop, a runner writing an interrupted report): they decide what happens next.
  if (process.listenerCount(signal) > 1) return;
  // We were the only listener, so without us the signal would have ended the process: let it, with the signal's own status.
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', runCleanups);
  for (const s of SIGNALS) process.on(s, onSignal);
}

/** Registers a synchronous cleanup; the returned function forgets it (normal stop() did the work). */
export function onInterrupt(phase: Phase, run: () => void): () => void {
  hook();
  const c: Cleanup = { phase, run };
  cleanups.add(c);
  return () => void cleanups.delete(c);
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal); // the group we created with detached: true, and nothing else
    return true;
  } catch {
    return false;
  }
}

export function removeFolder(dir: string): void {
  // A delivery agent killed a moment ago may still hold a file open: retry the ENOTEMPTY it causes.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
}

/**
 * A watcher outside this process (its own session, so Ctrl-C to our terminal group does not reach it): once this
 * process is gone, however it died, it kills the MTA's group and removes the folder. stop() ends the watcher.
 */
export function startWatchdog(pgid: number, dir?: string): () => void {
  const script = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -KILL "-$2" 2>/dev/null; [ -n "$3" ] && rm -rf -- "$3"; exit 0';
  let child;
  try {
    child = spawn('/bin/sh', ['-c', script, 'domsec-peer-watchdog', String(process.pid), String(pgid), dir ?? ''], { detached: true, stdio: 'ignore' });
  } catch {
    return () => undefined;
  }
  child.on('error', () => undefined);
  child.unref();
  const pid = child.pid;
  return () => {
    if (pid) killGroup(pid, 'SIGKILL');
  };
}
