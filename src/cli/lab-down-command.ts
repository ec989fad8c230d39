// `domsec lab down --dir D` and `domsec lab status --dir D`: stop the lab that `lab up` keeps running in D, or say how it runs.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { DEFAULT_LAB_DIR, callLab } from './lab-client.js';
import type { Endpoints } from './lab-export.js';
import { LOCK_FILE, type LockBody, isAlive, readLock } from './lab-lock.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

/** Wall-clock bound on waiting for a lab to exit after it was asked to; then it gets SIGTERM, then SIGKILL. */
const STOP_WAIT_MS = 20_000;
const POLL_MS = 50;

interface Found {
  dir: string;
  shown: string;
  lock?: LockBody;
  running: boolean;
  endpoints?: Endpoints;
}

function find(command: string, args: string[], io: CliIo): Found | 'help' {
  const { values } = parseOptions(command, args, { dir: { type: 'string', short: 'd' } });
  if (values.help) return 'help';
  const dir = resolve(io.cwd, values.dir ?? DEFAULT_LAB_DIR);
  const lock = readLock(dir);
  let endpoints: Endpoints | undefined;
  try {
    const file = join(dir, 'endpoints.json');
    if (existsSync(file)) endpoints = JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
  } catch {
    endpoints = undefined; // half-written by a lab that is starting: status says what the lock says
  }
  return { dir, shown: shownPath(io.cwd, dir), ...(lock ? { lock } : {}), running: lock !== undefined && isAlive(lock), ...(endpoints ? { endpoints } : {}) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(lock: LockBody, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += POLL_MS) {
    if (!isAlive(lock)) return true;
    await sleep(POLL_MS);
  }
  return !isAlive(lock);
}

export async function labDownCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const f = find('lab down', args, io);
  if (f === 'help') {
    println(io.stdout, USAGE['lab down']);
    return EXIT.ok;
  }
  if (!f.lock || !f.running) {
    if (f.lock) rmSync(join(f.dir, LOCK_FILE), { force: true });
    println(io.stdout, `No lab is running in ${f.shown}${f.lock ? ` (removed the stale lock of pid ${f.lock.pid})` : ''}.`);
    return EXIT.ok;
  }
  const lock = f.lock;
  // The control port first: the lab then stops as on Ctrl-C, writing its last evidence. The pid is the fallback.
  let asked = 'its control port';
  try {
    if (!f.endpoints || f.endpoints.pid !== lock.pid) throw new Error('no endpoints of this lab');
    await callLab(f.endpoints.control, 'POST', '/stop');
  } catch {
    asked = 'SIGTERM';
    try { process.kill(lock.pid, 'SIGTERM'); } catch { /* gone meanwhile */ }
  }
  if (!(await waitGone(lock, STOP_WAIT_MS))) {
    try { process.kill(lock.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    if (!(await waitGone(lock, 2_000))) {
      println(io.stderr, `domsec lab down: the lab (pid ${lock.pid}) in ${f.shown} did not stop, even after SIGKILL.`);
      return EXIT.failures;
    }
    println(io.stdout, `Stopped the lab (pid ${lock.pid}) in ${f.shown} with SIGKILL: it did not stop within ${STOP_WAIT_MS / 1000} s of ${asked}.`);
    rmSync(join(f.dir, LOCK_FILE), { force: true });
    return EXIT.ok;
  }
  // A lab ended from outside may not have removed its lock; one naming a process that is gone is stale.
  if (readLock(f.dir)?.pid === lock.pid) rmSync(join(f.dir, LOCK_FILE), { force: true });
  println(io.stdout, `Stopped the lab (pid ${lock.pid}) in ${f.shown} through ${asked}.`);
  return EXIT.ok;
}

export async function labStatusCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const f = find('lab status', args, io);
  if (f === 'help') {
    println(io.stdout, USAGE['lab status']);
    return EXIT.ok;
  }
  if (!f.running || !f.lock) {
    println(io.stdout, `No lab is running in ${f.shown}${f.lock ? ` (a stale lock of pid ${f.lock.pid}, which no longer runs)` : ''}.`);
    return EXIT.failures;
  }
  const e = f.endpoints?.pid === f.lock.pid ? f.endpoints : undefined;
  if (!e) {
    println(io.stdout, `A lab (pid ${f.lock.pid}) is starting in ${f.shown} since ${f.lock.since}; no endpoints yet.`);
    return EXIT.ok;
  }
  let answers = true;
  try {
    await callLab(e.control, 'GET', '/status');
  } catch {
    answers = false;
  }
  println(io.stdout, `lab ${e.lab} (seed ${e.seed}) is running in ${f.shown}: pid ${f.lock.pid}, since ${f.lock.since}`);
  println(io.stdout, `  control http://${e.control.host}:${e.control.port}/${answers ? '' : ' (does not answer)'}`);
  for (const o of e.organizations) {
    for (const x of o.edges) println(io.stdout, `  ${o.name.padEnd(18)} ${x.edge.padEnd(6)} ${x.fqdn.padEnd(26)} ${x.address}:${x.port}`);
  }
  return EXIT.ok;
}
