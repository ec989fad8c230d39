// Whether files still have the modification times a build recorded (dist/ by scripts/build.mjs, bin/dist-fresh.mjs;
// the workers' support bundle, support-bundle.ts). Plain JavaScript with Node's built-ins only: bin/domsec.mjs runs it
// on every start, before anything else is loaded.
import { statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * True when every file of `mtimes` (paths relative to `dir`) still has the modification time it had at the build, and
 * there is at least one. A changed, restored or deleted file: false, and the caller uses the sources instead.
 */
export function sourcesUnchanged(dir, mtimes) {
  let files = 0;
  for (const file in mtimes) {
    const s = statSync(join(dir, file), { throwIfNoEntry: false });
    if (s === undefined || s.mtimeMs !== mtimes[file]) return false;
    files++;
  }
  return files > 0;
}
