// A `lab up` started again on the same --dir keeps what the previous run wrote: its logs and evidence move aside,
// never deleted, so a crashed run can still be inspected (issue 10: restarts lose nothing).
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** What a run writes that the next run would overwrite. */
const RUN_OUTPUT = ['logs', 'evidence.json'];

/** Moves the previous run's logs and evidence to D/previous/<timestamp>/; returns that folder, or undefined when there was nothing. */
export function setAsidePreviousRun(dir: string, now = new Date()): string | undefined {
  const present = RUN_OUTPUT.filter((n) => existsSync(join(dir, n)));
  if (present.length === 0) return undefined;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = join(dir, 'previous', stamp);
  for (let n = 2; existsSync(target); n++) target = join(dir, 'previous', `${stamp}-${n}`);
  mkdirSync(target, { recursive: true });
  for (const name of present) renameSync(join(dir, name), join(target, name));
  return target;
}
