// What `domsec run` prints for a harness error: its own mark and cause, never the "!" of an unexpected pass or a DS failure.
import { describe, expect, it } from 'vitest';
import { judge } from '../report/expectations.js';
import { emptyEvidence, type ScenarioResult } from '../report/run-result.js';
import { newProgress, progressLine, summaryLines } from './run-progress.js';

function scenario(): ScenarioResult {
  const { outcome, expectation } = judge('harness-error', undefined);
  return {
    id: 'features/x.feature:3', name: 'A step nobody wrote', feature: 'X', featureUri: 'features/x.feature', line: 3, dsIds: ['DS-RECV-04'], tags: [],
    status: 'harness-error', outcome, expectation, durationMs: 5, attempts: 1,
    steps: [{ keyword: 'Given', text: 'a step nobody wrote', status: 'undefined', durationMs: 0 }],
    error: 'step undefined: Given a step nobody wrote', evidence: emptyEvidence(), notes: [],
  };
}

describe('run progress for a harness error', () => {
  it('marks it E with the cause and counts it as a failure of the run', () => {
    const line = progressLine(scenario(), 1, 1, newProgress(), 1000);
    expect(line).toBe('scenario 1/1  E A step nobody wrote  (passes 0, failures 1, 1.0 s)\n      harness error: step undefined: Given a step nobody wrote');
  });

  it('names harness errors in the summary counts', () => {
    const s = scenario();
    const lines = summaryLines({
      schemaVersion: 1, runId: 'r', seed: 's', startedAt: '', finishedAt: '', durationMs: 1000, selection: { profiles: [] }, tool: { name: 'cucumber-js', version: '12' },
      counts: { pass: 0, fail: 0, 'harness-error': 1, 'expected-fail': 0, 'not-observable': 0, skipped: 0 }, changes: [`${s.id} ${s.name}: ${s.expectation.note}`],
      unusedExpectations: [], runErrors: [], scenarios: [s], interop: [],
    }, 'reports/r', 'reports/latest');
    expect(lines[1]).toBe('1 scenario: 0 passed, 0 failed, 0 expected failures, 0 not observable, 0 skipped, 1 harness errors (1.0 s, seed s)');
    expect(lines).toContain('FAILED: 1 change(s) from the expected results.');
  });
});
