// HTML for a scenario's evidence: each hop (endpoints, TLS, both certificates, transcripts), decisions, queue snapshots, log excerpts.
import type { Decision } from '../orgs/policy/decision.js';
import type { CertificateSummary, HopEvidence, TranscriptLine } from '../sim/evidence.js';
import { escapeHtml } from './html-escape.js';
import type { LogExcerpts, ReportEvent, ReportQueueSnapshot } from './run-result.js';

function certificate(role: string, c: CertificateSummary | undefined): string {
  if (!c) return `<div class="cert"><b>${escapeHtml(role)}</b>: <span class="muted">no certificate presented</span></div>`;
  const rows: [string, string][] = [
    ['Subject', c.subject], ['Issuer', c.issuer], ['Names', c.names.join(', ')], ['Serial', c.serialNumber],
    ['Thumbprint', c.thumbprint], ['Valid', `${c.notBefore} → ${c.notAfter}`],
  ];
  return `<div class="cert"><b>${escapeHtml(role)}</b><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td class="mono">${escapeHtml(v)}</td></tr>`).join('')}</table>`
    + `<details><summary>PEM</summary><pre>${escapeHtml(c.pem)}</pre></details></div>`;
}

function transcript(title: string, lines: readonly TranscriptLine[]): string {
  if (lines.length === 0) return '';
  const text = lines.map((l) => `${l.at.slice(11, 23)} ${l.dir} ${l.text}`).join('\n');
  return `<h5>${escapeHtml(title)}</h5><pre class="transcript">${escapeHtml(text)}</pre>`;
}

function endpoint(e: HopEvidence['from'] | HopEvidence['to']): string {
  const name = [e.org, e.edge].filter(Boolean).join('/') || ('host' in e ? e.host : '');
  const where = 'port' in e ? `${e.host} ${e.address}:${e.port}` : `${e.fqdn} ${e.address}`;
  return `${escapeHtml(name)} <span class="muted mono">(${escapeHtml(where)}${e.connector ? `, connector ${escapeHtml(e.connector)}` : ''})</span>`;
}

export function renderHop(h: HopEvidence): string {
  const tls = h.tls ? `${escapeHtml(h.tls.version)} · ${escapeHtml(h.tls.cipher)}${h.tls.bits ? ` · ${h.tls.bits} bits` : ''}` : '<span class="muted">no TLS</span>';
  return `<div class="hop" data-hop="${escapeHtml(h.id)}">
<h4>${escapeHtml(h.id)}: ${endpoint(h.from)} → ${endpoint(h.to)}</h4>
<table><tr><th>Session</th><td class="mono">${escapeHtml(h.sessionId)}</td><th>Started</th><td class="mono">${escapeHtml(h.at)}</td></tr>
<tr><th>Next hop domain</th><td>${escapeHtml(h.nextHopDomain)}</td><th>Result</th><td><b>${escapeHtml(h.result)}</b>${h.reply ? ` <code>${escapeHtml(h.reply)}</code>` : ''}</td></tr>
<tr><th>TLS</th><td colspan="3" class="tls">${tls}</td></tr>
${h.network?.length ? `<tr><th>Network faults</th><td colspan="3">${escapeHtml(h.network.join(', '))}</td></tr>` : ''}
<tr><th>Messages</th><td colspan="3" class="mono">${escapeHtml(h.messageIds.join(' '))}</td></tr></table>
<h5>Certificates presented</h5>${certificate(`Client (${h.from.fqdn})`, h.certificates.client)}${certificate(`Server (${h.to.host})`, h.certificates.server)}
${transcript('SMTP transcript (client side)', h.clientTranscript)}${transcript('SMTP transcript (server side)', h.serverTranscript)}
</div>`;
}

export function renderDecisions(decisions: readonly (Decision & { hop?: string })[]): string {
  if (decisions.length === 0) return '<p class="muted">No decisions recorded.</p>';
  const rows = decisions.map((d) => `<tr class="decision"><td><b>${escapeHtml(d.rule)}</b></td><td>${escapeHtml(d.hop ?? '')}</td><td>${escapeHtml(d.outcome)}</td>`
    + `<td class="mono">${d.reply ? escapeHtml(`${d.reply.code} ${d.reply.enhanced} ${d.reply.text}`) : ''}</td><td>${escapeHtml(d.reason)}</td>`
    + `<td>${d.event ?? ''}</td></tr>`).join('');
  return `<table class="decisions"><tr><th>DS rule</th><th>Hop</th><th>Outcome</th><th>Reply</th><th>Reason</th><th>Event</th></tr>${rows}</table>`;
}

export function renderQueues(series: readonly ReportQueueSnapshot[][]): string {
  const rows = series.flatMap((snap) => snap.map((q) => `<tr><td class="mono">${escapeHtml(q.at)}</td><td>${escapeHtml([q.org, q.identity].filter(Boolean).join(' '))}</td><td>${escapeHtml(q.nextHopDomain)}</td>`
    + `<td>${escapeHtml(q.status)}</td><td>${q.messageCount}</td><td>${q.retryCount}</td><td class="mono">${escapeHtml(q.nextRetryTime ?? '')}</td>`
    + `<td>${escapeHtml(q.tlsDomain ?? '')}</td><td class="mono">${escapeHtml(q.lastError ?? '')}</td></tr>`));
  if (rows.length === 0) return '<p class="muted">No queue snapshots recorded.</p>';
  return `<table class="queues"><tr><th>At</th><th>Identity</th><th>NextHopDomain</th><th>Status</th><th>Messages</th><th>Retries</th><th>NextRetryTime</th><th>TlsDomain</th><th>LastError</th></tr>${rows.join('')}</table>`;
}

export function renderLogs(logs: LogExcerpts): string {
  const names = Object.keys(logs).sort();
  if (names.length === 0) return '<p class="muted">No log excerpts recorded.</p>';
  return names.map((n) => `<details class="log"><summary>${escapeHtml(n)} (${logs[n].length} lines)</summary><pre>${escapeHtml(logs[n].join('\n'))}</pre></details>`).join('');
}

export function renderCounters(counters: Record<string, Record<string, number>>, events: readonly ReportEvent[]): string {
  const orgs = Object.keys(counters);
  const names = [...new Set(orgs.flatMap((o) => Object.keys(counters[o])))];
  const table = orgs.length === 0 ? '' : `<table class="counters"><tr><th>Organization</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`
    + orgs.map((o) => `<tr><td>${escapeHtml(o)}</td>${names.map((n) => `<td>${counters[o][n] ?? ''}</td>`).join('')}</tr>`).join('') + '</table>';
  const list = events.length === 0 ? '' : `<table class="events"><tr><th>Organization</th><th>Event</th><th>At</th><th>Text</th></tr>`
    + events.map((e) => `<tr><td>${escapeHtml(e.org)}</td><td>${e.id}</td><td class="mono">${escapeHtml(e.at ?? '')}</td><td>${escapeHtml(e.text)}</td></tr>`).join('') + '</table>';
  return table + list || '<p class="muted">No counters or events recorded.</p>';
}
