import { describe, expect, it } from 'vitest';
import { sessionLine } from './session-line.js';

describe('the lab up line per SMTP session', () => {
  it('names who connected, the connector, TLS and certificate, the deciding DS rule and the settling reply', () => {
    expect(sessionLine({
      at: '2026-03-02T09:00:00.000Z', remote: '127.0.0.1:41234', ehlo: 'mail.adatum.com', org: 'treyresearch.net', edge: 'EX1',
      connector: 'EX1\\From adatum.com', tls: true, decision: { rule: 'DS-RECV-04', outcome: 'reject', reply: '530 5.7.1 Not authenticated' },
      reply: '530 5.7.1 Not authenticated',
    })).toBe('session 127.0.0.1:41234 mail.adatum.com → treyresearch.net/EX1 "EX1\\From adatum.com" TLS, no client cert: DS-RECV-04 reject → 530 5.7.1 Not authenticated');
  });

  it('says when a lab edge opened it, and when nothing decided', () => {
    expect(sessionLine({ at: '', remote: '127.0.1.1:5000', org: 'treyresearch.net', edge: 'EX1', tls: false, hop: 'hop-3', from: 'adatum.com/EX1', reply: '421 4.3.2 Service not available, closing transmission channel' }))
      .toBe('session 127.0.1.1:5000 (adatum.com/EX1 hop-3) → treyresearch.net/EX1 (no receive connector for this address): no MAIL FROM → 421 4.3.2 Service not available, closing transmission channel');
  });
});
