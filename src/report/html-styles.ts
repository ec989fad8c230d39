// The report's stylesheet, inlined so index.html works offline and from a CI artifact store.
import type { Outcome } from './run-result.js';

export const OUTCOME_COLOURS: Record<Outcome, { bg: string; fg: string; label: string }> = {
  pass: { bg: '#c8e6c9', fg: '#1b5e20', label: 'pass' },
  fail: { bg: '#ffcdd2', fg: '#b71c1c', label: 'fail' },
  'harness-error': { bg: '#e1bee7', fg: '#4a148c', label: 'harness error' },
  'expected-fail': { bg: '#ffe0b2', fg: '#8a4b00', label: 'expected fail' },
  'not-observable': { bg: '#d6dde8', fg: '#37474f', label: 'not observable' },
  skipped: { bg: '#eeeeee', fg: '#555555', label: 'skipped' },
};

const outcomeRules = Object.entries(OUTCOME_COLOURS)
  .map(([o, c]) => `.o-${o}{background:${c.bg};color:${c.fg}}`)
  .join('\n');

export const STYLES = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d232a;background:#fafafa}
header{background:#263238;color:#fff;padding:14px 24px}
header h1{margin:0 0 4px;font-size:20px}
header .meta{opacity:.85;font-size:12px}
main{padding:16px 24px;max-width:1400px}
h2{font-size:16px;margin:24px 0 8px}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12px}
pre{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;max-height:420px;margin:4px 0}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
${outcomeRules}
#summary{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}
#summary .tile{border-radius:6px;padding:6px 12px;min-width:110px;cursor:pointer;border:2px solid transparent}
#summary .tile.active{border-color:#263238}
#summary .count{font-size:20px;font-weight:700;display:block}
.changes{background:#fff3f3;border:1px solid #f1aeb5;padding:8px 12px;border-radius:6px}
.ok-banner{background:#eef8ee;border:1px solid #a5d6a7;padding:8px 12px;border-radius:6px}
table.matrix td.cell{text-align:center;cursor:pointer;min-width:90px;font-size:12px}
table.matrix td.cell:hover{outline:2px solid #263238}
table.matrix td.empty{background:#fff;color:#bbb;text-align:center}
table.matrix th.rule{white-space:nowrap;text-align:left}
table.matrix th.rule .rule-title{font-weight:normal;font-size:11px;color:#555}
ul.rule-statements{margin:4px 0;padding-left:18px;font-size:13px}
details.scenario{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:6px 0}
details.scenario>summary{padding:6px 10px;cursor:pointer;list-style:none;display:flex;gap:10px;align-items:center}
details.scenario>summary::-webkit-details-marker{display:none}
details.scenario>summary::before{content:"▸";color:#888}
details.scenario[open]>summary::before{content:"▾"}
details.scenario .body{padding:4px 14px 12px;border-top:1px solid #eee}
details.scenario.hidden{display:none}
.ids{color:#555;font-size:12px}
details.scenario>summary .reason{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:#555;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0;flex:1 1 auto}
details.scenario>summary .reason.changed{color:#b71c1c}
.harness{background:#f3e5f5;border:1px solid #ce93d8;padding:6px 10px;border-radius:4px}
.mismatch{display:grid;grid-template-columns:80px 1fr;gap:2px 8px;background:#fff8e1;border:1px solid #ffe082;padding:8px;border-radius:4px}
.mismatch b{color:#6d4c00}
.hop{border-left:4px solid #90a4ae;padding-left:10px;margin:12px 0}
.steps li.failed{color:#b71c1c;font-weight:600}
.steps li.skipped{color:#777}
.cert{display:inline-block;vertical-align:top;margin-right:12px}
svg.seq text{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}
.muted{color:#777}
`;
