// Groups an MTA's queue per next-hop domain into the QueueSnapshot shape of the simulated edges (DS-QUEUE-01), so reports read both alike.
import { listContains } from '../orgs/index.js';
import type { QueueSnapshot } from '../sim/evidence.js';
import type { PeerQueueEntry } from './peer.js';

const STATUS: Record<PeerQueueEntry['queue'], QueueSnapshot['status']> = {
  active: 'Active', deferred: 'Retry', hold: 'Suspended', incoming: 'Ready', maildrop: 'Ready',
};
const RANK: Record<QueueSnapshot['status'], number> = { Active: 3, Retry: 2, Ready: 1, Suspended: 0 };

export function toQueueSnapshots(entries: readonly PeerQueueEntry[], o: { fqdn: string; sendList: readonly string[]; at: Date }): QueueSnapshot[] {
  const byDomain = new Map<string, { status: QueueSnapshot['status']; count: number; lastError?: string; attempts: number }>();
  for (const e of entries) {
    for (const r of e.recipients) {
      const domain = r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase();
      const cur = byDomain.get(domain) ?? { status: 'Suspended' as const, count: 0, attempts: 0 };
      const status = RANK[STATUS[e.queue]] > RANK[cur.status] || cur.count === 0 ? STATUS[e.queue] : cur.status;
      byDomain.set(domain, { status, count: cur.count + 1, lastError: r.delayReason ?? cur.lastError, attempts: Math.max(cur.attempts, e.attempts) });
    }
  }
  return [...byDomain.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([domain, q], i) => ({
    at: o.at.toISOString(),
    identity: `${o.fqdn}\\${i + 1}`,
    nextHopDomain: domain,
    status: q.status,
    messageCount: q.count,
    lastError: q.lastError,
    // Attempts are counted from the MTA log; the MTA has no RetryCount of its own.
    retryCount: q.attempts,
    tlsDomain: listContains(o.sendList, domain) ? domain : undefined,
  }));
}
