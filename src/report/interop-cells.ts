// The run's interop matrix cells (results.json `interop`): implementations × DS rules × role, built from the scenarios' outcomes.
import type { CellStatus, InteropCell, InteropRole } from '../peers/index.js';
import { decidedByPolicyService } from '../peers/interop-matrix.js';
import type { Outcome, ScenarioResult } from './run-result.js';

/**
 * A scenario's outcome as an interop cell: an expected failure is a documented divergence (expectations.json says why);
 * a harness error tested nothing about the implementation, so its cell is not-run (the detail says why), never fail.
 */
const CELL_STATUS: Record<Outcome, CellStatus> = {
  pass: 'pass', 'expected-fail': 'divergent', 'not-observable': 'not-observable', fail: 'fail', 'harness-error': 'not-run', skipped: 'not-run',
};

/** The tag of scenarios that ran on the MTA's own timers (short queue lifetimes, forced flush) instead of virtual time. */
export const MTA_TIME_TAG = 'mta-time';

/** DS-RECV rules judge the receiver, DS-SEND rules the sender; certificate, queue and log rules either side that took part. */
function concerns(rule: string, role: InteropRole): boolean {
  if (rule.startsWith('DS-RECV-')) return role === 'receiver';
  if (rule.startsWith('DS-SEND-')) return role === 'sender';
  return true;
}

function detail(s: ScenarioResult): string {
  if (s.outcome === 'expected-fail') return `${s.expectation.reason ?? ''}${s.mismatch ? ` (expected ${s.mismatch.expected}, got ${s.mismatch.actual})` : ''}`;
  if (s.outcome === 'not-observable') return s.evidence.notObservable.join('; ') || s.expectation.reason || '';
  if (s.outcome === 'harness-error') return `harness error: ${(s.error ?? '').split('\n')[0]}`;
  if (s.outcome === 'fail') return s.mismatch ? `expected ${s.mismatch.expected}, got ${s.mismatch.actual}` : s.error ?? '';
  return s.name;
}

/**
 * One cell per scenario, DS rule and (implementation, role) that took part. When a real MTA took part, the cells are
 * its own: the simulated partner is the fixed reference there, not what the run measures. An all-simulated run of the
 * interop features fills the `simulated` columns, the reference outcomes.
 */
export function interopCells(scenarios: readonly ScenarioResult[]): InteropCell[] {
  const cells: InteropCell[] = [];
  for (const s of scenarios) {
    const interop = s.evidence.interop;
    if (!interop) continue;
    const played = interop.roles.map((r) => ({ ...r, implementation: interop.implementations[r.org] ?? 'simulated' }));
    const real = played.filter((p) => p.implementation !== 'simulated');
    for (const p of real.length > 0 ? real : played) {
      for (const rule of s.dsIds.filter((r) => concerns(r, p.role))) {
        cells.push({
          implementation: p.implementation, role: p.role, rule, status: CELL_STATUS[s.outcome], scenario: s.id, detail: detail(s),
          ...(s.tags.includes(MTA_TIME_TAG) && p.implementation !== 'simulated' ? { mtaTime: true } : {}),
          ...(decidedByPolicyService(p.implementation, p.role, rule) ? { byConstruction: true } : {}),
        });
      }
    }
  }
  return cells;
}
