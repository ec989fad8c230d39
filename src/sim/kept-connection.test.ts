// Delivery as Exchange does it (issue 12 item 6): several sessions per next hop, dealt in queue order, and a kept
// connection for the next queued message (SmtpMaxMessagesPerConnection), each message still decided and logged.
import { afterEach, describe, expect, it } from 'vitest';
import { addPartnerPair } from './partner-setup.js';
import { sessionsOf } from './protocol-log-reader.js';
import { Simulation } from './simulation.js';

let sim: Simulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function pair(seed: string) {
  sim = await Simulation.start({ seed });
  return addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
}

const to = ['kim@woodgrovebank.com'];

/** Each hop's session id and the subjects it carried, in the order the sessions were opened. */
function dealing(s: Simulation, subjects: Map<string, string>) {
  return s.evidence.filter((h) => h.nextHopDomain === 'woodgrovebank.com').map((h) => [h.sessionId, h.messageIds.map((id) => subjects.get(id))]);
}

async function sendBatch(seed: string, count: number, perConnection: number) {
  const [a, b] = await pair(seed);
  a.model.setSendConnector('To woodgrovebank.com', { smtpMaxMessagesPerConnection: perConnection });
  const subjects = new Map<string, string>();
  await Promise.all(Array.from({ length: count }, (_, n) => a.send({ from: 'ann@fabrikam.com', to, subject: `m${n}` }).then((id) => subjects.set(id, `m${n}`))));
  await sim!.settle();
  return { a, b, subjects, dealt: dealing(sim!, subjects) };
}

describe('sessions per next hop (SmtpMaxMessagesPerConnection, MaxPerDomainOutboundConnections)', () => {
  it('45 messages queued together go out in 3 sessions of 20, 20 and 5, in queue order, the same for a seed on every run', async () => {
    const first = await sendBatch('dealing', 45, 20);
    expect(first.dealt.map(([, m]) => m)).toEqual([0, 20, 40].map((s) => Array.from({ length: Math.min(20, 45 - s) }, (_, k) => `m${s + k}`)));
    expect(first.b.mailbox(to[0]).filter((m) => m.authAs === 'Partner')).toHaveLength(45);
    expect(first.a.counters()['Domain-Secured Messages Sent']).toBe(45);
    // Every session is whole in the send log: connected, 20 (or 5) transactions, QUIT, disconnected; nothing left open.
    const logged = sessionsOf(first.a.edge().protocolLog('Send'));
    expect(logged.map((s) => [s.id, s.rows[0].event, s.rows.at(-1)!.event])).toEqual(first.dealt.map(([id]) => [id, '+', '-']));
    expect(first.a.edge().protocolLog('Send').match(/MAIL FROM:/g)).toHaveLength(45);
    expect(first.a.queues()[0]).toMatchObject({ status: 'Ready', messageCount: 0, retryCount: 0 });
    const dealt = first.dealt;
    await sim!.stop();
    expect((await sendBatch('dealing', 45, 20)).dealt).toEqual(dealt);
  });

  it('SmtpMaxMessagesPerConnection 1: one session per message, at most MaxPerDomainOutboundConnections open at once', async () => {
    const [a, b] = await pair('one-per-session');
    a.model.setSendConnector('To woodgrovebank.com', { smtpMaxMessagesPerConnection: 1 });
    a.model.transport.setSettings({ maxPerDomainOutboundConnections: 3 });
    // The receiver refuses a fourth session from the same source with 421: a sender that kept to 3 never meets it.
    b.edge().model.setReceiveConnector('From fabrikam.com', { maxInboundConnectionPerSource: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, n) => a.send({ from: 'ann@fabrikam.com', to, subject: `m${n}` })));
    await sim!.settle();
    expect(sim!.evidence.filter((h) => h.nextHopDomain === 'woodgrovebank.com').map((h) => [h.messageIds.length, h.result])).toEqual(Array(12).fill([1, 'delivered']));
    expect(b.mailbox(to[0])).toHaveLength(12);
    expect(b.edge().protocolLog('Receive')).not.toMatch(/421 /);
  });
});

describe('a kept connection', () => {
  it('carries a message submitted while it is open, decided again (followOn) and logged under the same session id', async () => {
    const [a, b] = await pair('follow-on');
    // The second message is submitted the moment the first one's transaction is answered, as a steady sender does.
    const second = a.send({ from: 'ann@fabrikam.com', to, subject: 'first' }, { settleAt: 'transaction' })
      .then(() => a.send({ from: 'ann@fabrikam.com', to, subject: 'second' }, { settleAt: 'transaction' }));
    const secondId = await second;
    await sim!.settle();
    const hops = sim!.evidence.filter((h) => h.nextHopDomain === 'woodgrovebank.com');
    expect(hops).toHaveLength(1);
    expect(hops[0].messageIds).toHaveLength(2);
    const followOn = hops[0].decisions.filter((d) => d.followOn?.messageId === secondId);
    expect(followOn.map((d) => [d.rule, d.outcome])).toEqual([['DS-SEND-06', 'proceed'], ['DS-SEND-06', 'sent']]);
    const [session] = sessionsOf(a.edge().protocolLog('Send'));
    expect(session.id).toBe(hops[0].sessionId);
    expect(a.edge().protocolLog('Send').match(new RegExp(`${hops[0].sessionId},\\d+,[^,]*,[^,]*,>,MAIL FROM:`, 'g'))).toHaveLength(2);
    expect(b.mailbox(to[0]).map((m) => [m.subject, m.authAs])).toEqual([['first', 'Partner'], ['second', 'Partner']]);
    expect(a.counters()['Domain-Secured Messages Sent']).toBe(2);
  });

  it('turns a follow-on away when the configuration changed under it: the message goes in a new session, decided from scratch', async () => {
    const [a, b] = await pair('follow-on-changed');
    const second = a.send({ from: 'ann@fabrikam.com', to, subject: 'first' }, { settleAt: 'transaction' }).then(() => {
      // The partner is taken off TLSSendDomainSecureList while the first session is still open.
      a.model.transport.edit({ send: { kind: 'edit', remove: ['woodgrovebank.com'] } });
      return a.send({ from: 'ann@fabrikam.com', to, subject: 'second' }, { settleAt: 'transaction' });
    });
    const secondId = await second;
    await sim!.settle();
    const hops = sim!.evidence.filter((h) => h.nextHopDomain === 'woodgrovebank.com');
    expect(hops.map((h) => h.messageIds.length)).toEqual([1, 1]);
    expect(hops[0].decisions.filter((d) => d.followOn?.messageId === secondId).map((d) => d.tlsMode)).toEqual(['opportunistic']);
    expect(hops[1].messageIds).toEqual([secondId]);
    expect(hops[1].decisions.some((d) => d.followOn)).toBe(false);
    // The new session sends opportunistically: no DS-SEND-06 'sent', so the counter counts the first message only.
    expect(hops[1].decisions.map((d) => d.outcome)).not.toContain('sent');
    expect(a.counters()['Domain-Secured Messages Sent']).toBe(1);
    expect(b.mailbox(to[0]).map((m) => m.subject)).toEqual(['first', 'second']);
  });

  it('QUITs after SmtpMaxMessagesPerConnection messages even while more are queued: the rest open the next session', async () => {
    const { a, dealt } = await sendBatch('per-connection-3', 7, 3);
    expect(dealt.map(([, m]) => m.length)).toEqual([3, 3, 1]);
    expect(sessionsOf(a.edge().protocolLog('Send')).every((s) => s.rows.at(-1)!.event === '-')).toBe(true);
  });
});
