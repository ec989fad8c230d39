// The sending edge against one scripted peer (issue 10 item 3, as real MTAs answer): a 550 for every recipient of one
// message does not spoil the next message of the session (RSET), a 451 recipient is retried and delivered later, and
// the NDR names only the recipient refused with 5xx.
import { afterEach, describe, expect, it } from 'vitest';
import { addEdgeOrganization, addPartnerPair } from '../sim/partner-setup.js';
import { Simulation } from '../sim/simulation.js';
import { MisbehavingMta, NO_MISBEHAVIOUR } from './misbehaving-mta.js';

let sim: Simulation | undefined;
let peer: MisbehavingMta | undefined;
afterEach(async () => {
  await sim?.stop();
  await peer?.stop();
  sim = undefined;
  peer = undefined;
});

async function setup() {
  sim = await Simulation.start({ seed: 'per-recipient' });
  const sender = await addEdgeOrganization(sim, 'fabrikam.com');
  peer = new MisbehavingMta('127.0.98.1', 'per-recipient', NO_MISBEHAVIOUR);
  await peer.start();
  sim.dns.setMx('peer.example', ['mx.peer.example']);
  sim.dns.setA('mx.peer.example', '127.0.98.1');
  sim.network.publish('127.0.98.1', 25, peer.port);
  return sender;
}

const ndrsOf = (sender: Awaited<ReturnType<typeof setup>>) => sender.mailbox('ann@fabrikam.com').filter((m) => m.kind === 'ndr');

describe('per-recipient outcomes against a real-MTA-like peer', () => {
  it('after a message whose only recipient got 550, the next message in the same session is delivered (RSET between)', async () => {
    const sender = await setup();
    peer!.rcptReply = (rcpt) => (rcpt.startsWith('gone') ? '550 5.1.1 User unknown' : undefined);
    // Submitted in one turn: dealt to one session (SmtpMaxMessagesPerConnection 20), one after another with RSET between.
    await Promise.all([
      sender.send({ from: 'ann@fabrikam.com', to: ['kim@peer.example'], subject: 'zero' }),
      sender.send({ from: 'ann@fabrikam.com', to: ['gone@peer.example'], subject: 'one' }),
      sender.send({ from: 'ann@fabrikam.com', to: ['kim@peer.example'], subject: 'two' }),
      sender.send({ from: 'ann@fabrikam.com', to: ['pat@peer.example'], subject: 'three' }),
    ]);
    await sim!.settle();
    expect(peer!.sessions).toBe(1);
    expect(peer!.accepted.flatMap((a) => a.recipients).sort()).toEqual(['kim@peer.example', 'kim@peer.example', 'pat@peer.example']);
    expect(ndrsOf(sender).map((n) => n.subject)).toEqual(['Undeliverable: one']);
    expect(sender.messages()).toEqual([]);
  });

  it('451 for one recipient: the others are delivered now, it is retried later, and no NDR is sent', async () => {
    const sender = await setup();
    peer!.rcptReply = (rcpt, asked) => (rcpt.startsWith('busy') && asked === 1 ? '451 4.2.0 Mailbox busy' : undefined);
    const id = await sender.send({ from: 'ann@fabrikam.com', to: ['busy@peer.example', 'kim@peer.example'], subject: 'both' });
    expect(peer!.accepted.map((a) => a.recipients)).toEqual([['kim@peer.example']]);
    expect(sender.messages().map((m) => [m.messageId, m.to])).toEqual([[id, ['busy@peer.example']]]);
    await sim!.advance(15 * 60_000);
    expect(peer!.accepted.map((a) => a.recipients)).toEqual([['kim@peer.example'], ['busy@peer.example']]);
    expect([sender.messages(), ndrsOf(sender)]).toEqual([[], []]);
  });

  it('550 for one of two recipients: the NDR names only that one, with its own reply', async () => {
    const sender = await setup();
    peer!.rcptReply = (rcpt) => (rcpt.startsWith('gone') ? '550 5.1.1 User unknown' : undefined);
    await sender.send({ from: 'ann@fabrikam.com', to: ['gone@peer.example', 'kim@peer.example'], subject: 'mixed' });
    const [ndr] = ndrsOf(sender);
    expect(ndr?.body).toContain("gone@peer.example\r\nRemote Server returned '550 5.1.1 User unknown'");
    expect(ndr?.body).not.toContain('kim@peer.example');
    expect(peer!.accepted.map((a) => a.recipients)).toEqual([['kim@peer.example']]);
  });

  it('452 4.5.3 Too many recipients from a partner edge: the rest go in the next transaction of the same session', async () => {
    sim = await Simulation.start({ seed: 'too-many' });
    const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
    b.edge().model.setReceiveConnector('From fabrikam.com', { maxRecipientsPerMessage: 2 });
    const to = ['u1', 'u2', 'u3', 'u4', 'u5'].map((u) => `${u}@woodgrovebank.com`);
    const id = await a.send({ from: 'ann@fabrikam.com', to, subject: 'five' });
    expect(to.map((r) => b.mailbox(r).filter((m) => m.messageId === id && m.authAs === 'Partner').length)).toEqual([1, 1, 1, 1, 1]);
    expect(sim.evidence.filter((h) => h.messageIds.includes(id)).length).toBe(1);
    expect(a.messages()).toEqual([]);
    expect(b.edge().protocolLog('Receive')).toMatch(/452 4\.5\.3 Too many recipients/);
  });
});
