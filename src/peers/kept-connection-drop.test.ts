// A kept connection that drops (issue 12 item 6): what it had not sent goes to a new session at once, not to the retry
// schedule, and every message is delivered exactly once — none twice, none lost.
import { afterEach, describe, expect, it } from 'vitest';
import { addEdgeOrganization } from '../sim/partner-setup.js';
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

describe('a kept connection that drops', () => {
  it('after the 2nd of 5 messages, and again in the next session: 3 sessions, each message once, no retry wait', async () => {
    sim = await Simulation.start({ seed: 'kept-drop' });
    const sender = await addEdgeOrganization(sim, 'fabrikam.com');
    peer = new MisbehavingMta('127.0.97.1', 'kept-drop', NO_MISBEHAVIOUR);
    peer.dropAfterAccepted = 2;
    await peer.start();
    sim.dns.setMx('peer.example', ['mx.peer.example']);
    sim.dns.setA('mx.peer.example', '127.0.97.1');
    sim.network.publish('127.0.97.1', 25, peer.port);
    const start = sim.clock.nowMs();
    const ids = await Promise.all(Array.from({ length: 5 }, (_, n) => sender.send({ from: 'ann@fabrikam.com', to: [`u${n}@peer.example`], subject: `m${n}` })));
    await sim.settle();
    const norm = (id: string) => id.replace(/[<>]/g, '').toLowerCase();
    expect(peer.accepted.map((a) => norm(a.messageId)).sort()).toEqual(ids.map(norm).sort());
    expect(peer.sessions).toBe(3);
    expect(sim.evidence.map((h) => h.messageIds.length)).toEqual([5, 3, 1]);
    expect(sender.messages()).toEqual([]);
    expect(sender.queues()[0]).toMatchObject({ status: 'Ready', retryCount: 0 });
    expect(sender.mailbox('ann@fabrikam.com')).toEqual([]);
    // No virtual time passed: the remaining messages did not wait for TransientFailureRetryInterval.
    expect(sim.clock.nowMs()).toBe(start);
  });
});
