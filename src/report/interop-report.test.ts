// The interop matrix from a run: divergent notes become documented failures, cells per implementation and role, the HTML table.
import { describe, expect, it } from 'vitest';
import { collectNdjson } from './collect-cucumber-messages.js';
import { applicableExpectations, parseExpectations } from './expectations.js';
import { renderInteropMatrix } from './html-interop-matrix.js';
import { interopCells } from './interop-cells.js';

const t = (s: number) => ({ seconds: 1772442000 + s, nanos: 0 });
const interop = (impl: string, roles: [string, string][]) => ({
  implementations: { 'adatum.com': 'simulated', 'treyresearch.net': impl },
  roles: roles.map(([org, role]) => ({ org, role })),
});

/** A two-scenario stream as the interop World writes it: one divergent wording, one MTA-time pass. */
function stream(impl: string): string {
  const msgs: object[] = [
    { gherkinDocument: { uri: 'features/interop/x.feature', feature: { name: 'Interop', tags: [], children: [] } } },
    { pickle: { id: 'p1', uri: 'features/interop/x.feature', name: 'No client certificate', location: { line: 3 }, astNodeIds: [], tags: [{ name: '@interop' }, { name: '@DS-RECV-04' }], steps: [{ id: 's1', text: 'the wording', astNodeIds: [] }] } },
    { pickle: { id: 'p2', uri: 'features/interop/x.feature', name: 'Retry-Queue', location: { line: 9 }, astNodeIds: [], tags: [{ name: '@mta-time' }, { name: '@DS-QUEUE-03' }, { name: '@DS-SEND-06' }], steps: [{ id: 's2', text: 'delivered', astNodeIds: [] }] } },
    { testRunStarted: { timestamp: t(0) } },
    { testCase: { id: 'c1', pickleId: 'p1', testSteps: [{ id: 'c1s', pickleStepId: 's1' }] } },
    { testCase: { id: 'c2', pickleId: 'p2', testSteps: [{ id: 'c2s', pickleStepId: 's2' }] } },
    { testCaseStarted: { id: 'r1', testCaseId: 'c1', attempt: 0, timestamp: t(0) } },
    { attachment: { testCaseStartedId: 'r1', mediaType: 'text/x.cucumber.log+plain', body: 'divergent: reply to MAIL FROM (treyresearch.net = postfix)\nexpected: 530 5.7.1 Not authenticated\nactual: 530 5.7.1 <kim@adatum.com>: Sender address rejected: Not authenticated' } },
    { testStepFinished: { testCaseStartedId: 'r1', testStepId: 'c1s', testStepResult: { status: 'SKIPPED', duration: t(0) } } },
    { attachment: { testCaseStartedId: 'r1', mediaType: 'application/vnd.domsec.evidence+json', body: JSON.stringify({ interop: interop(impl, [['adatum.com', 'sender'], ['treyresearch.net', 'receiver']]) }) } },
    { testCaseFinished: { testCaseStartedId: 'r1', timestamp: t(1), willBeRetried: false } },
    { testCaseStarted: { id: 'r2', testCaseId: 'c2', attempt: 0, timestamp: t(1) } },
    { testStepFinished: { testCaseStartedId: 'r2', testStepId: 'c2s', testStepResult: { status: 'PASSED', duration: t(0) } } },
    { attachment: { testCaseStartedId: 'r2', mediaType: 'application/vnd.domsec.evidence+json', body: JSON.stringify({ interop: interop(impl, [['treyresearch.net', 'sender'], ['adatum.com', 'receiver']]) }) } },
    { testCaseFinished: { testCaseStartedId: 'r2', timestamp: t(2), willBeRetried: false } },
    { testRunFinished: { success: true, timestamp: t(2) } },
  ];
  return msgs.map((m) => JSON.stringify(m)).join('\n');
}

const entries = parseExpectations([{ scenario: 'No client certificate', profile: 'interop-postfix', outcome: 'expected-fail', reason: 'Postfix decorates the reply' }]);
const meta = { runId: 'r', seed: 's' };

describe('a divergent note from a step', () => {
  it('fails the scenario with expected vs actual unless expectations.json documents it for the profile', () => {
    const bare = collectNdjson(stream('postfix'), meta, { expectations: applicableExpectations(entries, []) });
    const s = bare.scenarios[0];
    expect([s.status, s.outcome, s.expectation.changed]).toEqual(['fail', 'fail', true]);
    expect(s.mismatch).toEqual({ expected: '530 5.7.1 Not authenticated', actual: '530 5.7.1 <kim@adatum.com>: Sender address rejected: Not authenticated' });
    const documented = collectNdjson(stream('postfix'), meta, { expectations: applicableExpectations(entries, ['interop-postfix']) });
    expect([documented.scenarios[0].outcome, documented.changes]).toEqual(['expected-fail', []]);
  });
});

describe('interop cells', () => {
  const run = collectNdjson(stream('postfix'), meta, { expectations: applicableExpectations(entries, ['interop-postfix']) });

  it('belong to the real MTA in the roles it played, a DS-RECV rule to the receiver and a DS-SEND rule to the sender', () => {
    expect(run.interop.map((c) => `${c.implementation}/${c.role} ${c.rule} ${c.status}${c.mtaTime ? ' (MTA time)' : ''}`)).toEqual([
      'postfix/receiver DS-RECV-04 divergent', 'postfix/sender DS-QUEUE-03 pass (MTA time)', 'postfix/sender DS-SEND-06 pass (MTA time)',
    ]);
    expect(run.interop[0].detail).toContain('Postfix decorates the reply');
  });

  it('mark the rendered MTA\'s receiver DS-RECV decisions as made by this project\'s policy service, and say so on a pass', () => {
    expect(run.interop.map((c) => c.byConstruction ?? false)).toEqual([true, false, false]);
    const pass = { ...run.interop[0], status: 'pass' as const };
    expect(renderInteropMatrix([pass])).toContain('pass <span class="muted">(by construction)</span>');
    expect(renderInteropMatrix([{ ...pass, implementation: 'external:treyresearch.net', byConstruction: undefined }])).not.toContain('<span class="muted">(by construction)</span>');
    expect(renderInteropMatrix([{ ...pass, status: 'not-applicable' }])).toContain('data-status="not-applicable"');
  });

  it('are the simulated sides when nothing real played (the reference run)', () => {
    const cells = interopCells(collectNdjson(stream('simulated'), meta).scenarios);
    expect([...new Set(cells.map((c) => `${c.implementation}/${c.role}`))].sort()).toEqual(['simulated/receiver', 'simulated/sender']);
  });

  it('render as a DS rule × implementation/role table with the worst status per cell', () => {
    const html = renderInteropMatrix(run.interop);
    expect(html).toContain('<table class="matrix" id="interop-matrix">');
    expect([...html.matchAll(/data-column="([^"]+)"/g)].map((m) => m[1])).toEqual(['postfix/receiver', 'postfix/sender']);
    expect(html).toMatch(/<td class="cell o-expected-fail" data-rule="DS-RECV-04" data-org="postfix\/receiver" data-status="divergent"/);
    expect(html).toContain('pass <span class="muted">(MTA time)</span>');
    expect(renderInteropMatrix([])).toBe('');
  });
});
