// Owns a peer's private directory tree: created per instance with the owners and modes the MTA demands, removed on stop.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { DomsecError } from '../errors.js';
import { dirname, join, resolve } from 'node:path';

/** The MTA's unprivileged users (postfix, nobody, Debian-exim) must be able to walk down to the instance directory. */
function checkTraversable(dir: string): void {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new DomsecError('ERR_MTA_START', `The peer work directory ${dir} is below ${d}, which other users cannot enter (mode ${(statSync(d).mode & 0o777).toString(8)}); the MTA's unprivileged processes could not reach their files. Use a directory such as .tmp/peers, or chmod o+x ${d}.`, { dir: d });
    }
    if (dirname(d) === d) return;
  }
}

export function makeInstanceDir(workDir: string, prefix: string): string {
  mkdirSync(workDir, { recursive: true });
  checkTraversable(workDir);
  const root = mkdtempSync(join(resolve(workDir), `${prefix.replace(/[^a-z0-9.-]/gi, '-')}-`));
  // The MTA's unprivileged daemons must traverse it.
  chmodSync(root, 0o755);
  return root;
}

export function ownedDir(path: string, mode: number, uid = 0, gid = 0): void {
  mkdirSync(path, { recursive: true });
  chmodSync(path, mode);
  chownSync(path, uid, gid);
}

/** Files whose name ends in .pem holding a private key are written 0600 (0640 to `keyGroup` when given). */
export function writeFiles(root: string, files: Record<string, string>, keyGroup?: number): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    const secret = text.includes('PRIVATE KEY-----');
    writeFileSync(path, text, { mode: secret ? 0o600 : 0o644 });
    // Postfix waits (300 ms at a time) until a config file is a little older than "now", as if an editor might still be writing it.
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    if (secret && keyGroup !== undefined) {
      chownSync(path, 0, keyGroup);
      chmodSync(path, 0o640);
    }
  }
}

export function removeInstanceDir(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
