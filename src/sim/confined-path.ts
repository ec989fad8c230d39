// Owns the one check every file writer of a lab goes through: the path it writes must resolve inside its folder.
import path from 'node:path';
import { DomsecError } from '../errors.js';

/**
 * `root` joined with `parts`, refused unless the result stays inside `root` (a part of '..', '/etc' or 'a/../../b' would
 * leave it). Names are validated where they are read (lab files, docs/lab-file.md); this is the last line behind that.
 */
export function insideDir(root: string, ...parts: string[]): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...parts);
  const rel = path.relative(base, target);
  if (parts.some((p) => p.includes('\0')) || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new DomsecError('ERR_PATH_OUTSIDE', `Refused to write ${JSON.stringify(parts.join('/'))}: it resolves outside ${base}. Names of labs, organizations and edges may not contain '..' or '/'.`, { root: base, parts });
  }
  return target;
}
