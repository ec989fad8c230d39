// The evidence a scenario leaves about its organizations over time: queue snapshots after every step that changed them, log texts, interop roles.
import type { QueueSnapshot } from '../sim/index.js';
import type { InteropRole } from './interop-expectations.js';
import type { Party } from './party.js';
import type { Implementation } from './peer.js';

export type OrgQueueSnapshot = QueueSnapshot & { org: string };

/** Long logs would bloat the message stream; the report keeps only the lines of the scenario's sessions anyway. */
export const MAX_LOG_LINES = 400;

/** Every organization's queues at one moment, flattened with the owning organization (queue identities repeat across orgs). */
export async function snapshotQueues(parties: readonly Party[]): Promise<OrgQueueSnapshot[]> {
  const all = await Promise.all(parties.map(async (p) => (await p.queueSnapshots()).map((q) => ({ ...q, org: p.domain }))));
  return all.flat();
}

/** Snapshots over time, keeping one only when something other than its timestamp changed since the last one kept. */
export class QueueHistory {
  readonly #series: OrgQueueSnapshot[][] = [];
  #last = '[]';

  record(snapshot: readonly OrgQueueSnapshot[]): boolean {
    const key = JSON.stringify(snapshot.map(({ at: _at, ...rest }) => rest));
    if (key === this.#last) return false;
    this.#last = key;
    this.#series.push([...snapshot]);
    return true;
  }

  get series(): OrgQueueSnapshot[][] {
    return this.#series.map((s) => [...s]);
  }
}

/** The tail of a log, cut to whole lines, with a marker saying how much was left out. */
export function truncateLog(text: string, maxLines = MAX_LOG_LINES): string {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length <= maxLines) return lines.join('\n');
  const headers = lines.filter((l) => l.startsWith('#')).slice(0, 8);
  return [...headers, `… ${lines.length - maxLines} earlier lines left out`, ...lines.slice(-maxLines)].join('\n');
}

/** Non-empty logs of every party, truncated: `{ "<org>/<edge>/Send": text, "<org>/postfix/maillog": text }`. */
export async function collectLogs(parties: readonly Party[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of parties) for (const [name, text] of Object.entries(await p.logs())) if (text.trim()) out[name] = truncateLog(text);
  return out;
}

/** Which implementation played each organization and in which role(s), for the report's interop matrix. */
export interface InteropParticipation {
  implementations: Record<string, Implementation>;
  roles: { org: string; role: InteropRole }[];
}

export class RoleLog {
  readonly #roles = new Map<string, { org: string; role: InteropRole }>();

  /** One SMTP conversation: `from` sends, `to` receives. */
  exchange(from: string, to: string): void {
    for (const r of [{ org: from, role: 'sender' as const }, { org: to, role: 'receiver' as const }]) this.#roles.set(`${r.org}/${r.role}`, r);
  }

  participation(parties: readonly Party[]): InteropParticipation {
    return { implementations: Object.fromEntries(parties.map((p) => [p.domain, p.implementation])), roles: [...this.#roles.values()] };
  }
}
