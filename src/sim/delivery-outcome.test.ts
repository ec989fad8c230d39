import { describe, expect, it } from 'vitest';
import { describeFate, replyCodes } from './delivery-outcome.js';

describe('replyCodes', () => {
  it('reads the reply a 2010-style LastError wraps', () => {
    expect(replyCodes('451 4.4.0 Primary target IP address responded with: "454 4.7.5 Certificate validation failure." Attempted failover …')).toBe('454 4.7.5');
  });
  it('reads the innermost reply of a 2016-style LastError', () => {
    expect(replyCodes('451 4.4.395 Target host responded with error. -> 451 4.7.3 The admin has temporarily disallowed this secure domain')).toBe('451 4.7.3');
  });
  it('reads a bare reply', () => {
    expect(replyCodes('441 4.4.1 Error encountered while communicating with primary target IP address')).toBe('441 4.4.1');
  });
});

describe('describeFate', () => {
  it('names each fate in one line', () => {
    expect([
      describeFate({ kind: 'delivered', authAs: 'Partner', copies: 1 }),
      describeFate({ kind: 'delivered', authAs: 'Anonymous', copies: 2 }),
      describeFate({ kind: 'queued', reply: '451 4.7.3', lastError: '' }),
      describeFate({ kind: 'returned', reply: '550 4.4.7' }),
      describeFate({ kind: 'lost' }),
    ]).toEqual(['delivered as Partner', 'delivered as Anonymous (2 copies)', 'queued with 451 4.7.3', 'returned with 550 4.4.7', 'lost']);
  });
});
