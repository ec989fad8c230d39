// A suite that needs something outside the project (an installed MTA, a container engine): it runs when that is there,
// skips with the reason on a developer's machine, and fails under CI=true, where a missing prerequisite is a broken
// install (.ci/run installs them), never a quiet skip.
import { describe, it } from 'vitest';
import { DomsecError } from '../../errors.js';

export interface Gate {
  available: boolean;
  /** Why it is not available, in words a developer can act on. */
  reason: string;
  /** CI=true and not available. */
  mustFail: boolean;
}

export function describeGated(gate: Gate, missingCode: 'ERR_MTA_MISSING' | 'ERR_CONTAINER_ENGINE', title: string, body: () => void, details?: Record<string, unknown>): void {
  if (gate.mustFail) {
    it(`${title}: what it needs is there (CI=true makes a missing prerequisite a failure)`, () => {
      throw new DomsecError(missingCode, gate.reason, details);
    });
    return;
  }
  if (!gate.available) console.warn(`[skipped] ${title}: ${gate.reason}`);
  describe.skipIf(!gate.available)(`${title}${gate.available ? '' : ` — skipped: ${gate.reason}`}`, body);
}
