// Why a scenario did not simply pass, in one line: what a collapsed row of the report shows beside the scenario's name.
import type { ScenarioResult } from './run-result.js';

const MAX = 160;

/** One line, shortened: a reason is read at a glance, the details hold the whole text. */
function oneLine(text: string, max = MAX): string {
  const flat = text.replace(/\s*\r?\n\s*/g, ' ⏎ ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/**
 * Undefined for a plain pass. Expected vs actual when the assertion said so; the harness error's cause; the
 * expectations file's note for an unexpected pass; the recorded reason for an expected failure or a not-observable check.
 */
export function scenarioReason(s: Pick<ScenarioResult, 'status' | 'outcome' | 'error' | 'mismatch' | 'expectation' | 'evidence'>): string | undefined {
  if (s.status === 'harness-error') return oneLine(`harness error: ${firstLine(s.error ?? 'the scenario could not be judged')}`);
  const mismatch = s.mismatch ? `expected ${oneLine(s.mismatch.expected, 70)}, actual ${oneLine(s.mismatch.actual, 70)}` : undefined;
  if (s.status === 'fail') {
    const why = mismatch ?? oneLine(firstLine(s.error ?? 'failed'));
    return s.outcome === 'expected-fail' ? oneLine(`known: ${s.expectation.reason ?? ''} (${why})`) : why;
  }
  if (s.expectation.changed) return oneLine(s.expectation.note ?? `observed ${s.status}, expected ${s.expectation.expected}`);
  if (s.outcome === 'not-observable') return oneLine(`not observable: ${s.evidence.notObservable.join('; ') || s.expectation.reason || ''}`);
  if (s.outcome === 'skipped' && s.expectation.reason) return oneLine(`skipped: ${s.expectation.reason}`);
  return undefined;
}
