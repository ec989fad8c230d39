// The expectations file: validation sentences, and the rule that only a change from it fails a run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDomsecError } from '../errors.js';
import { applicableExpectations, findExpectation, judge, loadExpectations, parseExpectations, unusedEntries } from './expectations.js';

const xfail = { id: 'DS-SEND-05', outcome: 'expected-fail' as const, reason: 'known' };

describe('expectations file', () => {
  it('is optional: a missing file means no known divergences', () => {
    expect(loadExpectations('/nonexistent/expectations.json')).toEqual([]);
  });

  it.each([
    [{}, /needs exactly one of "scenario" and "id"/],
    [{ scenario: 'a', id: 'DS-RECV-01', outcome: 'skipped', reason: 'r' }, /exactly one/],
    [{ id: 'RECV-1', outcome: 'skipped', reason: 'r' }, /not a DS rule ID/],
    [{ id: 'DS-RECV-01', outcome: 'pass', reason: 'r' }, /outcome "pass"/],
    [{ id: 'DS-RECV-01', outcome: 'skipped', reason: ' ' }, /no reason/],
    [{ id: 'DS-RECV-01', outcome: 'skipped', reason: 'r', why: 1 }, /unknown field/],
    [{ id: 'DS-RECV-01', outcome: 'skipped', reason: 'r', profile: '' }, /"profile" that is not a cucumber profile name/],
  ])('refuses %j with a usage error', (entry, message) => {
    try {
      parseExpectations([entry]);
      expect.unreachable();
    } catch (e) {
      expect(isDomsecError(e, 'ERR_USAGE')).toBe(true);
      expect((e as Error).message).toMatch(message);
    }
  });

  it('refuses a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-exp-'));
    writeFileSync(join(dir, 'e.json'), '[{,]');
    expect(() => loadExpectations(join(dir, 'e.json'))).toThrow(/not valid JSON/);
  });

  it('prefers a scenario entry over a DS ID entry', () => {
    const entries = parseExpectations([xfail, { scenario: 'Expired', outcome: 'not-observable', reason: 'peer' }]);
    expect(findExpectation(entries, { name: 'Expired', feature: 'F', dsIds: ['DS-SEND-05'] })?.outcome).toBe('not-observable');
    expect(findExpectation(entries, { name: 'Other', feature: 'F', dsIds: ['DS-SEND-05'] })?.outcome).toBe('expected-fail');
  });
});

describe('entries scoped to a cucumber profile', () => {
  const entries = parseExpectations([
    { scenario: 'No client certificate', profile: 'interop-postfix', outcome: 'expected-fail', reason: 'Postfix decorates the reply' },
    { id: 'DS-LOG-05', profile: 'interop-exim', outcome: 'not-observable', reason: 'Exim has no counters' },
    xfail,
  ]);
  const key = { name: 'No client certificate', feature: 'Interop', dsIds: ['DS-RECV-04'] };

  it('apply only in runs that select the profile', () => {
    expect(findExpectation(applicableExpectations(entries, ['interop-postfix']), key)?.outcome).toBe('expected-fail');
    expect(findExpectation(applicableExpectations(entries, ['interop-exim']), key)).toBeUndefined();
    expect(findExpectation(applicableExpectations(entries, []), key)).toBeUndefined();
  });

  it('leave the default run unaffected: neither judged nor listed as unused', () => {
    const forDefault = applicableExpectations(entries, []);
    expect(forDefault).toEqual([xfail]);
    expect(judge('pass', findExpectation(forDefault, key)).expectation.changed).toBe(false);
    expect(unusedEntries(forDefault, [key])).toEqual(['DS-SEND-05']);
  });

  it('name their profile in the label a report shows', () => {
    expect(judge('pass', entries[0]).expectation.matchedBy).toBe('scenario "No client certificate" (profile interop-postfix)');
  });
});

describe('judge: a run fails only on a change', () => {
  it.each([
    ['pass', undefined, 'pass', false],
    ['fail', undefined, 'fail', true],
    ['skipped', undefined, 'skipped', false],
    ['not-observable', undefined, 'not-observable', false],
    ['fail', xfail, 'expected-fail', false],
    ['pass', xfail, 'pass', true],
    ['skipped', { ...xfail, outcome: 'skipped' as const }, 'skipped', false],
    ['fail', { ...xfail, outcome: 'not-observable' as const }, 'fail', true],
  ] as const)('%s with %j → %s (changed %s)', (status, entry, outcome, changed) => {
    const j = judge(status, entry);
    expect(j.outcome).toBe(outcome);
    expect(j.expectation.changed).toBe(changed);
  });

  it('tells how to fix an unexpected pass', () => {
    expect(judge('pass', xfail).expectation.note).toBe('now passes: remove DS-SEND-05 from expectations.json (it said: known)');
  });
});
