// Evidence attachments in the shapes the World sends, merged and excerpted.
import { describe, expect, it } from 'vitest';
import type { QueueSnapshot } from '../sim/evidence.js';
import { addAttachment, excerptLogs, finishEvidence, newAccumulator, parseEvidenceAttachment } from './scenario-evidence.js';

const q = (identity: string, status: QueueSnapshot['status']): QueueSnapshot => ({ at: '2026-03-02T09:00:00.000Z', identity, nextHopDomain: 'x.net', status, messageCount: 1, retryCount: 0 });

describe('evidence attachments', () => {
  it('accept queues as a series, one snapshot, or one snapshot grouped by organization', () => {
    const acc = newAccumulator();
    addAttachment(acc, { queues: [[q('EX1\\1', 'Active')], [q('EX1\\1', 'Retry')]] });
    addAttachment(acc, { queues: [q('EX1\\2', 'Ready')] });
    addAttachment(acc, { queues: [{ org: 'adatum.com', queues: [q('EX1\\1', 'Ready')] }, { org: 'treyresearch.net', queues: [] }] });
    const e = finishEvidence(acc);
    expect(e.queues.map((s) => s.map((x) => `${x.org ?? '-'} ${x.identity} ${x.status}`))).toEqual([
      ['- EX1\\1 Active'], ['- EX1\\1 Retry'], ['- EX1\\2 Ready'], ['adatum.com EX1\\1 Ready'],
    ]);
  });

  it('accept a series of snapshots whose queues name their organization or are grouped by it (the World queue history)', () => {
    const acc = newAccumulator();
    addAttachment(acc, { queues: [[{ ...q('EX1\\1', 'Retry'), org: 'adatum.com' }], [{ org: 'treyresearch.net', queues: [q('EX1\\1', 'Ready')] }], []] });
    expect(finishEvidence(acc).queues.map((s) => s.map((x) => `${x.org} ${x.status}`))).toEqual([['adatum.com Retry'], ['treyresearch.net Ready'], []]);
  });

  it('keep logs given as text, and who played whom in an interop scenario', () => {
    const acc = newAccumulator();
    const interop = { implementations: { 'treyresearch.net': 'postfix' as const }, roles: [{ org: 'treyresearch.net', role: 'receiver' as const }] };
    addAttachment(acc, { logs: { 'treyresearch.net/postfix/maillog': 'a\nb\n' }, interop });
    const e = finishEvidence(acc);
    expect(e.logs).toEqual({ 'treyresearch.net/postfix/maillog': ['a', 'b'] });
    expect(e.interop).toEqual(interop);
  });

  it('keep counters and events per organization', () => {
    const acc = newAccumulator();
    addAttachment(acc, {
      counters: { 'adatum.com': { 'Domain-Secured Messages Sent': 1 } },
      events: { 'treyresearch.net': [{ id: 11017, at: '2026-03-02T09:00:00.000Z', text: 'no client certificate' }] },
    });
    const e = finishEvidence(acc);
    expect(e.counters['adatum.com']['Domain-Secured Messages Sent']).toBe(1);
    expect(e.events).toEqual([{ org: 'treyresearch.net', id: 11017, at: '2026-03-02T09:00:00.000Z', text: 'no client certificate' }]);
  });

  it('report a body that is not JSON instead of dropping it', () => {
    expect(parseEvidenceAttachment('{oops')).toMatchObject({ ok: false });
    expect(parseEvidenceAttachment('[1]')).toEqual({ ok: false, detail: 'the evidence attachment is not a JSON object' });
  });

  it('cut logs to the lines of the scenario sessions, keeping the field header', () => {
    const log = ['#Log-type: SMTP Send Protocol Log', '#Fields: date-time,connector-id,session-id', 'a,c,AAAA', 'b,c,BBBB'];
    expect(excerptLogs({ l: log }, ['BBBB'])).toEqual({ l: ['#Log-type: SMTP Send Protocol Log', '#Fields: date-time,connector-id,session-id', 'b,c,BBBB'] });
    expect(excerptLogs({ l: log }, [])).toEqual({ l: log });
  });
});
