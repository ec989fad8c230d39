// A durable lab keeps its queues and mailboxes across a restart: recovered mail is delivered once, or NDR'd if it expired.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { addPartnerPair } from './partner-setup.js';
import { QueueJournal } from './queue-journal.js';
import { Simulation } from './simulation.js';

let dir: string;
const sims: Simulation[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'domsec-journal-'));
});
afterEach(async () => {
  for (const s of sims.splice(0)) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One run of the lab on the state folder: same seed, same organizations, as `lab up` on the same --dir. */
async function run(partnerDown: boolean) {
  const sim = await Simulation.start({ seed: 'journal' });
  sims.push(sim);
  const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
  if (partnerDown) await b.stopEdge();
  const journal = new QueueJournal(sim, join(dir, 'state'));
  const recovered = await journal.attach();
  return { sim, a, b, journal, recovered };
}

it('a message queued for a partner that is down survives the restart and is delivered exactly once', async () => {
  const first = await run(true);
  const id = await first.a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'survives' });
  expect(first.a.queues()[0].messageCount).toBe(1);
  // On disk before send() returned: the queue file names it.
  expect(readFileSync(first.journal.queueFile(first.a), 'utf8')).toContain(id);
  await first.sim.stop(); // the process is gone; nothing more is written

  const second = await run(false);
  expect(second.recovered).toEqual({ queuedMessages: 1, mailboxMessages: 0 });
  await second.sim.settle();
  expect(second.b.mailbox('bob@woodgrovebank.com').map((m) => m.messageId)).toEqual([id]);
  expect(second.a.queues().every((q) => q.messageCount === 0)).toBe(true);
  // A new message does not reuse the recovered one's id.
  const next = await second.a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'after' });
  expect(next).not.toBe(id);
  await second.sim.stop();

  // A third start finds the delivered message in the mailbox, not in the queue: never twice.
  const third = await run(false);
  expect(third.recovered).toEqual({ queuedMessages: 0, mailboxMessages: 2 });
  await third.sim.settle();
  expect(third.b.mailbox('bob@woodgrovebank.com').map((m) => m.subject)).toEqual(['survives', 'after']);
});

it('a recovered message whose lifetime passed while the lab was down comes back to its sender as an NDR', async () => {
  const first = await run(true);
  const id = await first.a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'too late' });
  await first.sim.stop();
  // The lab was down for three days (MessageExpirationTimeout is two).
  const file = first.journal.queueFile(first.a);
  const q = JSON.parse(readFileSync(file, 'utf8')) as { writtenAt: string };
  writeFileSync(file, JSON.stringify({ ...q, writtenAt: new Date(Date.parse(q.writtenAt) - 3 * 86_400_000).toISOString() }));

  const second = await run(false);
  await second.sim.settle();
  expect(second.b.mailbox('bob@woodgrovebank.com')).toEqual([]);
  const ndr = second.a.mailbox('ann@fabrikam.com');
  expect(ndr.map((m) => [m.kind, m.subject])).toEqual([['ndr', 'Undeliverable: too late']]);
  expect(ndr[0].body).toContain(`Original message id: ${id}`);
  expect(second.a.queues().every((q) => q.messageCount === 0)).toBe(true);
});

it('a queue file that cannot be read stops the start with ERR_LAB_STATE instead of dropping its messages', async () => {
  const first = await run(true);
  await first.a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'] });
  await first.sim.stop();
  writeFileSync(first.journal.queueFile(first.a), '{"version":1,"items":[');
  await expect(run(false)).rejects.toMatchObject({ code: 'ERR_LAB_STATE', message: expect.stringContaining('Move the file away') });
});

it('the receiving edge answers 250 only for mail on disk: a failed write is 451, the sender retries, the mailbox gets it once', async () => {
  const lab = await run(false);
  const file = lab.journal.mailboxFile(lab.b);
  mkdirSync(file); // the mailbox journal cannot be written (a folder where the file should be)
  const id = await lab.a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'once' });
  await lab.sim.settle();
  expect(lab.b.mailbox('bob@woodgrovebank.com')).toEqual([]);
  const queued = lab.a.queues().find((q) => q.messageCount > 0);
  expect(queued?.lastError).toContain('451 4.3.0');
  rmSync(file, { recursive: true });
  await lab.sim.advance(15 * 60_000);
  expect(lab.b.mailbox('bob@woodgrovebank.com').map((m) => m.messageId)).toEqual([id]);
  expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { message: { messageId: string } }).message.messageId)).toEqual([id]);
});
