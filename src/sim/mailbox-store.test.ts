// A durable lab's mailboxes hold only the latest messages in memory; what a user reads is the same as when all were held.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MAILBOX_MEMORY_MESSAGES, MailboxStore } from './mailbox-store.js';
import { buildRaw, type DeliveredMessage, parseRaw } from './message.js';
import { addPartnerPair } from './partner-setup.js';
import { QueueJournal } from './queue-journal.js';
import { Simulation } from './simulation.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'domsec-mailbox-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function message(i: number, to: string): DeliveredMessage {
  const messageId = `<m${i}@fabrikam.com>`;
  // A non-ASCII subject and a quote in the body: the file's JSON escapes and encodes them.
  const raw = buildRaw({ messageId, from: 'ann@fabrikam.com', to: [to], subject: `nº ${i}`, body: `"body" ${i}`, date: new Date(Date.UTC(2026, 2, 2, 9, 0, i)) });
  const { headers, body } = parseRaw(raw);
  return { messageId, from: 'ann@fabrikam.com', to: [to], subject: `nº ${i}`, headers, body, raw, receivedBy: 'mail.woodgrovebank.com', authAs: 'Partner', authDomain: 'fabrikam.com', kind: i % 7 ? 'mail' : 'ndr', at: `2026-03-02T09:00:${String(i % 60).padStart(2, '0')}.000Z` };
}

/** Delivers the same messages to a store that holds everything in memory and to one that keeps them on disk as a lab does. */
function twoStores(n: number) {
  const file = join(dir, 'x.mailboxes.jsonl');
  const memory = new MailboxStore();
  const durable = new MailboxStore();
  durable.keepOnDisk(file);
  durable.onDeliver = (address, m) => appendFileSync(file, `${JSON.stringify({ address, message: m })}\n`);
  const addresses = ['Bob@woodgrovebank.com', 'eve@woodgrovebank.com', 'bob@woodgrovebank.com', 'carol@woodgrovebank.com'];
  for (let i = 0; i < n; i++) {
    // Bob gets most, carol only at the start: her box is wholly on disk at the end.
    const to = i < 20 ? addresses[3]! : addresses[i % 5 === 0 ? 1 : i % 2 ? 0 : 2]!;
    memory.deliver(to, message(i, to));
    durable.deliver(to, message(i, to));
  }
  return { memory, durable, file };
}

const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

it('mailboxes longer than memory holds read, search and list the same as when every message was held', () => {
  const n = Math.round(MAILBOX_MEMORY_MESSAGES * 2.5);
  const { memory, durable } = twoStores(n);
  for (const a of ['bob@woodgrovebank.com', 'BOB@woodgrovebank.com', 'eve@woodgrovebank.com', 'carol@woodgrovebank.com', 'nobody@woodgrovebank.com']) {
    expect(json(durable.read(a))).toEqual(json(memory.read(a)));
  }
  expect(durable.read('bob@woodgrovebank.com').length).toBeGreaterThan(MAILBOX_MEMORY_MESSAGES);
  expect(durable.read('carol@woodgrovebank.com').map((m) => m.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `nº ${i}`));
  expect(json(durable.all())).toEqual(json(memory.all()));
  expect(durable.all()).toHaveLength(n);
  // The first message (long since only on disk), one in the middle, the latest; by id with and without the hint.
  for (const i of [0, 1, Math.round(n / 2), n - 1]) {
    const id = `<m${i}@fabrikam.com>`;
    const to = memory.all().find((m) => m.messageId === id)!.to[0]!;
    expect(json(durable.find(to, (m) => m.messageId === id, id))).toEqual(json(memory.find(to, (m) => m.messageId === id)));
    expect(json(durable.find(undefined, (m) => m.messageId === id, id))?.valueOf()).toMatchObject({ messageId: id, to: [to] });
    expect(durable.find(to, (m) => m.messageId === id)?.messageId).toBe(id);
  }
  expect(durable.find('bob@woodgrovebank.com', (m) => m.messageId === '<m3@fabrikam.com>', '<m3@fabrikam.com>')).toBeUndefined(); // eve's
  expect(durable.find(undefined, (m) => m.messageId === '<none@fabrikam.com>', '<none@fabrikam.com>')).toBeUndefined();
  // A search by what the body says reads the file line by line.
  expect(durable.find(undefined, (m) => m.body.includes('"body" 14\r\n'))?.messageId).toBe('<m14@fabrikam.com>');
});

it('a mailbox file removed under a running lab is named when its older messages are asked for', () => {
  const { durable, file } = twoStores(MAILBOX_MEMORY_MESSAGES * 2);
  rmSync(file);
  expect(() => durable.read('carol@woodgrovebank.com')).toThrow(expect.objectContaining({ code: 'ERR_LAB_STATE', message: expect.stringContaining(file) }));
});

it('a restarted lab with more mail than memory holds has it all, and a delivery after a line a crash cut short survives the next restart', async () => {
  const state = join(dir, 'state');
  const start = async () => {
    const sim = await Simulation.start({ seed: 'mailbox-store' });
    const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
    const journal = new QueueJournal(sim, state);
    return { sim, a, b, journal, recovered: await journal.attach() };
  };
  const first = await start();
  const file = first.journal.mailboxFile(first.b);
  await first.sim.stop();
  const n = Math.round(MAILBOX_MEMORY_MESSAGES * 1.5);
  // An earlier run's deliveries, the last one cut short by a crash (never acknowledged).
  writeFileSync(file, Array.from({ length: n }, (_, i) => `${JSON.stringify({ address: 'bob@woodgrovebank.com', message: message(i, 'bob@woodgrovebank.com') })}\n`).join('') + '{"address":"bob@woodgrov');
  const second = await start();
  try {
    expect(second.recovered).toEqual({ queuedMessages: 0, mailboxMessages: n });
    const id = await second.a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'after the crash' });
    await second.sim.settle();
    const box = second.b.mailbox('bob@woodgrovebank.com');
    expect(box).toHaveLength(n + 1);
    expect(box[0]!.subject).toBe('nº 0');
    expect(box.at(-1)!.messageId).toBe(id);
  } finally {
    await second.sim.stop();
  }
  const third = await start();
  try {
    expect(third.recovered.mailboxMessages).toBe(n + 1);
    expect(third.b.mailbox('bob@woodgrovebank.com').map((m) => m.subject).slice(-2)).toEqual([`nº ${n - 1}`, 'after the crash']);
  } finally {
    await third.sim.stop();
  }
});
