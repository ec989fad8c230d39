// index.html: one self-contained page (styles and script inline, no external URLs) with the summary, the matrix and every scenario.
import { escapeHtml } from './html-escape.js';
import { renderInteropMatrix } from './html-interop-matrix.js';
import { renderMatrix } from './html-matrix.js';
import { renderScenario, scenarioAnchor } from './html-scenario-detail.js';
import { SCRIPT } from './html-script.js';
import { OUTCOME_COLOURS, STYLES } from './html-styles.js';
import { OUTCOMES, type RunResult, runSucceeded } from './run-result.js';

function summaryTiles(run: RunResult): string {
  const tiles = OUTCOMES.map((o) => `<div class="tile o-${o}" data-outcome="${o}" title="Show only ${escapeHtml(OUTCOME_COLOURS[o].label)}">`
    + `<span class="count">${run.counts[o]}</span>${escapeHtml(OUTCOME_COLOURS[o].label)}</div>`);
  return `<div id="summary" data-total="${run.scenarios.length}">${tiles.join('')}</div>`;
}

function verdictBanner(run: RunResult): string {
  if (runSucceeded(run)) {
    return `<p class="ok-banner" id="verdict" data-ok="true">Everything as expected: no change from expectations.json.</p>`;
  }
  const changed = new Map(run.scenarios.filter((s) => s.expectation.changed).map((s) => [`${s.id} ${s.name}`, scenarioAnchor(s)]));
  const items = [
    ...run.changes.map((c) => {
      const anchor = [...changed.entries()].find(([k]) => c.startsWith(k))?.[1];
      return `<li>${anchor ? `<a href="#${anchor}">${escapeHtml(c)}</a>` : escapeHtml(c)}</li>`;
    }),
    ...run.runErrors.map((e) => `<li>${escapeHtml(e)}</li>`),
  ];
  return `<div class="changes" id="verdict" data-ok="false"><b>${run.changes.length + run.runErrors.length} change(s) from the expected results:</b><ul>${items.join('')}</ul></div>`;
}

/** A run stopped part-way (Ctrl-C, SIGTERM, --fail-fast) says so above everything: its counts are not the catalogue's. */
function stoppedBanner(run: RunResult): string {
  if (run.interrupted) {
    const i = run.interrupted;
    return `<div class="changes" id="interrupted" data-signal="${escapeHtml(i.signal)}"><b>Interrupted</b> by ${escapeHtml(i.signal)} after ${i.finished} of ${i.planned} scenarios: this report holds the finished ones only.</div>\n`;
  }
  if (run.failFast) {
    const f = run.failFast;
    return `<div class="changes" id="fail-fast"><b>Stopped by --fail-fast</b> after ${f.finished} of ${f.planned} scenarios, at ${escapeHtml(f.after)}.</div>\n`;
  }
  return '';
}

export function renderHtmlReport(run: RunResult): string {
  const selection = [run.selection.tags ? `tags ${run.selection.tags}` : '', run.selection.profiles.length ? `profile ${run.selection.profiles.join(', ')}` : ''].filter(Boolean).join(' · ');
  const unused = run.unusedExpectations.length > 0
    ? `<p class="muted">Expectations that matched no scenario in this run: ${escapeHtml(run.unusedExpectations.join(', '))}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>domsec conformance report ${escapeHtml(run.runId)}</title>
<style>${STYLES}</style></head>
<body>
<header><h1>Domain Security conformance: ${escapeHtml(run.runId)}</h1>
<div class="meta">seed ${escapeHtml(run.seed)} · started ${escapeHtml(run.startedAt)} · ${(run.durationMs / 1000).toFixed(1)} s · ${run.scenarios.length} scenarios · ${escapeHtml(run.tool.name)} ${escapeHtml(run.tool.version)}${selection ? ` · ${escapeHtml(selection)}` : ''}</div></header>
<main>
${stoppedBanner(run)}${verdictBanner(run)}
${summaryTiles(run)}
${unused}
<h2>DS rules × organizations</h2>
<p class="muted">Each cell counts the scenarios tagged with the rule that involved the organization, coloured by the worst outcome. Click a cell to list them.</p>
${renderMatrix(run)}
${renderInteropMatrix(run.interop ?? [])}
<h2 id="scenarios">Scenarios</h2>
<p id="filter" hidden>Showing <b id="filter-label"></b> <button type="button" id="filter-clear">show all</button></p>
${run.scenarios.map(renderScenario).join('\n')}
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
