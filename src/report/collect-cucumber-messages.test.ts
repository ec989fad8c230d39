// The run collector against a hand-made NDJSON message stream (fixtures/run.ndjson): outcomes, tags, retries, evidence.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectNdjson } from './collect-cucumber-messages.js';
import { loadExpectations } from './expectations.js';

const ndjson = readFileSync(new URL('./fixtures/run.ndjson', import.meta.url), 'utf8');
const expectations = loadExpectations(new URL('./fixtures/expectations.json', import.meta.url).pathname);
const meta = { runId: 'run-lab1-20260302T090000', seed: 'lab1' };

describe('collectNdjson', () => {
  const run = collectNdjson(ndjson, meta, { expectations });
  const byName = (n: string) => run.scenarios.find((s) => s.name === n)!;

  it('keeps one result per scenario, the last attempt of a retried one', () => {
    expect(run.scenarios.map((s) => s.name)).toEqual([
      'Mutual TLS is accepted as Partner', 'No client certificate is refused', 'Postfix counters are not observable',
      'Expired partner certificate is refused', 'Exim is not installed',
    ]);
    expect(byName('No client certificate is refused').attempts).toBe(2);
  });

  it('reads DS IDs and other tags from the gherkin tags', () => {
    const s = byName('Mutual TLS is accepted as Partner');
    expect(s.dsIds).toEqual(['DS-RECV-07', 'DS-SEND-06']);
    expect(s.tags).toEqual(['area-recv']);
    expect(s.feature).toBe('Receiving from partners');
    expect(s.id).toBe('features/receive.feature:8');
    expect(s.steps.map((x) => `${x.keyword} ${x.text}`)).toEqual([
      'Given the adatum-treyresearch lab', 'When kim@adatum.com sends to pat@treyresearch.net', 'Then pat receives it as Partner',
    ]);
  });

  it('maps outcomes, with the expectations file applied', () => {
    expect(run.scenarios.map((s) => s.outcome)).toEqual(['pass', 'fail', 'not-observable', 'expected-fail', 'skipped']);
    expect(run.counts).toEqual({ pass: 1, fail: 1, 'harness-error': 0, 'expected-fail': 1, 'not-observable': 1, skipped: 1 });
    expect(run.changes).toEqual(['features/receive.feature:14 No client certificate is refused: failed; expectations.json has no entry for it']);
    expect(run.unusedExpectations).toEqual(['DS-CONF-08']);
    expect(byName('Expired partner certificate is refused').expectation).toMatchObject({ expected: 'fail', matchedBy: 'DS-SEND-05', changed: false });
  });

  it('parses expected vs actual from the failing step', () => {
    const s = byName('No client certificate is refused');
    expect(s.mismatch).toEqual({ expected: '530 5.7.1 Not authenticated', actual: '250 2.1.0 Sender OK' });
    expect(s.error).toBe('expected: 530 5.7.1 Not authenticated\nactual: 250 2.1.0 Sender OK');
    expect(s.steps.map((x) => x.status)).toEqual(['passed', 'passed', 'failed', 'skipped']);
  });

  it('picks up evidence attachments (identity and base64) and excerpts logs to the hop sessions', () => {
    const ok = byName('Mutual TLS is accepted as Partner');
    expect(ok.evidence.hops.map((h) => h.id)).toEqual(['hop-1']);
    expect(ok.evidence.queues).toHaveLength(1);
    const bad = byName('No client certificate is refused');
    expect(bad.evidence.hops[0].reply).toBe('530 5.7.1 Not authenticated');
    expect(bad.evidence.queues.map((q) => q[0].status)).toEqual(['Active', 'Retry']);
    const log = bad.evidence.logs['treyresearch.net/EDGE1/Receive'];
    expect(log.some((l) => l.includes('0000000000000001'))).toBe(false);
    expect(log.filter((l) => l.includes('08DC3A1B2C4D5E70'))).toHaveLength(2);
    expect(bad.evidence.decisions[0].rule).toBe('DS-RECV-04');
  });

  it('marks a scenario not observable from a log line', () => {
    const s = byName('Postfix counters are not observable');
    expect(s.status).toBe('not-observable');
    expect(s.evidence.notObservable).toEqual(['Postfix has no Domain Secure counters']);
  });

  it('takes run times and tool from the messages', () => {
    expect(run.startedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(run.durationMs).toBe(5000);
    expect(run.tool).toEqual({ name: 'cucumber-js', version: '12.9.0' });
    expect(run.runErrors).toEqual([]);
  });

  it('reports progress as scenarios finish', () => {
    const seen: string[] = [];
    collectNdjson(ndjson, meta, { onScenario: (s, p) => seen.push(`${p.done}/${p.total} ${s.outcome}`) });
    expect(seen).toEqual(['1/5 pass', '2/5 fail', '3/5 not-observable', '4/5 fail', '5/5 skipped']);
  });
});
