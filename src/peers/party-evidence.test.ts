// Queue history deduplication, log truncation and the roles an interop scenario's organizations played.
import { describe, expect, it } from 'vitest';
import { type OrgQueueSnapshot, QueueHistory, RoleLog, truncateLog } from './party-evidence.js';
import type { Party } from './party.js';

const q = (at: string, status: OrgQueueSnapshot['status'], messageCount = 1): OrgQueueSnapshot => ({ at, org: 'adatum.com', identity: 'EX1\\1', nextHopDomain: 'treyresearch.net', status, messageCount, retryCount: 0 });

describe('QueueHistory', () => {
  it('keeps a snapshot only when something but the time changed, and an emptied queue as a change', () => {
    const h = new QueueHistory();
    expect(h.record([])).toBe(false); // nothing queued yet: nothing to show
    expect(h.record([q('09:00', 'Retry')])).toBe(true);
    expect(h.record([q('09:05', 'Retry')])).toBe(false);
    expect(h.record([q('09:10', 'Ready', 0)])).toBe(true);
    expect(h.record([])).toBe(true);
    expect(h.series.map((s) => s.map((x) => `${x.at} ${x.status}`))).toEqual([['09:00 Retry'], ['09:10 Ready'], []]);
  });
});

describe('truncateLog', () => {
  it('keeps short logs whole and the headers plus the tail of long ones', () => {
    expect(truncateLog('a\r\nb\r\n')).toBe('a\nb');
    const long = ['#Fields: x', ...Array.from({ length: 10 }, (_, i) => `line ${i}`)].join('\n');
    expect(truncateLog(long, 3).split('\n')).toEqual(['#Fields: x', '… 8 earlier lines left out', 'line 7', 'line 8', 'line 9']);
  });
});

describe('RoleLog', () => {
  it('says who played which organization in which role, once each', () => {
    const roles = new RoleLog();
    roles.exchange('adatum.com', 'treyresearch.net');
    roles.exchange('adatum.com', 'treyresearch.net');
    roles.exchange('treyresearch.net', 'adatum.com');
    const parties = [{ domain: 'adatum.com', implementation: 'simulated' }, { domain: 'treyresearch.net', implementation: 'postfix' }] as Party[];
    expect(roles.participation(parties)).toEqual({
      implementations: { 'adatum.com': 'simulated', 'treyresearch.net': 'postfix' },
      roles: [{ org: 'adatum.com', role: 'sender' }, { org: 'treyresearch.net', role: 'receiver' }, { org: 'treyresearch.net', role: 'sender' }, { org: 'adatum.com', role: 'receiver' }],
    });
  });
});
