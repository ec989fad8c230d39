// The streams and environment a command writes to: injected so tests drive commands in-process and read what a user would see.
import { isAbsolute, relative } from 'node:path';
import type { Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Wall clock for run ids and elapsed times (the simulation has its own virtual clock). */
  now: () => Date;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, now: () => new Date() };
}

export function println(w: Writable, line = ''): void {
  w.write(`${line}\n`);
}

/** Paths as the user can type them: relative below the working directory, absolute elsewhere. */
export function shownPath(cwd: string, p: string): string {
  const r = relative(cwd, p);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? p : r;
}
