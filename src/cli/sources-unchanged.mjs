// A build's stamp: the modification times of the project's files it was made from, and whether they still hold (dist/
// by scripts/build.mjs, read by bin/dist-fresh.mjs; the workers' support bundle, support-bundle.ts). Plain JavaScript
// with Node's built-ins only: bin/domsec.mjs runs it on every start, before anything else is loaded.
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

/**
 * The stamp of a build made from `files` (paths relative to `dir`; an esbuild metafile's inputs, say): the modification
 * time of each, leaving out node_modules (packages stay external: resolved at run time, never part of the build).
 */
export function recordSources(dir, files) {
  return Object.fromEntries(files.filter((f) => !f.includes('node_modules')).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}
