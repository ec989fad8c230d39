// Every DS rule of the catalogue §2–§6 has a scenario naming it, docs/conformance.md's table is current, and the
// catalogue (src/rules/catalogue.json) holds exactly the rule IDs of the shared BEHAVIOUR.md when that file is beside the checkout.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs script without types
import { catalogueRules, collectRules } from '../scripts/ds-coverage.mjs';

const SHARED = path.resolve(process.env.DOMSEC_BEHAVIOUR ?? path.join('..', 'shared', 'BEHAVIOUR.md'));

describe('DS rule coverage (scripts/ds-coverage.mjs)', () => {
  it('finds a scenario for every §2–§6 rule, no tag naming an unknown rule, and a current table', () => {
    const r = spawnSync(process.execPath, ['scripts/ds-coverage.mjs'], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('every rule of §2, §3, §4, §5, §6 has a scenario');
  });

  it.skipIf(!existsSync(SHARED))('has exactly the rule IDs (and sections) of the shared BEHAVIOUR.md', () => {
    const shared = (collectRules(readFileSync(SHARED, 'utf8')) as { id: string; section: number }[]);
    expect(catalogueRules()).toEqual(shared);
  });
});
