// The report's interop matrix: DS rules × implementations, in both roles; each cell says what was observed against the expectations file.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectationFor, type InteropRole } from './interop-expectations.js';
import type { Implementation } from './peer.js';

export type CellStatus = 'pass' | 'divergent' | 'fail' | 'not-observable' | 'not-run' | 'not-applicable';

/** An outside MTA under `domsec run --external`, named for the organization it played: `external:treyresearch.net`. */
export type ExternalImplementation = `external:${string}`;

export interface InteropCell {
  implementation: Implementation | ExternalImplementation;
  role: InteropRole;
  rule: string;
  status: CellStatus;
  scenario: string;
  /** Expected vs actual, or the divergence reason. */
  detail: string;
  /** The scenario used the MTA's own timers (short queue lifetime, forced flush) instead of virtual time. */
  mtaTime?: boolean;
  /** The MTA's words behind the cell (reply, log line). */
  evidence?: string[];
  /**
   * The DS decision was made by this project's own policy code (src/peers/policy, the policy service the rendered
   * Postfix/Exim ask at MAIL FROM), so agreement with the simulation is by construction, not found in the MTA.
   */
  byConstruction?: boolean;
}

/**
 * The rendered Postfix and Exim ask this project's policy service (src/peers/policy) at MAIL FROM: that code, not the
 * MTA, decides DS-RECV-01…07 and the receiver's certificate checks, so their agreement is by construction.
 */
export function decidedByPolicyService(implementation: string, role: InteropRole, rule: string): boolean {
  return (implementation === 'postfix' || implementation === 'exim') && role === 'receiver' && /^DS-(RECV-0[1-7]|CERT-0[1-5])$/.test(rule);
}

/**
 * What an observed result means for a cell. A check that held is `pass`, or `divergent` when the expectations file
 * documents a divergence for that rule (the observed outcome is then the documented alternative); a check that failed is `fail`.
 */
export function judge(c: Omit<InteropCell, 'status' | 'detail' | 'implementation'> & { implementation: Implementation; ok: boolean; expected: string; actual: string }): InteropCell {
  const { ok, expected, actual, ...fields } = c;
  const rest = { ...fields, ...(decidedByPolicyService(c.implementation, c.role, c.rule) ? { byConstruction: true } : {}) };
  if (c.implementation === 'simulated') return { ...rest, status: ok ? 'pass' : 'fail', detail: ok ? actual : `expected ${expected}, got ${actual}` };
  const e = expectationFor(c.implementation, c.role, c.rule);
  if (!ok) return { ...rest, status: 'fail', detail: `expected ${expected}, got ${actual}` };
  return e.kind === 'divergent' ? { ...rest, status: 'divergent', detail: `${actual} — ${e.reason}` } : { ...rest, status: 'pass', detail: actual };
}

export function notObservable(implementation: Implementation, role: InteropRole, rule: string, scenario: string, reason: string): InteropCell {
  return { implementation, role, rule, scenario, status: 'not-observable', detail: reason };
}

const ORDER: Record<CellStatus, number> = { fail: 4, divergent: 2, pass: 1, 'not-observable': 3, 'not-run': 0, 'not-applicable': 0 };

/** Rows = rules, columns = "implementation/role"; several scenarios on one cell keep the worst status. */
export function interopMatrix(cells: readonly InteropCell[]): { columns: string[]; rows: { rule: string; cells: Record<string, InteropCell | undefined> }[] } {
  const columns = [...new Set(cells.map((c) => `${c.implementation}/${c.role}`))].sort();
  const rules = [...new Set(cells.map((c) => c.rule))].sort();
  return {
    columns,
    rows: rules.map((rule) => {
      const row: Record<string, InteropCell | undefined> = {};
      for (const col of columns) {
        const here = cells.filter((c) => c.rule === rule && `${c.implementation}/${c.role}` === col);
        row[col] = here.sort((a, b) => ORDER[b.status] - ORDER[a.status])[0];
      }
      return { rule, cells: row };
    }),
  };
}

const MARK: Record<CellStatus, string> = { pass: 'pass', divergent: 'divergent', fail: 'FAIL', 'not-observable': 'not observable', 'not-run': '—', 'not-applicable': 'n/a' };

export function renderInteropMarkdown(cells: readonly InteropCell[]): string {
  const m = interopMatrix(cells);
  const head = `| rule | ${m.columns.join(' | ')} |\n|---|${m.columns.map(() => '---').join('|')}|`;
  const body = m.rows.map((r) => `| ${r.rule} | ${m.columns.map((c) => {
    const cell = r.cells[c];
    return cell ? `${MARK[cell.status]}${cell.byConstruction ? ' (by construction)' : ''}${cell.mtaTime ? ' (MTA time)' : ''}` : '—';
  }).join(' | ')} |`);
  return [head, ...body].join('\n') + '\n';
}

/** Where interop runs leave their cells for src/report: one JSON file per implementation. */
export const INTEROP_RESULTS_DIR = '.tmp/interop';

export function writeInteropCells(implementation: Implementation, cells: readonly InteropCell[], dir = INTEROP_RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${implementation}.json`);
  writeFileSync(file, JSON.stringify(cells, null, 2) + '\n');
  return file;
}

export function readInteropCells(dir = INTEROP_RESULTS_DIR): InteropCell[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as InteropCell[]);
}
