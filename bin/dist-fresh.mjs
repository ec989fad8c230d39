// Whether a compiled command (scripts/build.mjs) still matches the sources it was built from. Plain JavaScript with
// node:fs only: it runs on every `domsec` start, before anything else is loaded.
import { readFileSync, statSync } from 'node:fs';

/**
 * True when `stamp` (the build's stamp.json) lists files under `root` that all still have the modification time they
 * had at the build. A missing stamp, a changed, restored or deleted source: false, and the caller runs the sources.
 */
export function distIsFresh(root, stamp) {
  try {
    const { mtimes } = JSON.parse(readFileSync(stamp, 'utf8'));
    for (const [file, mtime] of Object.entries(mtimes)) if (statSync(new URL(file, root)).mtimeMs !== mtime) return false;
    return Object.keys(mtimes).length > 0;
  } catch {
    return false;
  }
}
