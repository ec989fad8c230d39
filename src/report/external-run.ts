// A `domsec run --external` run as a RunResult: one scenario per check (its DS rules, verdict and per-hop evidence) and
// the outside MTA's own interop column, so results.json, junit.xml and the HTML matrix show it like any implementation.
import type { ExternalCheckResult, ExternalImplementation, ExternalStatus, InteropCell } from '../peers/index.js';
import { countOutcomes, emptyEvidence, type ObservedStatus, RESULTS_SCHEMA_VERSION, type RunResult, type ScenarioResult } from './run-result.js';

const STATUS: Record<ExternalStatus, ObservedStatus> = { pass: 'pass', divergent: 'fail', 'not-observable': 'not-observable', 'not-applicable': 'skipped' };

export interface ExternalRunMeta {
  runId: string;
  seed: string;
  startedAt: string;
  finishedAt: string;
  /** The organization the outside MTA played. */
  domain: string;
  tool: { name: string; version: string };
}

export function externalImplementation(domain: string): ExternalImplementation {
  return `external:${domain}`;
}

function scenarioOf(r: ExternalCheckResult, i: number, implementation: string): ScenarioResult {
  const status = STATUS[r.status];
  const divergent = r.status === 'divergent';
  return {
    id: `${implementation}/${r.id}`, name: r.title, feature: `${implementation} as ${r.role}`, featureUri: `domsec run --external (${r.role})`, line: i + 1,
    dsIds: r.rules, tags: ['external', `role-${r.role}`], status, outcome: status,
    expectation: divergent
      ? { expected: 'pass', changed: true, note: `divergent: expected ${r.expected}, got ${r.actual}` }
      : { expected: status, changed: false, ...(r.status === 'not-applicable' ? { reason: `not applicable: ${r.actual}` } : {}) },
    durationMs: r.durationMs, attempts: 1, steps: [],
    ...(divergent ? { error: `expected: ${r.expected}\nactual: ${r.actual}`, mismatch: { expected: r.expected, actual: r.actual } } : {}),
    evidence: { ...emptyEvidence(), hops: r.hops, logs: r.logs ?? {}, notObservable: r.status === 'not-observable' ? [r.actual] : [] },
    notes: [`expected: ${r.expected}`, `actual: ${r.actual}`],
  };
}

export function externalRunResult(meta: ExternalRunMeta, results: readonly ExternalCheckResult[]): RunResult {
  const implementation = externalImplementation(meta.domain);
  const scenarios = results.map((r, i) => scenarioOf(r, i, implementation));
  const interop: InteropCell[] = results.flatMap((r) => r.rules.map((rule) => ({
    implementation, role: r.role, rule, status: r.status, scenario: `${implementation}/${r.id}`, detail: `${r.title}: ${r.actual}`,
    ...(r.hops.length ? { evidence: r.hops.map((h) => `${h.id}: ${h.from.org} → ${h.to.org} ${h.result}${h.reply ? ` (${h.reply})` : ''}`) } : {}),
  })));
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION, runId: meta.runId, seed: meta.seed, startedAt: meta.startedAt, finishedAt: meta.finishedAt,
    durationMs: Date.parse(meta.finishedAt) - Date.parse(meta.startedAt), selection: { profiles: [] }, tool: meta.tool,
    counts: countOutcomes(scenarios),
    changes: scenarios.filter((s) => s.expectation.changed).map((s) => `${s.id} ${s.name}: ${s.expectation.note}`),
    unusedExpectations: [], runErrors: [], scenarios, interop,
  };
}
