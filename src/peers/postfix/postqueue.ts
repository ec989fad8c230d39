// Reads `postqueue -j` (one JSON object per message) into PeerQueueEntry, each reason read through the Postfix error map.
import type { PeerQueueEntry } from '../peer.js';
import { readPostfixReason } from './postfix-error-map.js';

interface PostqueueJson {
  queue_name: string;
  queue_id: string;
  arrival_time: number;
  sender: string;
  recipients: { address: string; delay_reason?: string }[];
}

const QUEUES = new Set(['active', 'deferred', 'hold', 'incoming', 'maildrop']);

/** `log` lets the reader count attempts and see the TLS lines of the last attempt (hostname mismatch vs untrusted issuer). */
export function parsePostqueue(jsonLines: string, log: readonly string[] = []): PeerQueueEntry[] {
  const out: PeerQueueEntry[] = [];
  for (const line of jsonLines.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    const j = JSON.parse(line) as PostqueueJson;
    const attemptsLines = log.filter((l) => l.includes(`${j.queue_id}: to=`) && /status=(deferred|sent|bounced)/.test(l));
    const context = lastAttemptContext(log, j.queue_id);
    out.push({
      queueId: j.queue_id,
      queue: (QUEUES.has(j.queue_name) ? j.queue_name : 'incoming') as PeerQueueEntry['queue'],
      sender: j.sender,
      arrival: new Date(j.arrival_time * 1000).toISOString(),
      attempts: attemptsLines.length,
      recipients: j.recipients.map((r) => ({
        address: r.address,
        delayReason: r.delay_reason,
        reading: r.delay_reason ? readPostfixReason(r.delay_reason, context) : undefined,
      })),
    });
  }
  return out;
}

/** Lines of the smtp(8) process that last tried this message, from its previous status line up to this one. */
function lastAttemptContext(log: readonly string[], queueId: string): string[] {
  let i = -1;
  for (let k = log.length - 1; k >= 0; k--) {
    if (log[k].includes(`${queueId}: to=`)) {
      i = k;
      break;
    }
  }
  if (i < 0) return [];
  const pid = /\[(\d+)\]:/.exec(log[i])?.[1];
  const out: string[] = [];
  for (let k = i - 1; k >= 0 && out.length < 10; k--) {
    if (!pid || !log[k].includes(`[${pid}]:`)) continue;
    if (/status=/.test(log[k])) break;
    out.unshift(log[k]);
  }
  return out;
}
