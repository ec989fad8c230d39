import { describe, expect, it } from 'vitest';
import { dealSessions } from './session-dealing.js';

const caps = { perConnection: 20, perDomainFree: 20, globalFree: 1000, spare: 0 };

describe('dealing queued messages to sessions', () => {
  it('one session per up to SmtpMaxMessagesPerConnection messages, in queue order', () => {
    expect(dealSessions(45, caps)).toEqual([20, 20, 5]);
    expect(dealSessions(3, { ...caps, perConnection: 1 })).toEqual([1, 1, 1]);
    expect(dealSessions(0, caps)).toEqual([]);
  });

  it('no more sessions than MaxPerDomainOutboundConnections and MaxOutboundConnections leave free', () => {
    expect(dealSessions(1000, caps)).toHaveLength(20);
    expect(dealSessions(1000, { ...caps, perDomainFree: 2 })).toEqual([20, 20]);
    expect(dealSessions(1000, { ...caps, globalFree: 1 })).toEqual([20]);
    expect(dealSessions(1000, { ...caps, perDomainFree: 0 })).toEqual([]);
  });

  it('what the open sessions can still take as follow-ons opens no new session', () => {
    expect(dealSessions(5, { ...caps, spare: 19 })).toEqual([]);
    expect(dealSessions(25, { ...caps, spare: 19 })).toEqual([6]);
  });
});
