// postqueue -j → queue entries with DS readings, and their QueueSnapshot grouping.
import { describe, expect, it } from 'vitest';
import { toQueueSnapshots } from '../queue-snapshot.js';
import { parsePostqueue } from './postqueue.js';

const JSON_LINES = [
  '{"queue_name": "deferred", "queue_id": "27DC320C263", "arrival_time": 1795457767, "message_size": 285, "forced_expire": false, "sender": "pat@treyresearch.net", "recipients": [{"address": "kim@woodgrovebank.com", "delay_reason": "Server certificate not verified"}]}',
  '{"queue_name": "active", "queue_id": "D698720C3FA", "arrival_time": 1795457772, "message_size": 290, "forced_expire": false, "sender": "pat@treyresearch.net", "recipients": [{"address": "kim@adatum.com"}]}',
].join('\n');
const LOG = [
  'Nov 23 18:16:16 mail postfix/smtp[9060]: server certificate verification failed for 127.0.1.12[127.0.1.12]:2526: num=62:hostname mismatch',
  'Nov 23 18:16:16 mail postfix/smtp[9060]: 27DC320C263: to=<kim@woodgrovebank.com>, relay=127.0.1.12[127.0.1.12]:2526, dsn=4.7.5, status=deferred (Server certificate not verified)',
];

describe('postqueue -j', () => {
  it('reads entries, counts attempts from the log and reads each reason through the error map', () => {
    const q = parsePostqueue(JSON_LINES, LOG);
    expect(q[0]).toMatchObject({ queueId: '27DC320C263', queue: 'deferred', attempts: 1, recipients: [{ address: 'kim@woodgrovebank.com', reading: { rule: 'DS-SEND-04' } }] });
    expect(q[1]).toMatchObject({ queue: 'active', recipients: [{ address: 'kim@adatum.com', delayReason: undefined }] });
  });

  it('a message already tried that Postfix put back in its incoming queue is in Retry, not Ready (new mail is Ready)', () => {
    const requeued = JSON_LINES.split('\n')[0].replace('"deferred"', '"incoming"');
    const fresh = '{"queue_name": "incoming", "queue_id": "E11120C3FB", "arrival_time": 1795457780, "message_size": 280, "forced_expire": false, "sender": "pat@treyresearch.net", "recipients": [{"address": "kim@adatum.com"}]}';
    const s = toQueueSnapshots(parsePostqueue(`${requeued}\n${fresh}`, LOG), { fqdn: 'mail.treyresearch.net', sendList: ['woodgrovebank.com'], at: new Date('2026-03-02T09:00:00Z') });
    expect(s.map((q) => [q.nextHopDomain, q.status])).toEqual([['adatum.com', 'Ready'], ['woodgrovebank.com', 'Retry']]);
  });

  it('groups per next-hop domain like the simulated edges (DS-QUEUE-01)', () => {
    const s = toQueueSnapshots(parsePostqueue(JSON_LINES, LOG), { fqdn: 'mail.treyresearch.net', sendList: ['woodgrovebank.com'], at: new Date('2026-03-02T09:00:00Z') });
    expect(s).toEqual([
      expect.objectContaining({ identity: 'mail.treyresearch.net\\1', nextHopDomain: 'adatum.com', status: 'Active', tlsDomain: undefined }),
      expect.objectContaining({ identity: 'mail.treyresearch.net\\2', nextHopDomain: 'woodgrovebank.com', status: 'Retry', lastError: 'Server certificate not verified', retryCount: 1, tlsDomain: 'woodgrovebank.com' }),
    ]);
  });
});
