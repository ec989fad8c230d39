// Owns calls to the openssl command line, which tests use as an independent judge of what src/ca writes and reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether an openssl binary is on PATH; interop tests skip without one. */
export const HAS_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

export interface OpensslRun { status: number; stdout: string; stderr: string; read(name: string): Buffer }

/** Runs openssl in a fresh temp dir holding `files`; the dir is removed afterwards (read files via the returned reader first). */
export function runOpenssl(args: string[], files: Record<string, string | Uint8Array> = {}): OpensslRun {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-ca-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    const outputs = new Map<string, Buffer>();
    for (const a of args) {
      try { outputs.set(a, readFileSync(join(dir, a))); } catch { /* not a file */ }
    }
    return {
      status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '',
      read: (name) => {
        const b = outputs.get(name);
        if (!b) throw new Error(`openssl did not write ${name}: ${r.stderr}`);
        return b;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

