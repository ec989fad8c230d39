// `run --profile A --profile B`: each profile runs on its own with its own expectations; their results become one report.
import { type ExpectationEntry, applicableExpectations, unusedEntries } from '../report/expectations.js';
import { interopCells } from '../report/interop-cells.js';
import { type RunResult, countOutcomes } from '../report/run-result.js';

export interface ProfileRun {
  /** The profile this part ran with; undefined for a run without --profile. */
  profile?: string;
  run: RunResult;
}

/**
 * One RunResult from the runs of several profiles. Scenario ids get `@<profile>` (the same feature line ran once per
 * profile), changes and run errors name their profile, and an expectation is unused only if no profile it applies to
 * used it: an entry scoped to interop-postfix is not stale because interop-exim's run did not match it.
 */
export function mergeProfileRuns(parts: readonly ProfileRun[], entries: readonly ExpectationEntry[]): RunResult {
  if (parts.length === 1) return parts[0].run;
  const first = parts[0].run;
  const tag = (p: ProfileRun) => (p.profile ? `[${p.profile}] ` : '');
  const scenarios = parts.flatMap((p) => p.run.scenarios.map((s) => (p.profile ? { ...s, id: `${s.id}@${p.profile}`, profile: p.profile } : s)));
  const unused = entries.filter((e) => {
    const applies = parts.filter((p) => applicableExpectations([e], p.profile ? [p.profile] : []).length > 0);
    return applies.length > 0 && applies.every((p) => unusedEntries([e], p.run.scenarios).length > 0);
  });
  const labels = new Set(unused.flatMap((e) => unusedEntries([e], [])));
  const finished = parts.map((p) => Date.parse(p.run.finishedAt)).filter(Number.isFinite);
  return {
    ...first,
    finishedAt: new Date(Math.max(...finished)).toISOString(),
    durationMs: parts.reduce((sum, p) => sum + p.run.durationMs, 0),
    selection: { ...first.selection, profiles: parts.flatMap((p) => (p.profile ? [p.profile] : [])) },
    counts: countOutcomes(scenarios),
    changes: parts.flatMap((p) => p.run.changes.map((c) => `${tag(p)}${c}`)),
    unusedExpectations: [...labels],
    runErrors: parts.flatMap((p) => p.run.runErrors.map((e) => `${tag(p)}${e}`)),
    scenarios,
    interop: interopCells(scenarios),
  };
}
