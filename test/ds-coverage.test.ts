// Every DS rule of BEHAVIOUR.md §2–§6 has a scenario naming it, and docs/conformance.md's table is current.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('DS rule coverage (scripts/ds-coverage.mjs)', () => {
  it('finds a scenario for every §2–§6 rule, no tag naming an unknown rule, and a current table', () => {
    const r = spawnSync(process.execPath, ['scripts/ds-coverage.mjs'], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('every rule of §2, §3, §4, §5, §6 has a scenario');
  });
});
