// The shape of one conformance run (results.json, schema in docs/report.md) and the outcome vocabulary every report shares.
import type { Decision } from '../orgs/policy/decision.js';
import type { InteropCell, InteropParticipation } from '../peers/index.js';
import type { HopEvidence, QueueSnapshot } from '../sim/evidence.js';

/** Bumped when results.json changes incompatibly; readers refuse versions they do not know. */
export const RESULTS_SCHEMA_VERSION = 1;

/**
 * What cucumber observed for a scenario, before the expectations file is applied. 'harness-error': the harness could not
 * judge the scenario (an undefined, ambiguous or pending step, a failing hook, a crash that is not an assertion); it
 * says nothing about a DS rule, so it is never counted or shown as the rule's failure.
 */
export type ObservedStatus = 'pass' | 'fail' | 'harness-error' | 'skipped' | 'not-observable';

/** The reported outcome: the observed status, except a failure the expectations file records becomes 'expected-fail'. */
export type Outcome = ObservedStatus | 'expected-fail';

export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'harness-error', 'expected-fail', 'not-observable', 'skipped'];

export interface StepResult {
  keyword: string;
  text: string;
  /** cucumber's TestStepResultStatus, lower-cased: passed, failed, skipped, pending, undefined, ambiguous, unknown. */
  status: string;
  durationMs: number;
  message?: string;
  /** A failing step's exception type (cucumber's exception.type): TypeError etc. mark a harness error. */
  exceptionType?: string;
}

/** Expected vs actual, parsed from an assertion message of the form "expected: …\nactual: …". */
export interface Mismatch {
  expected: string;
  actual: string;
}

/** Log excerpts: log name (e.g. `treyresearch.net/EDGE1/Receive`) → the lines that concern this scenario's sessions. */
export type LogExcerpts = Record<string, string[]>;

/** A queue snapshot, with the organization that owns it when the World said (queue identities repeat across orgs). */
export type ReportQueueSnapshot = QueueSnapshot & { org?: string };

/** An application event (DS-LOG-06) as the World attached it. */
export interface ReportEvent {
  org: string;
  id: number;
  at?: string;
  text: string;
}

/** Everything the World attached with media type application/vnd.domsec.evidence+json, merged per scenario. */
export interface ScenarioEvidence {
  hops: HopEvidence[];
  /** Queue state over time: each inner array is one snapshot of all queues at one moment. */
  queues: ReportQueueSnapshot[][];
  /** DS-LOG-05 counters at the end of the scenario, per organization. */
  counters: Record<string, Record<string, number>>;
  events: ReportEvent[];
  logs: LogExcerpts;
  /** Decisions that were not tied to a hop (hops carry their own). */
  decisions: Decision[];
  /** Reasons the organization under test could not show what the scenario checks (DESIGN: never reported as passed). */
  notObservable: string[];
  /** Interop scenarios: which implementation played each organization and in which role(s). */
  interop?: InteropParticipation;
}

/** How the expectations file judged this scenario. */
export interface ExpectationVerdict {
  /** The status the file pins ('pass' when the file has no entry for the scenario). */
  expected: ObservedStatus;
  reason?: string;
  /** Which entry matched: a scenario name or a DS ID. */
  matchedBy?: string;
  /** True when the observed status differs from the expected one: only changes fail a run. */
  changed: boolean;
  /** A sentence for a person when changed. */
  note?: string;
}

export interface ScenarioResult {
  /** Stable within a run: `<feature file>:<line>` of the scenario (or example row). */
  id: string;
  name: string;
  feature: string;
  featureUri: string;
  line: number;
  /** Tags of the form @DS-AREA-NN, without the @. */
  dsIds: string[];
  /** All other tags (feature area tags included), without the @. */
  tags: string[];
  status: ObservedStatus;
  outcome: Outcome;
  expectation: ExpectationVerdict;
  durationMs: number;
  attempts: number;
  steps: StepResult[];
  /** First failing step's message. */
  error?: string;
  mismatch?: Mismatch;
  evidence: ScenarioEvidence;
  /** this.log(...) lines and other plain-text attachments. */
  notes: string[];
  /** The cucumber profile that ran it, in a run of several profiles (its id then ends in @<profile>). */
  profile?: string;
}

export type OutcomeCounts = Record<Outcome, number>;

export interface RunResult {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  runId: string;
  seed: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Tag expression and profiles the run used, for the report header. */
  selection: { tags?: string; profiles: string[] };
  tool: { name: string; version: string };
  counts: OutcomeCounts;
  /** Changes from the expectations file; the run fails when this is non-empty. */
  changes: string[];
  /** Expectation entries that matched no scenario in this run (stale or filtered out). */
  unusedExpectations: string[];
  /** Problems outside any scenario: parse errors, undefined parameter types, hooks that failed the run. */
  runErrors: string[];
  scenarios: ScenarioResult[];
  /** The interop matrix's cells (implementation × DS rule × role), from scenarios that recorded who played whom. */
  interop: InteropCell[];
  /** Set when SIGINT/SIGTERM stopped the run part-way: the report holds the scenarios that finished. */
  interrupted?: { signal: 'SIGINT' | 'SIGTERM'; finished: number; planned: number };
  /** `domsec run --shard i/n`: this run holds one of n parts of the selection (`domsec report merge` joins them). */
  shard?: { index: number; total: number };
  /** `domsec report merge`: the runs (shards) this report joins, by run id, in the order given. */
  mergedFrom?: string[];
  /** Set when --fail-fast stopped the run after the first change from the expectations file. */
  failFast?: { after: string; finished: number; planned: number };
}

export function emptyEvidence(): ScenarioEvidence {
  return { hops: [], queues: [], counters: {}, events: [], logs: {}, decisions: [], notObservable: [] };
}

export function countOutcomes(scenarios: readonly Pick<ScenarioResult, 'outcome'>[]): OutcomeCounts {
  const counts: OutcomeCounts = { pass: 0, fail: 0, 'harness-error': 0, 'expected-fail': 0, 'not-observable': 0, skipped: 0 };
  for (const s of scenarios) counts[s.outcome]++;
  return counts;
}

/** Exit status of a run: a change from the expectations file or an error outside scenarios fails it. */
export function runSucceeded(r: Pick<RunResult, 'changes' | 'runErrors'>): boolean {
  return r.changes.length === 0 && r.runErrors.length === 0;
}
