// Owns a peer's private directory tree: created per instance, short enough for Unix sockets, with the owners and modes the MTA demands, removed on stop or interrupt.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DomsecError } from '../errors.js';
import { onInterrupt, removeFolder } from './interrupt-cleanup.js';
import { dirname, join, resolve } from 'node:path';

/** The MTA's unprivileged users (postfix, nobody, Debian-exim) must be able to walk down to the instance directory. */
function checkTraversable(dir: string): void {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new DomsecError('ERR_MTA_START', `The peer work directory ${dir} is below ${d}, which other users cannot enter (mode ${(statSync(d).mode & 0o777).toString(8)}); the MTA's unprivileged processes could not reach their files. Leave workDir unset (a folder under the system temp folder is used), or chmod o+x ${d}.`, { dir: d });
    }
    if (dirname(d) === d) return;
  }
}

/** sun_path holds 108 bytes with its terminating NUL. */
export const SOCKET_PATH_MAX = 107;
/** Longest Unix socket path below an instance root (Postfix's queue/private/<service>, Exim's spool), with room to spare. */
export const LONGEST_SOCKET_SUFFIX = 40;

/**
 * Where instances live by default: the system temp folder, not the checkout. The MTAs' Unix sockets sit below the
 * instance root, so a checkout in a deep folder would push them past the 108-byte sun_path limit.
 */
export function defaultPeerBase(): string {
  const t = resolve(tmpdir());
  return t.length <= 24 ? t : '/tmp';
}

const registered = new Map<string, () => void>();

/**
 * A fresh private root for one MTA instance (mkdtemp, so nobody can have prepared it). Mode 0711: the MTA's
 * unprivileged users (postfix, nobody, Debian-exim) must pass through it, but need not list it.
 * `workDir` overrides the base folder; a base too deep for Unix sockets is refused with the reason.
 */
export function makeInstanceDir(workDir: string | undefined, prefix: string, o: { keep?: boolean } = {}): string {
  const base = resolve(workDir ?? defaultPeerBase());
  const name = `domsec-${prefix.replace(/[^a-z0-9.-]/gi, '-').slice(0, 24)}-`;
  const length = base.length + 1 + name.length + 6 + 1 + LONGEST_SOCKET_SUFFIX;
  if (length > SOCKET_PATH_MAX) {
    throw new DomsecError('ERR_MTA_START', `The peer work directory ${base} is too deep: the MTA's Unix sockets below it would need ${length} bytes, more than the ${SOCKET_PATH_MAX} a socket path may have. Leave workDir unset (the peers then use ${defaultPeerBase()}) or choose a folder of at most ${base.length - (length - SOCKET_PATH_MAX)} characters.`, { dir: base });
  }
  mkdirSync(base, { recursive: true });
  checkTraversable(base);
  const root = mkdtempSync(join(base, name));
  chmodSync(root, 0o711);
  // Interrupted or exiting without stop(): the folder goes too (after the MTA's processes, see interrupt-cleanup).
  if (!o.keep) registered.set(root, onInterrupt('folder', () => removeFolder(root)));
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
  registered.get(root)?.();
  registered.delete(root);
  removeFolder(root);
}
