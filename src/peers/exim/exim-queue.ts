// Reads `exim -bp` plus the mainlog into PeerQueueEntry: -bp lists what waits, the log says why (Exim keeps no reason in -bp).
import type { PeerQueueEntry } from '../peer.js';
import { readEximLog, readEximReason } from './exim-error-map.js';

const HEAD = /^\s*(\S+)\s+(\S+)\s+([0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2,4})\s+<([^>]*)>(\s+\*\*\* frozen \*\*\*)?/;

export function parseEximQueue(bp: string, log: readonly string[] = []): PeerQueueEntry[] {
  const out: PeerQueueEntry[] = [];
  let current: PeerQueueEntry | undefined;
  for (const line of bp.split('\n')) {
    const h = HEAD.exec(line);
    if (h) {
      const id = h[3];
      const mine = log.filter((l) => l.includes(` ${id} `));
      const defers = mine.filter((l) => / == .* defer /.test(l));
      const arrival = mine.find((l) => / <= /.test(l))?.slice(0, 19);
      current = {
        queueId: id,
        queue: h[5] ? 'hold' : defers.length > 0 ? 'deferred' : 'active',
        sender: h[4],
        arrival: arrival ? new Date(arrival.replace(' ', 'T')).toISOString() : new Date().toISOString(),
        recipients: [],
        attempts: mine.filter((l) => / (==|=>|\*\*) /.test(l) && !/retry time not reached/.test(l)).length,
      };
      out.push(current);
      continue;
    }
    const r = /^\s+(D\s+)?(\S+@\S+)\s*$/.exec(line);
    if (r && current && !r[1]) {
      const address = r[2];
      const id = current.queueId;
      // The attempt's lines: its "==" line, plus message-level lines such as the event-action denial that names the DS id.
      const attempt = log.filter((l) => l.includes(` ${id} `) && !/retry time not reached/.test(l) && (l.includes(` == ${address} `) || /SSL verify denied/.test(l)));
      const last = attempt.filter((l) => l.includes(` == ${address} `)).at(-1);
      const reason = last ? last.replace(/^.*? defer \(-?\d+\)(: )?/, '') : undefined;
      current.recipients.push({ address, delayReason: reason, reading: last ? readEximLog(attempt).at(-1) ?? readEximReason(last) : undefined });
    }
  }
  return out;
}
