// Merging shard results: recomputed counts and changes, the unsharded order, and refusals with their ERR_ codes.
import { describe, expect, it } from 'vitest';
import { type MergeInput, mergeRuns } from './merge-runs.js';
import { type RunResult, type ScenarioResult, countOutcomes, emptyEvidence } from './run-result.js';

function scenario(uri: string, line: number, outcome: 'pass' | 'fail', profile?: string): ScenarioResult {
  const changed = outcome === 'fail';
  return {
    id: `${uri}:${line}${profile ? `@${profile}` : ''}`, name: `S ${uri}:${line}`, feature: 'F', featureUri: uri, line, dsIds: ['DS-RECV-04'], tags: [],
    status: outcome, outcome, expectation: { expected: 'pass', changed, ...(changed ? { note: 'was expected to pass' } : {}) },
    durationMs: 5, attempts: 1, steps: [], evidence: emptyEvidence(), notes: [], ...(profile ? { profile } : {}),
  };
}

function run(runId: string, scenarios: ScenarioResult[], extra: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1, runId, seed: 'domsec', startedAt: '2026-12-04T10:00:00.000Z', finishedAt: '2026-12-04T10:00:10.000Z', durationMs: 10_000,
    selection: { profiles: [] }, tool: { name: 'cucumber-js', version: '12' }, counts: countOutcomes(scenarios), changes: [], unusedExpectations: ['DS-X-01', 'stale'],
    runErrors: [], scenarios, interop: [], ...extra,
  };
}

const shard = (index: number) => ({ shard: { index, total: 2 } });

describe('mergeRuns', () => {
  it('joins shards in the unsharded order with counts, changes and unused expectations recomputed', () => {
    const a = run('s1', [scenario('features/b.feature', 3, 'pass'), scenario('features/a.feature', 9, 'fail')], { ...shard(1), unusedExpectations: ['stale', 'used-by-2'] });
    const b = run('s2', [scenario('features/a.feature', 4, 'pass')], { ...shard(2), startedAt: '2026-12-04T09:59:59.000Z', finishedAt: '2026-12-04T10:00:20.000Z', unusedExpectations: ['stale'] });
    const m = mergeRuns([{ from: 'one', run: a }, { from: 'two', run: b }], 'merged');
    expect(m.scenarios.map((s) => s.id)).toEqual(['features/a.feature:4', 'features/a.feature:9', 'features/b.feature:3']);
    expect(m.counts).toEqual(countOutcomes(m.scenarios));
    expect(m.counts.fail).toBe(1);
    expect(m.changes).toEqual(['features/a.feature:9 S features/a.feature:9: was expected to pass']);
    expect(m.unusedExpectations).toEqual(['stale']);
    expect(m.durationMs).toBe(21_000);
    expect(m.mergedFrom).toEqual(['s1', 's2']);
    expect(m.shard).toBeUndefined();
    expect(m.runErrors).toEqual([]);
  });

  it('says in the run errors when a shard is missing', () => {
    const m = mergeRuns([{ from: 'one', run: run('s1', [scenario('features/a.feature', 3, 'pass')], { shard: { index: 1, total: 3 } }) }], 'merged');
    expect(m.runErrors).toEqual(['Shards 2/3, 3/3 missing from the merge: this report covers part of the run only.']);
  });

  it('refuses other seeds, selections and splits with ERR_MERGE_MISMATCH', () => {
    const a: MergeInput = { from: 'one', run: run('s1', [], shard(1)) };
    const other = (x: Partial<RunResult>): MergeInput[] => [a, { from: 'two', run: run('s2', [], { ...shard(2), ...x }) }];
    expect(() => mergeRuns(other({ seed: 'other' }), 'm')).toThrow(expect.objectContaining({ code: 'ERR_MERGE_MISMATCH', message: expect.stringContaining('seed "other"') }));
    expect(() => mergeRuns(other({ selection: { tags: '@x', profiles: [] } }), 'm')).toThrow(expect.objectContaining({ code: 'ERR_MERGE_MISMATCH' }));
    expect(() => mergeRuns(other({ shard: { index: 2, total: 3 } }), 'm')).toThrow(expect.objectContaining({ code: 'ERR_MERGE_MISMATCH' }));
    expect(() => mergeRuns(other({ schemaVersion: 9 as 1 }), 'm')).toThrow(expect.objectContaining({ code: 'ERR_MERGE_INPUT' }));
  });

  it('refuses a scenario or a shard given twice with ERR_MERGE_OVERLAP', () => {
    const s = scenario('features/a.feature', 3, 'pass');
    expect(() => mergeRuns([{ from: 'one', run: run('s1', [s], shard(1)) }, { from: 'two', run: run('s2', [s], shard(2)) }], 'm'))
      .toThrow(expect.objectContaining({ code: 'ERR_MERGE_OVERLAP', message: expect.stringContaining('features/a.feature:3') }));
    expect(() => mergeRuns([{ from: 'one', run: run('s1', [], shard(1)) }, { from: 'again', run: run('s1', [], shard(1)) }], 'm'))
      .toThrow(expect.objectContaining({ code: 'ERR_MERGE_OVERLAP' }));
  });

  it('keeps profiles apart in the order given, with their change prefix', () => {
    const p = (x: string, line: number) => scenario('features/i.feature', line, 'fail', x);
    const sel = { selection: { profiles: ['interop-postfix', 'interop-exim'] } };
    const m = mergeRuns([
      { from: 'one', run: run('s1', [p('interop-exim', 3)], { ...shard(1), ...sel }) },
      { from: 'two', run: run('s2', [p('interop-postfix', 5)], { ...shard(2), ...sel }) },
    ], 'm');
    expect(m.scenarios.map((s) => s.id)).toEqual(['features/i.feature:5@interop-postfix', 'features/i.feature:3@interop-exim']);
    expect(m.changes[0]).toBe('[interop-postfix] features/i.feature:5 S features/i.feature:5: was expected to pass');
  });
});
