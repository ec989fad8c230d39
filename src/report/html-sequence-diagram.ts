// An inline SVG sequence diagram of a scenario's SMTP sessions: lifelines per edge, one arrow per transcript line, DS decisions as notes.
import type { HopEvidence, TranscriptLine } from '../sim/evidence.js';
import { escapeHtml } from './html-escape.js';

const COL = 280;
const ROW = 20;
const TOP = 56;
const MARGIN = 150;
/** Long sessions (retries over days) would make a diagram nobody reads; the transcript below has everything. */
const MAX_ROWS = 80;
const MAX_LABEL = 44;

type Row =
  | { kind: 'arrow'; from: number; to: number; text: string; dashed?: boolean }
  | { kind: 'note'; at: number; text: string; tone: 'info' | 'decision' | 'fail' };

function participantKey(side: HopEvidence['from'] | HopEvidence['to']): { key: string; title: string; sub: string } {
  const org = side.org ?? ('host' in side ? side.host : '?');
  const edge = side.edge ? `/${side.edge}` : '';
  const addr = 'port' in side ? `${side.address}:${side.port}` : side.address;
  return { key: `${org}${edge}`, title: `${org}${edge}`, sub: addr };
}

/** The client's view is what the sender saw; when only the server recorded the session, its view is mirrored. */
function linesOf(h: HopEvidence): { line: TranscriptLine; fromClient: boolean }[] {
  if (h.clientTranscript.length > 0) return h.clientTranscript.map((line) => ({ line, fromClient: line.dir !== '<' }));
  return h.serverTranscript.map((line) => ({ line, fromClient: line.dir === '<' || line.dir === '+' }));
}

function truncate(s: string): string {
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}

/** `id` keeps the arrow-head marker unique when many diagrams share one page. */
export function renderSequenceDiagram(hops: readonly HopEvidence[], id = 'seq'): string {
  if (hops.length === 0) return '';
  const parts: { key: string; title: string; sub: string }[] = [];
  const indexOf = (p: { key: string; title: string; sub: string }) => {
    let i = parts.findIndex((x) => x.key === p.key);
    if (i === -1) i = parts.push(p) - 1;
    return i;
  };
  const rows: Row[] = [];
  for (const h of hops) {
    const c = indexOf(participantKey(h.from));
    const s = indexOf(participantKey(h.to));
    rows.push({ kind: 'note', at: c, text: `${h.id} ${h.at} session ${h.sessionId}`, tone: 'info' });
    for (const { line, fromClient } of linesOf(h)) {
      if (line.dir === '*') rows.push({ kind: 'note', at: fromClient ? c : s, text: line.text, tone: 'info' });
      else if (line.dir === '+') rows.push({ kind: 'arrow', from: c, to: s, text: `connect ${line.text}`.trim(), dashed: true });
      else if (line.dir === '-') rows.push({ kind: 'arrow', from: c, to: s, text: `disconnect ${line.text}`.trim(), dashed: true });
      else rows.push({ kind: 'arrow', from: fromClient ? c : s, to: fromClient ? s : c, text: line.text });
    }
    if (h.tls) rows.push({ kind: 'note', at: c, text: `TLS ${h.tls.version} ${h.tls.cipher}`, tone: 'info' });
    for (const d of h.decisions) {
      const side = d.rule.startsWith('DS-RECV') ? s : c;
      const failed = d.outcome === 'reject' || d.outcome === 'defer';
      rows.push({ kind: 'note', at: side, text: `${d.rule} ${d.outcome}${d.reply ? ` ${d.reply.code} ${d.reply.enhanced}` : ''}`, tone: failed ? 'fail' : 'decision' });
    }
  }
  const shown = rows.slice(0, MAX_ROWS);
  const hidden = rows.length - shown.length;
  const width = MARGIN * 2 + COL * Math.max(1, parts.length - 1);
  const height = TOP + (shown.length + (hidden > 0 ? 1 : 0)) * ROW + 20;
  const x = (i: number) => MARGIN + i * COL;
  const out: string[] = [
    `<svg class="seq" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="SMTP sequence diagram">`,
    `<defs><marker id="${id}-ah" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#37474f"/></marker></defs>`,
  ];
  parts.forEach((p, i) => {
    out.push(`<rect x="${x(i) - 110}" y="6" width="220" height="38" rx="4" fill="#eceff1" stroke="#90a4ae"/>`);
    out.push(`<text x="${x(i)}" y="22" text-anchor="middle" font-weight="bold">${escapeHtml(truncate(p.title))}</text>`);
    out.push(`<text x="${x(i)}" y="37" text-anchor="middle" fill="#555">${escapeHtml(p.sub)}</text>`);
    out.push(`<line x1="${x(i)}" y1="44" x2="${x(i)}" y2="${height - 6}" stroke="#b0bec5" stroke-dasharray="4 3"/>`);
  });
  shown.forEach((r, n) => {
    const y = TOP + n * ROW + 10;
    if (r.kind === 'arrow') {
      const [x1, x2] = [x(r.from), x(r.to)];
      const mid = (x1 + x2) / 2;
      out.push(`<g><title>${escapeHtml(r.text)}</title><line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${y}" stroke="#37474f" marker-end="url(#${id}-ah)"${r.dashed ? ' stroke-dasharray="5 3"' : ''}/>`
        + `<text x="${mid}" y="${y - 4}" text-anchor="middle">${escapeHtml(truncate(r.text))}</text></g>`);
    } else {
      const fill = r.tone === 'fail' ? '#ffcdd2' : r.tone === 'decision' ? '#c8e6c9' : '#fffde7';
      out.push(`<g><title>${escapeHtml(r.text)}</title><rect x="${x(r.at) - 130}" y="${y - 13}" width="260" height="17" rx="3" fill="${fill}" stroke="#ccc"/>`
        + `<text x="${x(r.at)}" y="${y}" text-anchor="middle">${escapeHtml(truncate(r.text))}</text></g>`);
    }
  });
  if (hidden > 0) out.push(`<text x="${MARGIN}" y="${TOP + shown.length * ROW + 10}" fill="#777">… ${hidden} more lines: see the transcripts</text>`);
  out.push('</svg>');
  return out.join('');
}
