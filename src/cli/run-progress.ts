// What `domsec run` prints: one progress line per finished scenario, and the summary at the end.
import type { Outcome, RunResult, ScenarioResult } from '../report/run-result.js';
import { findRule, ruleWithStatement } from '../rules/catalogue.js';

const MARK: Record<Outcome, string> = { pass: '✓', fail: '✗', 'harness-error': 'E', 'expected-fail': '~', 'not-observable': '?', skipped: '-' };

export interface ProgressState {
  passes: number;
  failures: number;
  expected: number;
}

export function newProgress(): ProgressState {
  return { passes: 0, failures: 0, expected: 0 };
}

/** `scenario 3/12  ✓ name  (passes 2, failures 1, 3.2 s)`; failures are changes from the expectations file. */
export function progressLine(s: ScenarioResult, done: number, total: number, state: ProgressState, elapsedMs: number): string {
  if (s.outcome === 'pass' && !s.expectation.changed) state.passes++;
  if (s.expectation.changed) state.failures++;
  if (s.outcome === 'expected-fail') state.expected++;
  const mark = s.expectation.changed && s.status !== 'fail' && s.status !== 'harness-error' ? '!' : MARK[s.outcome];
  const extra = state.expected > 0 ? `, expected failures ${state.expected}` : '';
  const width = String(total).length;
  const why = s.mismatch
    ? `expected: ${s.mismatch.expected}\n      actual:   ${s.mismatch.actual}`
    : (s.status === 'harness-error' ? `harness error: ${s.error ?? ''}` : s.status === 'fail' ? s.error ?? '' : s.expectation.note ?? '').split('\n')[0];
  // A failure states the rules it checks next to their IDs, so the console says what should have happened.
  const rules = s.status === 'fail' ? s.dsIds.filter((id) => findRule(id)).map((id) => `\n      ${ruleWithStatement(id)}`).join('') : '';
  const detail = s.expectation.changed ? `${rules}\n      ${why}` : '';
  return `scenario ${String(done).padStart(width)}/${total}  ${mark} ${s.name}  (passes ${state.passes}, failures ${state.failures}${extra}, ${(elapsedMs / 1000).toFixed(1)} s)${detail}`;
}

export function summaryLines(run: RunResult, reportDir: string, latestDir: string): string[] {
  const c = run.counts;
  const lines = [
    '',
    `${run.scenarios.length} scenario${run.scenarios.length === 1 ? '' : 's'}: ${c.pass} passed, ${c.fail} failed, ${c['expected-fail']} expected failures, ${c['not-observable']} not observable, ${c.skipped} skipped${c['harness-error'] ? `, ${c['harness-error']} harness errors` : ''} (${(run.durationMs / 1000).toFixed(1)} s, seed ${run.seed})`,
  ];
  if (run.scenarios.length === 0) lines.push(run.shard ? `Shard ${run.shard.index}/${run.shard.total} holds none of the selected scenarios.` : 'No scenario matched the selection (tags, names or paths).');
  if (run.interrupted) lines.push(`INTERRUPTED by ${run.interrupted.signal} after ${run.interrupted.finished} of ${run.interrupted.planned} scenarios: the report holds the finished ones.`);
  if (run.failFast) lines.push(`Stopped by --fail-fast after ${run.failFast.finished} of ${run.failFast.planned} scenarios, at ${run.failFast.after}.`);
  if (run.changes.length > 0) lines.push('Changes from the expectations file:', ...run.changes.map((x) => `  ${x}`));
  if (run.runErrors.length > 0) lines.push('Errors outside scenarios:', ...run.runErrors.map((x) => `  ${x}`));
  if (run.unusedExpectations.length > 0) lines.push(`Expectations that matched no scenario: ${run.unusedExpectations.join(', ')}`);
  const bad = run.changes.length + run.runErrors.length;
  if (bad > 0) lines.push(`FAILED: ${bad} change(s) from the expected results.`);
  else lines.push(run.interrupted ? 'No change so far, but the run is incomplete.' : 'Everything as expected.');
  lines.push(`Reports: ${reportDir}/ (results.json, junit.xml, index.html); ${latestDir}/ points to it`);
  return lines;
}

/** `run --list`: one line per selected scenario, `features/x.feature:12  Name  @DS-RECV-04 @DS-SEND-06`. */
export function listLines(scenarios: readonly Pick<ScenarioResult, 'id' | 'name' | 'dsIds'>[]): string[] {
  const width = Math.max(0, ...scenarios.map((s) => s.id.length));
  return scenarios.map((s) => `${s.id.padEnd(width)}  ${s.name}${s.dsIds.length ? `  ${s.dsIds.map((d) => `@${d}`).join(' ')}` : ''}`);
}
