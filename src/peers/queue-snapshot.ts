// Groups an MTA's queue per next-hop domain into the QueueSnapshot shape of the simulated edges (DS-QUEUE-01), so reports read both alike.
import { listContains } from '../orgs/index.js';
import type { QueueSnapshot } from '../sim/evidence.js';
import type { PeerQueueEntry } from './peer.js';

const STATUS: Record<PeerQueueEntry['queue'], QueueSnapshot['status']> = {
  active: 'Active', deferred: 'Retry', hold: 'Suspended', incoming: 'Ready', maildrop: 'Ready',
};
const RANK: Record<QueueSnapshot['status'], number> = { Active: 3, Retry: 2, Ready: 1, Suspended: 0 };

/**
 * Postfix's incoming queue is not only new mail: its queue manager moves messages it had in the active queue back
 * to incoming when it starts again (and `postsuper -r` or a fast flush move deferred mail there), with the time stamp
 * of their next try. A message that was already tried and failed is waiting for a retry, as Exchange shows it, not
 * Ready: reading only the folder made an undelivered DS-SEND message look fresh (the flaky "stays queued" test).
 */
function statusOf(e: PeerQueueEntry): QueueSnapshot['status'] {
  const base = STATUS[e.queue];
  if (base !== 'Ready') return base;
  return e.attempts > 0 || e.recipients.some((r) => r.delayReason) ? 'Retry' : 'Ready';
}

export function toQueueSnapshots(entries: readonly PeerQueueEntry[], o: { fqdn: string; sendList: readonly string[]; at: Date }): QueueSnapshot[] {
  const byDomain = new Map<string, { status: QueueSnapshot['status']; count: number; lastError?: string; attempts: number }>();
  for (const e of entries) {
    for (const r of e.recipients) {
      const domain = r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase();
      const cur = byDomain.get(domain) ?? { status: 'Suspended' as const, count: 0, attempts: 0 };
      const own = statusOf(e);
      const status = RANK[own] > RANK[cur.status] || cur.count === 0 ? own : cur.status;
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
