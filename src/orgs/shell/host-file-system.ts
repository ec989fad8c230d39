// Owns the shell's view of the real disk: absolute host paths (/home/vendor/root.cer) are read from the machine, with a
// size cap, so a vendor imports its own root and PFX as they are; C:\certs\… and every write stay in memory.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DomsecError } from '../../errors.js';
import { MemoryFileSystem } from './runtime.js';

/** Certificates, chains and PFX files are kilobytes; anything past this is not one and is not read into memory. */
export const HOST_FILE_MAX_BYTES = 1024 * 1024;

/** A POSIX absolute path: what the host means; Windows paths (C:\…) are the shell's own files. */
export function isHostPath(p: string): boolean {
  return path.posix.isAbsolute(p.trim());
}

export class HostFileSystem extends MemoryFileSystem {
  override readFile(p: string): Uint8Array {
    if (!isHostPath(p)) return super.readFile(p);
    const file = p.trim();
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new DomsecError('ERR_SHELL_FILE_UNREADABLE', `'${file}' is not a file (it is a folder or a device). Give the path of the .cer, .pem or .pfx file.`, { path: file });
      size = st.size;
    } catch (e) {
      if (e instanceof DomsecError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new DomsecError('ERR_SHELL_FILE', `Could not find file '${file}' on this machine. Check the path (absolute paths are read from the host's disk).`, { path: file });
      throw new DomsecError('ERR_SHELL_FILE_UNREADABLE', `Could not read '${file}' (${code ?? (e as Error).message}). Check its permissions.`, { path: file });
    }
    if (size > HOST_FILE_MAX_BYTES) {
      throw new DomsecError('ERR_SHELL_FILE_UNREADABLE', `'${file}' is ${size} bytes; a certificate or PFX file is at most ${HOST_FILE_MAX_BYTES} bytes here. Check that it is the right file.`, { path: file, size });
    }
    try {
      return new Uint8Array(readFileSync(file));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new DomsecError('ERR_SHELL_FILE_UNREADABLE', `Could not read '${file}' (${code ?? (e as Error).message}). Check its permissions.`, { path: file });
    }
  }
}
