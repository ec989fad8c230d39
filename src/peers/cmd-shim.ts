// The command transport of the shim protocol: `cmd:PATH [ARGS]` runs once per call, one JSON request on stdin, one JSON
// answer on stdout. Bounded in time and size; a shim that exits non-zero fails with the last line it wrote to stderr.
import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import { SHIM_MAX_ANSWER_BYTES, type ShimRequest } from './shim-protocol.js';

export type ShimTransport = (request: ShimRequest) => Promise<string>;

/** Words of `PATH ARGS`, split on blanks; '…' and "…" keep blanks inside one word (no escapes, no variables). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let word: string | undefined;
  let last = -1;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const part = m[1] ?? m[2] ?? m[3];
    // Quoted and bare parts that touch ("a"b) are one word, as in a shell.
    if (word !== undefined && m.index === last) word += part;
    else {
      if (word !== undefined) words.push(word);
      word = part;
    }
    last = re.lastIndex;
  }
  if (word !== undefined) words.push(word);
  if (/["']/.test(line.replace(/"[^"]*"|'[^']*'/g, ''))) {
    throw new DomsecError('ERR_ADAPTER_SPEC', `cmd:${line} has an unmatched quote.`);
  }
  return words;
}

/** PATH relative to `cwd` when it has a slash (./shim.py), else looked up on PATH like a shell does. */
export function cmdTransport(commandLine: string, o: { cwd: string; timeoutMs: number; name: string }): ShimTransport {
  const [command, ...args] = splitCommandLine(commandLine);
  if (!command) throw new DomsecError('ERR_ADAPTER_SPEC', 'cmd: names no command; give cmd:PATH [ARGS].');
  const file = command.includes('/') && !isAbsolute(command) ? resolve(o.cwd, command) : command;
  return (request) => new Promise((done, fail) => {
    // Its own process group, so a timeout ends the shim and whatever it started (postqueue, a shell pipeline).
    const child = spawn(file, args, { cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let settled = false;
    const finish = (e: DomsecError | undefined, body?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      if (e) fail(e);
      else done(body!);
    };
    const timer = setTimeout(() => finish(new DomsecError('ERR_ADAPTER_TIMEOUT', `${o.name} did not answer "${request.call}" within ${o.timeoutMs / 1000} s (it was ended).`, { call: request.call })), o.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > SHIM_MAX_ANSWER_BYTES) finish(new DomsecError('ERR_ADAPTER_ANSWER', `${o.name} wrote more than ${SHIM_MAX_ANSWER_BYTES / 1024 / 1024} MiB for "${request.call}" (it was ended).`, { call: request.call }));
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    child.on('error', (e: NodeJS.ErrnoException) => finish(new DomsecError('ERR_ADAPTER_FAILED', `${o.name} could not be started: ${e.code === 'ENOENT' ? `${file} was not found` : e.code === 'EACCES' ? `${file} is not executable` : e.message}.`, { call: request.call })));
    child.on('close', (code, signal) => {
      if (code === 0) return finish(undefined, Buffer.concat(out).toString('utf8'));
      const why = stderr.trim().split('\n').at(-1) ?? '';
      finish(new DomsecError('ERR_ADAPTER_FAILED', `${o.name} failed at "${request.call}" (${signal ? `killed by ${signal}` : `exit ${code}`})${why ? `: ${why}` : ''}.`, { call: request.call }));
    });
    child.stdin.on('error', () => undefined); // a shim that exits without reading its request: its exit status tells
    child.stdin.end(`${JSON.stringify(request)}\n`);
  });
}
