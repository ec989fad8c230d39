// Interop matrix cells: divergent is never pass, fail wins, rules × implementation/role rendering.
import { describe, expect, it } from 'vitest';
import { interopMatrix, judge, notObservable, renderInteropMarkdown } from './interop-matrix.js';

describe('interop matrix', () => {
  it('a documented divergence shows as divergent (with its reason), never as pass', () => {
    const c = judge({ implementation: 'postfix', role: 'receiver', rule: 'DS-RECV-04', scenario: 'no cert', ok: true, expected: '530 5.7.1', actual: '530 5.7.1 <x>: Sender address rejected: Not authenticated' });
    expect(c.status).toBe('divergent');
    expect(c.detail).toMatch(/decorates/);
  });

  it('a failed check is fail with expected vs actual, whatever the expectations say', () => {
    const c = judge({ implementation: 'exim', role: 'sender', rule: 'DS-SEND-05', scenario: 'untrusted', ok: false, expected: 'deferred', actual: 'delivered' });
    expect(c).toMatchObject({ status: 'fail', detail: 'expected deferred, got delivered' });
  });

  it('renders rules × implementation/role, keeping the worst status per cell', () => {
    const cells = [
      judge({ implementation: 'exim', role: 'receiver', rule: 'DS-RECV-05', scenario: 'a', ok: true, expected: '', actual: '454' }),
      judge({ implementation: 'exim', role: 'receiver', rule: 'DS-RECV-05', scenario: 'b', ok: false, expected: '454', actual: '250' }),
      notObservable('postfix', 'sender', 'DS-LOG-05', 'counters', 'no counters'),
    ];
    const m = interopMatrix(cells);
    expect(m.columns).toEqual(['exim/receiver', 'postfix/sender']);
    expect(m.rows.find((r) => r.rule === 'DS-RECV-05')?.cells['exim/receiver']?.status).toBe('fail');
    expect(renderInteropMarkdown(cells)).toContain('| DS-LOG-05 | — | not observable |');
  });
});
