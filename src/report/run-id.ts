// Run ids: `run-<seed>-<yyyymmddThhmmss>` (UTC wall clock), so a run's folder sorts by time and names the seed that reproduces it.
import { DomsecError } from '../errors.js';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The seed part keeps only characters that are safe in a folder name on every OS. */
export function seedSlug(seed: string): string {
  return seed.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'seed';
}

export function makeRunId(seed: string, wallClock: Date): string {
  const t = wallClock.toISOString().replace(/[-:]/g, '').slice(0, 15); // yyyymmddThhmmss
  return `run-${seedSlug(seed)}-${t}`;
}

/** A run id given on the command line becomes a folder name: refuse anything that could escape reports/. */
export function checkRunId(id: string): string {
  if (!SAFE.test(id) || id === 'latest') {
    throw new DomsecError('ERR_USAGE', `--run-id "${id}" is not usable as a folder name: use letters, digits, ".", "_" and "-" (and not "latest").`);
  }
  return id;
}
