// Merging the runs of several profiles: unique ids, profile-named changes, and "unused" only where an entry applied.
import { describe, expect, it } from 'vitest';
import type { ExpectationEntry } from '../report/expectations.js';
import { type RunResult, type ScenarioResult, countOutcomes, emptyEvidence } from '../report/run-result.js';
import { mergeProfileRuns } from './run-profiles.js';

function scenario(name: string, dsIds: string[], outcome: ScenarioResult['outcome']): ScenarioResult {
  return {
    id: `features/x.feature:${name.length}`, name, feature: 'X', featureUri: 'features/x.feature', line: name.length, dsIds, tags: [],
    status: outcome === 'expected-fail' ? 'fail' : outcome, outcome, expectation: { expected: 'pass', changed: false }, durationMs: 5, attempts: 1,
    steps: [], evidence: emptyEvidence(), notes: [],
  };
}

function run(scenarios: ScenarioResult[], extra: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1, runId: 'r', seed: 's', startedAt: '2026-03-02T09:00:00.000Z', finishedAt: '2026-03-02T09:00:01.000Z', durationMs: 1000,
    selection: { profiles: [] }, tool: { name: 'cucumber-js', version: '12' }, counts: countOutcomes(scenarios), changes: [], unusedExpectations: [],
    runErrors: [], scenarios, interop: [], ...extra,
  };
}

describe('mergeProfileRuns', () => {
  const entries: ExpectationEntry[] = [
    { id: 'DS-RECV-04', outcome: 'expected-fail', reason: 'unscoped, matched in a only' },
    { id: 'DS-RECV-09', outcome: 'expected-fail', reason: 'unscoped, matched nowhere' },
    { id: 'DS-RECV-07', profile: 'b', outcome: 'expected-fail', reason: 'scoped to b, matched there' },
    { id: 'DS-RECV-05', profile: 'a', outcome: 'expected-fail', reason: 'scoped to a, matched only in b' },
  ];
  const a = run([scenario('one', ['DS-RECV-04'], 'expected-fail')], { changes: ['features/x.feature:3 one: changed'] });
  const b = run([scenario('two', ['DS-RECV-07', 'DS-RECV-05'], 'expected-fail')], { runErrors: ['hook failed'], finishedAt: '2026-03-02T09:00:03.000Z' });
  const merged = mergeProfileRuns([{ profile: 'a', run: a }, { profile: 'b', run: b }], entries);

  it('keeps every scenario with its profile and an id of its own', () => {
    expect(merged.scenarios.map((s) => [s.id, s.profile])).toEqual([['features/x.feature:3@a', 'a'], ['features/x.feature:3@b', 'b']]);
    expect(merged.counts['expected-fail']).toBe(2);
    expect(merged.durationMs).toBe(2000);
    expect(merged.finishedAt).toBe('2026-03-02T09:00:03.000Z');
  });

  it('names the profile of each change and run error', () => {
    expect(merged.changes).toEqual(['[a] features/x.feature:3 one: changed']);
    expect(merged.runErrors).toEqual(['[b] hook failed']);
  });

  it('lists an entry as unused only when no run it applies to matched it', () => {
    expect(merged.unusedExpectations).toEqual(['DS-RECV-09', 'DS-RECV-05 (profile a)']);
  });

  it('returns a single run as it is', () => {
    expect(mergeProfileRuns([{ run: a }], entries)).toBe(a);
  });
});
