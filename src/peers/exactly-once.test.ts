// Chaos test (issue 10 item 3): a simulated edge sends to a peer that misbehaves like real MTAs. Invariant, per
// recipient of every message: delivered exactly once, still queued, or named in an NDR — never twice, never lost.
// Bounded: a fixed number of messages and retry rounds on the virtual clock, loopback only; figures are printed.
import { afterEach, describe, expect, it } from 'vitest';
import { addEdgeOrganization } from '../sim/partner-setup.js';
import { Simulation } from '../sim/simulation.js';
import { MisbehavingMta } from './misbehaving-mta.js';

const MESSAGES = 120;
const ROUNDS = 96;

let sim: Simulation | undefined;
let peer: MisbehavingMta | undefined;
afterEach(async () => {
  await sim?.stop();
  await peer?.stop();
  sim = undefined;
  peer = undefined;
});

/** The recipients an NDR names (the list under "Delivery has failed…") and the message it is about. */
function ndrRecipients(body: string): { original: string; rcpts: string[] } {
  const lines = body.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('Delivery has failed to these recipients'));
  const end = lines.indexOf('', start);
  return { original: /Original message id: (.*)$/m.exec(body)?.[1]?.trim() ?? '', rcpts: lines.slice(start + 1, end) };
}

describe('exactly once per recipient against a misbehaving MTA', () => {
  it.each(['chaos-1', 'chaos-2', 'chaos-3', 'chaos-4'])('seed %s: every recipient is delivered once, still queued, or in an NDR', async (seed) => {
    sim = await Simulation.start({ seed });
    const sender = await addEdgeOrganization(sim, 'fabrikam.com');
    peer = new MisbehavingMta('127.0.99.1', seed);
    await peer.start();
    sim.dns.setMx('chaos.example', ['mx.chaos.example']);
    sim.dns.setA('mx.chaos.example', '127.0.99.1');
    sim.network.publish('127.0.99.1', 25, peer.port);

    // Batches submitted together ride one session, so a drop mid-session hits messages already accepted.
    const sent: { messageId: string; to: string[] }[] = [];
    for (let batch = 0; batch < MESSAGES / 10; batch++) {
      const submits = Array.from({ length: 10 }, (_, k) => {
        const n = batch * 10 + k;
        const to = Array.from({ length: 1 + (n % 4) }, (_, r) => `user${n}-${r}@chaos.example`);
        return sender.send({ from: 'ann@fabrikam.com', to, subject: `chaos ${n}` }).then((messageId) => sent.push({ messageId, to }));
      });
      await Promise.all(submits);
    }
    for (let round = 0; round < ROUNDS && sender.messages().length > 0; round++) await sim.advance(15 * 60_000);
    await sim.settle();

    const norm = (id: string) => id.replace(/[<>]/g, '').toLowerCase();
    const deliveredCount = new Map<string, number>();
    for (const a of peer.accepted) for (const r of a.recipients) {
      const key = `${norm(a.messageId)}|${r.toLowerCase()}`;
      deliveredCount.set(key, (deliveredCount.get(key) ?? 0) + 1);
    }
    const queued = new Set(sender.messages().flatMap((m) => m.to.map((r) => `${norm(m.messageId)}|${r.toLowerCase()}`)));
    const bounced = new Map<string, number>();
    for (const m of sender.mailbox('ann@fabrikam.com').filter((x) => x.kind === 'ndr')) {
      const { original, rcpts } = ndrRecipients(m.body);
      for (const r of rcpts) bounced.set(`${norm(original)}|${r.toLowerCase()}`, (bounced.get(`${norm(original)}|${r.toLowerCase()}`) ?? 0) + 1);
    }
    const figures = { recipients: 0, deliveredOnce: 0, queued: 0, ndr: 0, duplicated: 0, lost: 0, inTwoStates: 0 };
    for (const m of sent) for (const r of m.to) {
      const key = `${norm(m.messageId)}|${r.toLowerCase()}`;
      const d = deliveredCount.get(key) ?? 0;
      const states = [d > 0, queued.has(key), bounced.has(key)].filter(Boolean).length;
      figures.recipients += 1;
      if (d > 1 || (bounced.get(key) ?? 0) > 1) figures.duplicated += 1;
      if (states === 0) figures.lost += 1;
      if (states > 1) figures.inTwoStates += 1;
      if (d === 1 && states === 1) figures.deliveredOnce += 1;
      if (queued.has(key) && states === 1) figures.queued += 1;
      if (bounced.has(key) && states === 1) figures.ndr += 1;
    }
    const injected = Object.entries(peer.faults).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`exactly-once ${seed}: ${MESSAGES} messages, ${figures.recipients} recipients over ${peer.sessions} sessions -> delivered once ${figures.deliveredOnce}, still queued ${figures.queued}, in an NDR ${figures.ndr}; duplicated ${figures.duplicated}, lost ${figures.lost}, in two states ${figures.inTwoStates}. Faults: ${injected}`);
    expect({ duplicated: figures.duplicated, lost: figures.lost, inTwoStates: figures.inTwoStates }).toEqual({ duplicated: 0, lost: 0, inTwoStates: 0 });
    expect(figures.deliveredOnce + figures.queued + figures.ndr).toBe(figures.recipients);
    // The run exercised what it claims to: each kind of misbehaviour happened, and mail still got through.
    for (const k of ['rcpt452', 'rcpt550', 'dropAfter250', 'dropMidData', 'resetOnCommand'] as const) expect(peer.faults[k], k).toBeGreaterThan(0);
    expect(figures.deliveredOnce).toBeGreaterThan(figures.recipients / 2);
  }, 120_000);
});
