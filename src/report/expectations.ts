// The checked-in expectations file (expectations.json): known divergences with a reason each; a run fails only on a change from it.
import { existsSync, readFileSync } from 'node:fs';
import { DomsecError } from '../errors.js';
import type { ExpectationVerdict, ObservedStatus, Outcome } from './run-result.js';

/** What an entry may pin. 'pass' needs no entry: it is what every scenario without one is expected to do. */
export type ExpectedOutcome = 'expected-fail' | 'not-observable' | 'skipped';
const EXPECTED_OUTCOMES: readonly ExpectedOutcome[] = ['expected-fail', 'not-observable', 'skipped'];

export interface ExpectationEntry {
  /** Exact scenario name; wins over an `id` entry. */
  scenario?: string;
  /** Narrows a `scenario` entry when two features share a scenario name. */
  feature?: string;
  /** A DS rule ID: applies to every scenario tagged with it. */
  id?: string;
  /**
   * Only in runs that use this cucumber profile (`interop-postfix`): a real MTA's divergence must not pin the same
   * scenario under another MTA, nor count in runs that do not select the profile at all.
   */
  profile?: string;
  outcome: ExpectedOutcome;
  reason: string;
}

const DS_ID = /^DS-[A-Z]+-\d{2}$/;

export function entryLabel(e: ExpectationEntry): string {
  const what = e.scenario !== undefined ? `scenario "${e.scenario}"${e.feature ? ` in "${e.feature}"` : ''}` : `${e.id}`;
  return e.profile !== undefined ? `${what} (profile ${e.profile})` : what;
}

/**
 * The entries a run with these cucumber profiles judges by: unscoped ones, and those scoped to one of its profiles.
 * The others are left out entirely, so they are neither applied nor listed as unused (they are not stale).
 */
export function applicableExpectations(entries: readonly ExpectationEntry[], profiles: readonly string[]): ExpectationEntry[] {
  return entries.filter((e) => e.profile === undefined || profiles.includes(e.profile));
}

function invalid(file: string, sentence: string): DomsecError {
  return new DomsecError('ERR_USAGE', `${file}: ${sentence} Each entry is {"scenario": "<name>" or "id": "DS-…", "outcome": "expected-fail" | "not-observable" | "skipped", "reason": "<why>"}.`, { file });
}

/** Validates the parsed file; a bad file is a configuration error (exit 2), never silently ignored. */
export function parseExpectations(value: unknown, file = 'expectations.json'): ExpectationEntry[] {
  if (!Array.isArray(value)) throw invalid(file, 'the file must hold a JSON array.');
  return value.map((raw, i) => {
    const at = `entry ${i + 1}`;
    if (typeof raw !== 'object' || raw === null) throw invalid(file, `${at} is not an object.`);
    const e = raw as Record<string, unknown>;
    const known = new Set(['scenario', 'feature', 'id', 'profile', 'outcome', 'reason']);
    const extra = Object.keys(e).filter((k) => !known.has(k));
    if (extra.length > 0) throw invalid(file, `${at} has unknown field(s) ${extra.join(', ')}.`);
    const hasScenario = typeof e.scenario === 'string' && e.scenario.length > 0;
    const hasId = typeof e.id === 'string' && e.id.length > 0;
    if (hasScenario === hasId) throw invalid(file, `${at} needs exactly one of "scenario" and "id".`);
    if (hasId && !DS_ID.test(e.id as string)) throw invalid(file, `${at} has id "${String(e.id)}", which is not a DS rule ID like DS-RECV-04.`);
    if (!EXPECTED_OUTCOMES.includes(e.outcome as ExpectedOutcome)) throw invalid(file, `${at} has outcome "${String(e.outcome)}".`);
    if (typeof e.reason !== 'string' || e.reason.trim().length === 0) throw invalid(file, `${at} has no reason; every known divergence says why.`);
    if (e.feature !== undefined && (typeof e.feature !== 'string' || !hasScenario)) throw invalid(file, `${at}: "feature" only narrows a "scenario" entry.`);
    if (e.profile !== undefined && (typeof e.profile !== 'string' || e.profile.trim().length === 0)) throw invalid(file, `${at} has a "profile" that is not a cucumber profile name.`);
    return {
      ...(hasScenario ? { scenario: e.scenario as string } : { id: e.id as string }),
      ...(e.feature !== undefined ? { feature: e.feature as string } : {}),
      ...(e.profile !== undefined ? { profile: (e.profile as string).trim() } : {}),
      outcome: e.outcome as ExpectedOutcome,
      reason: (e.reason as string).trim(),
    };
  });
}

/** A missing file means no known divergences. */
export function loadExpectations(file: string): ExpectationEntry[] {
  if (!existsSync(file)) return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalid(file, `it is not valid JSON (${(e as Error).message}).`);
  }
  return parseExpectations(value, file);
}

export interface ScenarioKey {
  name: string;
  feature: string;
  dsIds: readonly string[];
}

export function findExpectation(entries: readonly ExpectationEntry[], s: ScenarioKey): ExpectationEntry | undefined {
  return (
    entries.find((e) => e.scenario === s.name && (e.feature === undefined || e.feature === s.feature)) ??
    entries.find((e) => e.id !== undefined && s.dsIds.includes(e.id))
  );
}

function pinned(o: ExpectedOutcome): ObservedStatus {
  return o === 'expected-fail' ? 'fail' : o;
}

/**
 * Without an entry only a failure is a change (skipped and not-observable are reported, not failed).
 * With an entry, any status other than the pinned one is a change: an expected failure that now passes must be
 * removed from the file, or the file stops telling the truth.
 */
export function judge(status: ObservedStatus, entry: ExpectationEntry | undefined): { outcome: Outcome; expectation: ExpectationVerdict } {
  if (status === 'harness-error') {
    // The scenario never reached its verdict: no entry can excuse that, and it must not read as the rule's failure.
    const note = 'harness error: the scenario could not be judged (step definitions or support code); it says nothing about the DS rule';
    return { outcome: status, expectation: { expected: entry ? pinned(entry.outcome) : 'pass', ...(entry ? { reason: entry.reason, matchedBy: entryLabel(entry) } : {}), changed: true, note } };
  }
  if (!entry) {
    const changed = status === 'fail';
    return { outcome: status, expectation: { expected: 'pass', changed, ...(changed ? { note: 'failed; expectations.json has no entry for it' } : {}) } };
  }
  const expected = pinned(entry.outcome);
  const changed = status !== expected;
  const base = { expected, reason: entry.reason, matchedBy: entryLabel(entry), changed };
  if (!changed) return { outcome: status === 'fail' ? 'expected-fail' : status, expectation: base };
  const note = status === 'pass'
    ? `now passes: remove ${entryLabel(entry)} from expectations.json (it said: ${entry.reason})`
    : `observed ${status}, but expectations.json pins ${entry.outcome} for ${entryLabel(entry)} (${entry.reason})`;
  return { outcome: status, expectation: { ...base, note } };
}

export function unusedEntries(entries: readonly ExpectationEntry[], scenarios: readonly ScenarioKey[]): string[] {
  return entries.filter((e) => !scenarios.some((s) => findExpectation([e], s))).map(entryLabel);
}
