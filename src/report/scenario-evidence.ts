// Reads the World's evidence attachments (application/vnd.domsec.evidence+json), merges them per scenario and cuts logs to excerpts.
import type { Decision } from '../orgs/policy/decision.js';
import type { InteropParticipation } from '../peers/index.js';
import type { HopEvidence, QueueSnapshot } from '../sim/evidence.js';
import { emptyEvidence, type LogExcerpts, type ReportEvent, type ReportQueueSnapshot, type ScenarioEvidence } from './run-result.js';

export const EVIDENCE_MEDIA_TYPE = 'application/vnd.domsec.evidence+json';

/** A whole protocol log would make results.json unreadable; a scenario needs the lines of its own sessions. */
const MAX_EXCERPT_LINES = 200;
const FALLBACK_TAIL_LINES = 40;

type OrgQueues = { org: string; queues: QueueSnapshot[] };

/** The attachment as the World writes it; every field optional so a partial attachment still counts. */
interface EvidenceAttachment {
  hops?: HopEvidence[];
  /** A series of snapshots, one snapshot, or one snapshot grouped by organization. */
  queues?: (QueueSnapshot | OrgQueues)[][] | (QueueSnapshot | OrgQueues)[];
  counters?: Record<string, Record<string, number>>;
  events?: Record<string, { id: number; at?: string; text: string }[]>;
  logs?: Record<string, string | string[]>;
  decisions?: Decision[];
  notObservable?: string | string[];
  interop?: InteropParticipation;
}

/** Parses one attachment body; a body that is not JSON is reported rather than dropped, so a World bug shows. */
export function parseEvidenceAttachment(body: string): { ok: true; value: EvidenceAttachment } | { ok: false; detail: string } {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, detail: 'the evidence attachment is not a JSON object' };
    return { ok: true, value: v as EvidenceAttachment };
  } catch (e) {
    return { ok: false, detail: `the evidence attachment is not JSON: ${(e as Error).message}` };
  }
}

/** Raw logs are kept whole until the scenario ends, then excerpted against the sessions its hops used. */
export interface EvidenceAccumulator {
  hops: HopEvidence[];
  queues: ReportQueueSnapshot[][];
  counters: Record<string, Record<string, number>>;
  events: ReportEvent[];
  rawLogs: Record<string, string[]>;
  decisions: Decision[];
  notObservable: string[];
  interop?: InteropParticipation;
}

export function newAccumulator(): EvidenceAccumulator {
  return { hops: [], queues: [], counters: {}, events: [], rawLogs: {}, decisions: [], notObservable: [] };
}

export function addAttachment(acc: EvidenceAccumulator, a: EvidenceAttachment): void {
  if (Array.isArray(a.hops)) acc.hops.push(...a.hops);
  if (Array.isArray(a.queues)) acc.queues.push(...queueSeries(a.queues));
  if (a.counters && typeof a.counters === 'object') Object.assign(acc.counters, a.counters);
  if (a.events && typeof a.events === 'object') {
    for (const [org, list] of Object.entries(a.events)) if (Array.isArray(list)) acc.events.push(...list.map((e) => ({ org, id: e.id, at: e.at, text: e.text })));
  }
  if (a.logs && typeof a.logs === 'object') {
    for (const [name, content] of Object.entries(a.logs)) {
      const lines = Array.isArray(content) ? content.map(String) : String(content).split(/\r?\n/);
      // A later attachment of the same log supersedes the earlier one: logs only grow.
      acc.rawLogs[name] = lines.filter((l) => l.length > 0);
    }
  }
  if (Array.isArray(a.decisions)) acc.decisions.push(...a.decisions);
  if (a.notObservable !== undefined) acc.notObservable.push(...(Array.isArray(a.notObservable) ? a.notObservable : [a.notObservable]));
  if (a.interop && typeof a.interop === 'object' && Array.isArray(a.interop.roles)) acc.interop = a.interop;
}

/**
 * A list of lists is a series of snapshots; a flat list is one snapshot. A snapshot holds queues (each may name its
 * `org`, as the World's history does) or {org, queues} groups.
 */
function queueSeries(q: NonNullable<EvidenceAttachment['queues']>): ReportQueueSnapshot[][] {
  const grouped = (x: unknown): x is OrgQueues => typeof x === 'object' && x !== null && Array.isArray((x as OrgQueues).queues);
  const snapshot = (list: (QueueSnapshot | OrgQueues)[]): ReportQueueSnapshot[] => list.flatMap((x) => (grouped(x) ? x.queues.map((s) => ({ ...s, org: x.org })) : [x]));
  if (q.every((x) => Array.isArray(x))) return (q as (QueueSnapshot | OrgQueues)[][]).map(snapshot);
  return [snapshot(q as (QueueSnapshot | OrgQueues)[])];
}

export function finishEvidence(acc: EvidenceAccumulator): ScenarioEvidence {
  const e = emptyEvidence();
  e.hops = dedupeHops(acc.hops);
  e.queues = acc.queues;
  e.counters = acc.counters;
  e.events = acc.events;
  e.decisions = acc.decisions;
  e.notObservable = [...new Set(acc.notObservable)];
  e.logs = excerptLogs(acc.rawLogs, e.hops.map((h) => h.sessionId).filter(Boolean));
  if (acc.interop) e.interop = acc.interop;
  return e;
}

/** The World may attach cumulative evidence after each step; the last copy of a hop id wins. */
function dedupeHops(hops: HopEvidence[]): HopEvidence[] {
  const byId = new Map<string, HopEvidence>();
  for (const h of hops) byId.set(h.id, h);
  return [...byId.values()];
}

export function excerptLogs(raw: Record<string, string[]>, sessionIds: string[]): LogExcerpts {
  const out: LogExcerpts = {};
  for (const [name, lines] of Object.entries(raw)) {
    const headers = lines.filter((l) => l.startsWith('#Fields') || l.startsWith('#Log-type'));
    const mine = sessionIds.length > 0 ? lines.filter((l) => !l.startsWith('#') && sessionIds.some((s) => l.includes(s))) : [];
    const body = mine.length > 0 ? mine : lines.filter((l) => !l.startsWith('#')).slice(-FALLBACK_TAIL_LINES);
    const kept = [...headers, ...body];
    out[name] = kept.length > MAX_EXCERPT_LINES ? [...kept.slice(0, MAX_EXCERPT_LINES), `… ${kept.length - MAX_EXCERPT_LINES} more lines`] : kept;
  }
  return out;
}
