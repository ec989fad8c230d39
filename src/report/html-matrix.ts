// The report's DS-rule × organization matrix (Autobahn style): one cell per rule and organization, coloured by its worst outcome.
import { escapeHtml, slug } from './html-escape.js';
import { OUTCOME_COLOURS } from './html-styles.js';
import { OUTCOMES, type Outcome, type OutcomeCounts, type RunResult, type ScenarioResult, countOutcomes } from './run-result.js';
import { findRule, ruleLabel } from '../rules/catalogue.js';

/** Scenarios that open no SMTP session (configuration checks) still need a column. */
export const NO_SESSION_COLUMN = '(no session)';

/** BEHAVIOUR.md's section order, so the matrix reads like the spec. */
const AREA_ORDER = ['CONF', 'CERT', 'RECV', 'SEND', 'QUEUE', 'LOG'];

/**
 * The worst outcome decides a cell's colour: a failure must never hide behind passes. A harness error ranks below a
 * rule's real failure (it is no verdict on the rule) but above everything else: the cell could not be judged.
 */
const SEVERITY: Outcome[] = ['fail', 'harness-error', 'expected-fail', 'not-observable', 'skipped', 'pass'];

export interface MatrixCell {
  rule: string;
  org: string;
  counts: OutcomeCounts;
  worst: Outcome;
  scenarioIds: string[];
}

export interface Matrix {
  rules: string[];
  orgs: string[];
  cells: Map<string, MatrixCell>;
}

/** The organizations a scenario involved: both ends of every hop it recorded. */
export function organizationsOf(s: ScenarioResult): string[] {
  const orgs = new Set<string>();
  for (const h of s.evidence.hops) {
    if (h.from.org) orgs.add(h.from.org);
    if (h.to.org) orgs.add(h.to.org);
  }
  return orgs.size > 0 ? [...orgs].sort() : [NO_SESSION_COLUMN];
}

export function ruleOrder(a: string, b: string): number {
  const area = (r: string) => {
    const i = AREA_ORDER.indexOf(r.split('-')[1] ?? '');
    return i === -1 ? AREA_ORDER.length : i;
  };
  return area(a) - area(b) || a.localeCompare(b, 'en', { numeric: true });
}

export function cellKey(rule: string, org: string): string {
  return `${rule}\u0000${org}`;
}

export function buildMatrix(run: Pick<RunResult, 'scenarios'>): Matrix {
  const members = new Map<string, ScenarioResult[]>();
  const rules = new Set<string>();
  const orgs = new Set<string>();
  for (const s of run.scenarios) {
    // A scenario without DS tags is still reported; it gets its own row so nothing disappears.
    const ids = s.dsIds.length > 0 ? s.dsIds : ['(untagged)'];
    for (const rule of ids) {
      rules.add(rule);
      for (const org of organizationsOf(s)) {
        orgs.add(org);
        const k = cellKey(rule, org);
        members.set(k, [...(members.get(k) ?? []), s]);
      }
    }
  }
  const cells = new Map<string, MatrixCell>();
  for (const [k, list] of members) {
    const [rule, org] = k.split('\u0000');
    const counts = countOutcomes(list);
    cells.set(k, { rule, org, counts, worst: SEVERITY.find((o) => counts[o] > 0) ?? 'pass', scenarioIds: list.map((s) => s.id) });
  }
  const orgList = [...orgs].sort((a, b) => (a === NO_SESSION_COLUMN ? 1 : b === NO_SESSION_COLUMN ? -1 : a.localeCompare(b)));
  return { rules: [...rules].sort(ruleOrder), orgs: orgList, cells };
}

function cellText(c: MatrixCell): string {
  return OUTCOMES.filter((o) => c.counts[o] > 0)
    .map((o) => `<span class="n" data-outcome="${o}">${c.counts[o]} ${escapeHtml(OUTCOME_COLOURS[o].label)}</span>`)
    .join('<br>');
}

/** A matrix row header: the rule's title as a legend under the ID and its statement as tooltip, so nobody has to look the ID up. */
export function ruleHeaderCell(rule: string, attrs = ''): string {
  const r = findRule(rule);
  const legend = r ? `<br><span class="rule-title">${escapeHtml(r.title)}</span>` : '';
  return `<th class="rule"${attrs}${r ? ` title="${escapeHtml(r.statement)}"` : ''}>${escapeHtml(rule)}${legend}</th>`;
}

export function renderMatrix(run: Pick<RunResult, 'scenarios'>): string {
  const m = buildMatrix(run);
  if (m.rules.length === 0) return '<p class="muted">No scenarios ran.</p>';
  const head = m.orgs.map((o) => `<th class="org" data-org="${escapeHtml(o)}">${escapeHtml(o)}</th>`).join('');
  const rows = m.rules.map((rule) => {
    const tds = m.orgs.map((org) => {
      const c = m.cells.get(cellKey(rule, org));
      if (!c) return '<td class="empty">·</td>';
      const total = c.scenarioIds.length;
      const title = `${ruleLabel(rule)} × ${org}: ${total} scenario${total === 1 ? '' : 's'}`;
      return `<td class="cell o-${c.worst}" data-rule="${escapeHtml(rule)}" data-org="${escapeHtml(org)}" data-total="${total}"`
        + ` data-scenarios="${escapeHtml(c.scenarioIds.map((id) => `sc-${slug(id)}`).join(' '))}" title="${escapeHtml(title)}">${cellText(c)}</td>`;
    }).join('');
    return `<tr>${ruleHeaderCell(rule, ` id="rule-${slug(rule)}"`)}${tds}</tr>`;
  }).join('\n');
  return `<table class="matrix" id="matrix"><thead><tr><th>DS rule</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}
