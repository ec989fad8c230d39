// Output folders (--out, --dir) are checked before any work starts: a run must not fail on its last step with a stack trace.
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomsecError } from '../errors.js';

/**
 * Creates `dir` if needed and proves a file can be written in it (a probe file, removed at once): access(2) alone
 * says yes for root on a read-only mount. Throws ERR_OUTPUT_DIR naming the folder, the system's reason and the option.
 */
export function ensureWritableDir(command: string, dir: string, shown: string, option: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.domsec-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw outputDirError(command, shown, option, e);
  }
}

export function outputDirError(command: string, shown: string, option: string, e: unknown): DomsecError {
  const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const why = { EACCES: 'permission denied', EPERM: 'not permitted', EROFS: 'read-only file system', ENOTDIR: 'a part of the path is a file, not a folder', EEXIST: 'a file has that name', ENOSPC: 'no space left on the device' }[reason] ?? reason;
  return new DomsecError('ERR_OUTPUT_DIR', `domsec ${command}: cannot write to the folder ${shown} (${why}). Choose a writable folder with ${option}.`, { dir: shown }, { cause: e });
}
