// `domsec report merge`: the results of several shards of one run (`domsec run --shard i/n`) as one RunResult.
import { DomsecError } from '../errors.js';
import { interopCells } from './interop-cells.js';
import { RESULTS_SCHEMA_VERSION, type RunResult, type ScenarioResult, countOutcomes } from './run-result.js';

/** One run to merge and where it came from, for error messages. */
export interface MergeInput {
  from: string;
  run: RunResult;
}

/**
 * The order an unsharded run reports: profiles in the order given, then cucumber's plan order. A shard's run is a
 * subsequence of that plan; cucumber plans feature files in the order the path globs expand (sorted) and each file's
 * scenarios by line, which sorting by (profile, file, line) restores.
 */
function compareScenarios(profiles: readonly string[]) {
  const rank = (s: ScenarioResult) => (s.profile === undefined ? -1 : profiles.indexOf(s.profile));
  return (a: ScenarioResult, b: ScenarioResult) => rank(a) - rank(b) || (a.featureUri < b.featureUri ? -1 : a.featureUri > b.featureUri ? 1 : 0) || a.line - b.line;
}

function sameSelection(a: RunResult['selection'], b: RunResult['selection']): boolean {
  return (a.tags ?? '') === (b.tags ?? '') && a.profiles.join('\n') === b.profiles.join('\n');
}

/** What a change line of `domsec run` says about a scenario (run-profiles.ts prefixes the profile). */
function changeLine(s: ScenarioResult): string {
  const id = s.profile && s.id.endsWith(`@${s.profile}`) ? s.id.slice(0, -s.profile.length - 1) : s.id;
  return `${s.profile ? `[${s.profile}] ` : ''}${id} ${s.name}: ${s.expectation.note ?? 'changed'}`;
}

/**
 * Refuses runs that are not parts of one run (ERR_MERGE_MISMATCH: seed, selection, shard count) and runs that share a
 * scenario or a shard (ERR_MERGE_OVERLAP). Counts, changes, the interop matrix and stale expectations are recomputed;
 * a missing shard is a run error, so a merge job never reports a part of the run as all of it.
 */
export function mergeRuns(inputs: readonly MergeInput[], runId: string): RunResult {
  if (inputs.length === 0) throw new DomsecError('ERR_USAGE', 'domsec report merge: give the report folders to merge (one per shard).');
  const [first] = inputs;
  for (const i of inputs) {
    if (i.run.schemaVersion !== RESULTS_SCHEMA_VERSION) {
      throw new DomsecError('ERR_MERGE_INPUT', `domsec report merge: ${i.from} has results.json schema version ${String(i.run.schemaVersion)}; this domsec reads version ${RESULTS_SCHEMA_VERSION}. Merge reports written by the same domsec version.`);
    }
    if (i.run.seed !== first.run.seed) {
      throw new DomsecError('ERR_MERGE_MISMATCH', `domsec report merge: ${first.from} ran with seed "${first.run.seed}" but ${i.from} with seed "${i.run.seed}": shards of one run share a seed. Rerun the shards with the same --seed.`);
    }
    if (!sameSelection(i.run.selection, first.run.selection)) {
      const show = (r: RunResult) => `tags "${r.selection.tags ?? ''}", profiles [${r.selection.profiles.join(', ')}]`;
      throw new DomsecError('ERR_MERGE_MISMATCH', `domsec report merge: ${first.from} selected ${show(first.run)} but ${i.from} ${show(i.run)}: shards of one run use the same --tags and --profile.`);
    }
    if ((i.run.shard?.total ?? 0) !== (first.run.shard?.total ?? 0)) {
      const n = (r: RunResult) => (r.shard ? `one of ${r.shard.total} shards` : 'not sharded');
      throw new DomsecError('ERR_MERGE_MISMATCH', `domsec report merge: ${first.from} is ${n(first.run)} but ${i.from} is ${n(i.run)}: merge the shards of one split (the same --shard i/n count).`);
    }
  }
  const owner = new Map<string, string>();
  const shardOwner = new Map<number, string>();
  for (const i of inputs) {
    if (i.run.shard) {
      const other = shardOwner.get(i.run.shard.index);
      if (other !== undefined) throw new DomsecError('ERR_MERGE_OVERLAP', `domsec report merge: ${other} and ${i.from} are both shard ${i.run.shard.index}/${i.run.shard.total}: give each shard's folder once.`);
      shardOwner.set(i.run.shard.index, i.from);
    }
    for (const s of i.run.scenarios) {
      const other = owner.get(s.id);
      if (other !== undefined) throw new DomsecError('ERR_MERGE_OVERLAP', `domsec report merge: ${other} and ${i.from} both ran ${s.id} (${s.name}): shards must not overlap. Give each shard's folder once, from one split.`);
      owner.set(s.id, i.from);
    }
  }
  const scenarios = inputs.flatMap((i) => i.run.scenarios).sort(compareScenarios(first.run.selection.profiles));
  const total = first.run.shard?.total;
  const missing = total === undefined ? [] : Array.from({ length: total }, (_, k) => k + 1).filter((k) => !shardOwner.has(k));
  const runErrors = [...new Set(inputs.flatMap((i) => i.run.runErrors))];
  if (missing.length > 0) runErrors.push(`Shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${total}`).join(', ')} missing from the merge: this report covers part of the run only.`);
  // An entry is stale only if no shard used it (each shard judges only its own scenarios).
  const unusedExpectations = first.run.unusedExpectations.filter((e) => inputs.every((i) => i.run.unusedExpectations.includes(e)));
  const started = Math.min(...inputs.map((i) => Date.parse(i.run.startedAt)));
  const finished = Math.max(...inputs.map((i) => Date.parse(i.run.finishedAt)));
  const planned = (i: MergeInput) => i.run.interrupted?.planned ?? i.run.failFast?.planned ?? i.run.scenarios.length;
  const stoppedBy = inputs.find((i) => i.run.interrupted)?.run.interrupted;
  const failFast = inputs.find((i) => i.run.failFast)?.run.failFast;
  const plannedAll = inputs.reduce((n, i) => n + planned(i), 0);
  const { shard: _shard, interrupted: _interrupted, failFast: _failFast, ...base } = first.run;
  return {
    ...base,
    runId,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: Math.max(0, finished - started),
    counts: countOutcomes(scenarios),
    changes: scenarios.filter((s) => s.expectation.changed).map(changeLine),
    unusedExpectations: inputs.some((i) => i.run.interrupted || i.run.failFast) ? [] : unusedExpectations,
    runErrors,
    scenarios,
    interop: interopCells(scenarios),
    mergedFrom: inputs.map((i) => i.run.runId),
    ...(stoppedBy ? { interrupted: { signal: stoppedBy.signal, finished: scenarios.length, planned: plannedAll } } : {}),
    ...(failFast ? { failFast: { after: failFast.after, finished: scenarios.length, planned: plannedAll } } : {}),
  };
}
