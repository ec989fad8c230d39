// The report's interop matrix: DS rules × (implementation, role), each cell the worst status of its scenarios, divergences with their reason.
import type { CellStatus, InteropCell } from '../peers/index.js';
import { escapeHtml, slug } from './html-escape.js';
import { ruleHeaderCell, ruleOrder } from './html-matrix.js';
import type { Outcome } from './run-result.js';

/** Colours follow the outcome tiles: a divergence is an expected failure documented in expectations.json. */
const CLASS: Record<CellStatus, Outcome> = {
  pass: 'pass', divergent: 'expected-fail', 'not-observable': 'not-observable', fail: 'fail', 'not-run': 'skipped', 'not-applicable': 'skipped',
};
const LABEL: Record<CellStatus, string> = { pass: 'pass', divergent: 'divergent', 'not-observable': 'not observable', fail: 'FAIL', 'not-run': 'not run', 'not-applicable': 'not applicable' };
/** A failure must never hide behind a pass in the same cell. */
const SEVERITY: CellStatus[] = ['fail', 'divergent', 'not-observable', 'not-run', 'pass', 'not-applicable'];
const ROLE_ORDER = ['receiver', 'sender'];

function column(c: InteropCell): string {
  return `${c.implementation}/${c.role}`;
}

export function renderInteropMatrix(cells: readonly InteropCell[]): string {
  if (cells.length === 0) return '';
  const columns = [...new Set(cells.map(column))].sort((a, b) => {
    const [ia, ra] = a.split('/');
    const [ib, rb] = b.split('/');
    return ia.localeCompare(ib) || ROLE_ORDER.indexOf(ra) - ROLE_ORDER.indexOf(rb);
  });
  const rules = [...new Set(cells.map((c) => c.rule))].sort(ruleOrder);
  const head = columns.map((c) => `<th class="org" data-column="${escapeHtml(c)}">${escapeHtml(c.replace('/', ' as '))}</th>`).join('');
  const rows = rules.map((rule) => {
    const tds = columns.map((col) => {
      const here = cells.filter((c) => c.rule === rule && column(c) === col);
      if (here.length === 0) return '<td class="empty">·</td>';
      const worst = SEVERITY.find((s) => here.some((c) => c.status === s)) ?? 'pass';
      const ids = [...new Set(here.map((c) => c.scenario))];
      const mta = here.some((c) => c.mtaTime) ? ' <span class="muted">(MTA time)</span>' : '';
      const own = worst === 'pass' && here.every((c) => c.byConstruction) ? ' <span class="muted">(by construction)</span>' : '';
      const title = here.map((c) => `${LABEL[c.status]}: ${c.detail}`).join('\n');
      return `<td class="cell o-${CLASS[worst]}" data-rule="${escapeHtml(rule)}" data-org="${escapeHtml(col)}" data-status="${worst}"`
        + ` data-scenarios="${escapeHtml(ids.map((id) => `sc-${slug(id)}`).join(' '))}" title="${escapeHtml(title)}">${LABEL[worst]}${own}${mta}</td>`;
    }).join('');
    return `<tr>${ruleHeaderCell(rule)}${tds}</tr>`;
  }).join('\n');
  return `<h2>Interop: DS rules × implementations, by role</h2>
<p class="muted">Which implementation played the organization the profile names, as receiver and as sender. <b>divergent</b>: a
different outcome or wording documented in expectations.json (hover for the reason); <b>not observable</b>: the MTA cannot
show it; <b>not applicable</b>: the rule cannot be put to that implementation (hover for why); <b>(by construction)</b>: the
MTA asked this project's own policy service for the decision, so agreeing with the simulation proves the wiring, not the
MTA; <b>(MTA time)</b>: the MTA's own timers and flush stood in for virtual time. Click a cell to list its scenarios.</p>
<table class="matrix" id="interop-matrix"><thead><tr><th>DS rule</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}
