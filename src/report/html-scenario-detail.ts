// One scenario in the HTML report: a collapsible <details> with its verdict, expected vs actual, steps, and all its evidence.
import { escapeHtml, slug } from './html-escape.js';
import { renderCounters, renderDecisions, renderHop, renderLogs, renderQueues } from './html-evidence.js';
import { organizationsOf } from './html-matrix.js';
import { renderSequenceDiagram } from './html-sequence-diagram.js';
import { OUTCOME_COLOURS } from './html-styles.js';
import type { ScenarioResult } from './run-result.js';
import { findRule, ruleLabel } from '../rules/catalogue.js';
import { scenarioReason } from './scenario-reason.js';

export function scenarioAnchor(s: Pick<ScenarioResult, 'id'>): string {
  return `sc-${slug(s.id)}`;
}

export function outcomeBadge(o: ScenarioResult['outcome']): string {
  return `<span class="badge o-${o}">${escapeHtml(OUTCOME_COLOURS[o].label)}</span>`;
}

function verdict(s: ScenarioResult): string {
  const e = s.expectation;
  const parts: string[] = [];
  if (s.status === 'harness-error') {
    parts.push('<p class="harness"><b>Harness error:</b> the scenario could not be judged (an undefined, ambiguous or pending step, a failing hook, '
      + 'or a crash in step code). It says nothing about its DS rules: fix the step definitions or the support code.</p>');
  } else if (e.changed) parts.push(`<p class="changes"><b>Change from expectations.json:</b> ${escapeHtml(e.note ?? '')}</p>`);
  if (e.reason) parts.push(`<p>Known divergence (${escapeHtml(e.matchedBy ?? '')}): ${escapeHtml(e.reason)}</p>`);
  if (s.evidence.notObservable.length > 0) parts.push(`<p>Not observable: ${escapeHtml(s.evidence.notObservable.join('; '))}</p>`);
  // A failure names the rules it checks with their statements: what should have happened, in words.
  if (s.status === 'fail') {
    const known = s.dsIds.map(findRule).filter((r) => r !== undefined);
    if (known.length > 0) parts.push(`<ul class="rule-statements">${known.map((r) => `<li><b>${escapeHtml(r.id)}</b> ${escapeHtml(r.title)}: ${escapeHtml(r.statement)}</li>`).join('')}</ul>`);
  }
  if (s.mismatch) {
    parts.push(`<div class="mismatch"><b>expected</b><code class="expected">${escapeHtml(s.mismatch.expected)}</code>`
      + `<b>actual</b><code class="actual">${escapeHtml(s.mismatch.actual)}</code></div>`);
  } else if (s.error) {
    parts.push(`<pre class="error">${escapeHtml(s.error)}</pre>`);
  }
  return parts.join('\n');
}

function steps(s: ScenarioResult): string {
  const items = s.steps.map((st) => `<li class="${escapeHtml(st.status)}"><span class="mono">${escapeHtml(st.status.padEnd(9, ' '))}</span> `
    + `<b>${escapeHtml(st.keyword)}</b> ${escapeHtml(st.text)}${st.message && st.status !== 'passed' ? `<pre>${escapeHtml(st.message)}</pre>` : ''}</li>`);
  return `<ol class="steps">${items.join('')}</ol>`;
}

/**
 * Decisions sit on their hops; the table lists them in order, then those the World recorded outside a hop
 * (the World may repeat a hop's decisions there, so a decision already shown on a hop is not listed twice).
 */
function allDecisions(s: ScenarioResult) {
  const onHops = s.evidence.hops.flatMap((h) => h.decisions.map((d) => ({ ...d, hop: h.id })));
  const seen = new Set(onHops.map((d) => `${d.rule}|${d.outcome}|${d.reason}`));
  return [...onHops, ...s.evidence.decisions.filter((d) => !seen.has(`${d.rule}|${d.outcome}|${d.reason}`))];
}

export function renderScenario(s: ScenarioResult): string {
  const id = scenarioAnchor(s);
  const ev = s.evidence;
  const reason = scenarioReason(s);
  const sections = [
    verdict(s),
    `<h4>Steps</h4>${steps(s)}`,
    `<h4>Decisions</h4>${renderDecisions(allDecisions(s))}`,
    ev.hops.length > 0 ? `<h4>Sequence</h4>${renderSequenceDiagram(ev.hops, id)}` : '',
    ev.hops.length > 0 ? `<h4>Hops</h4>${ev.hops.map(renderHop).join('\n')}` : '<p class="muted">No SMTP session recorded.</p>',
    `<h4>Queue state over time</h4>${renderQueues(ev.queues)}`,
    `<h4>Counters and events</h4>${renderCounters(ev.counters, ev.events)}`,
    `<h4>Log excerpts</h4>${renderLogs(ev.logs)}`,
    s.notes.length > 0 ? `<h4>Notes</h4><pre>${escapeHtml(s.notes.join('\n'))}</pre>` : '',
  ];
  return `<details class="scenario" id="${id}" data-outcome="${s.outcome}" data-ids="${escapeHtml(s.dsIds.join(' '))}" data-orgs="${escapeHtml(organizationsOf(s).join('|'))}">
<summary>${outcomeBadge(s.outcome)} <span class="name">${escapeHtml(s.name)}</span> <span class="ids" title="${escapeHtml(s.dsIds.map(ruleLabel).join('\n'))}">${escapeHtml(s.dsIds.join(' '))}</span>`
    + (reason ? ` <span class="reason${s.expectation.changed ? ' changed' : ''}">${escapeHtml(reason)}</span>` : '')
    + ` <span class="muted">${escapeHtml(s.feature)} · ${escapeHtml(s.id)} · ${(s.durationMs / 1000).toFixed(2)} s${s.attempts > 1 ? ` · ${s.attempts} attempts` : ''}</span></summary>
<div class="body">
${sections.filter(Boolean).join('\n')}
</div></details>`;
}
