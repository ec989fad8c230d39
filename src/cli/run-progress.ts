// What `domsec run` prints: one progress line per finished scenario, and the summary at the end.
import type { Outcome, RunResult, ScenarioResult } from '../report/run-result.js';

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
  const detail = s.expectation.changed ? `\n      ${why}` : '';
  return `scenario ${String(done).padStart(width)}/${total}  ${mark} ${s.name}  (passes ${state.passes}, failures ${state.failures}${extra}, ${(elapsedMs / 1000).toFixed(1)} s)${detail}`;
}

export function summaryLines(run: RunResult, reportDir: string, latestDir: string): string[] {
  const c = run.counts;
  const lines = [
    '',
    `${run.scenarios.length} scenario${run.scenarios.length === 1 ? '' : 's'}: ${c.pass} passed, ${c.fail} failed, ${c['expected-fail']} expected failures, ${c['not-observable']} not observable, ${c.skipped} skipped${c['harness-error'] ? `, ${c['harness-error']} harness errors` : ''} (${(run.durationMs / 1000).toFixed(1)} s, seed ${run.seed})`,
  ];
  if (run.scenarios.length === 0) lines.push('No scenario matched the selection (tags, names or paths).');
  if (run.changes.length > 0) lines.push('Changes from the expectations file:', ...run.changes.map((x) => `  ${x}`));
  if (run.runErrors.length > 0) lines.push('Errors outside scenarios:', ...run.runErrors.map((x) => `  ${x}`));
  if (run.unusedExpectations.length > 0) lines.push(`Expectations that matched no scenario: ${run.unusedExpectations.join(', ')}`);
  lines.push(run.changes.length + run.runErrors.length === 0 ? 'Everything as expected.' : `FAILED: ${run.changes.length + run.runErrors.length} change(s) from the expected results.`);
  lines.push(`Reports: ${reportDir}/ (results.json, junit.xml, index.html); ${latestDir}/ points to it`);
  return lines;
}
