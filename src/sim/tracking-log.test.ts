// A durable lab's message tracking log keeps only the latest entries in memory; what a user reads is the same as when
// all were held, and Get-MessageTrackingLog in a lab answers the same before and after its entries left memory.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Observability, type TrackingEntry } from './observability.js';
import { addPartnerPair } from './partner-setup.js';
import { QueueJournal } from './queue-journal.js';
import { Simulation } from './simulation.js';
import { TRACKING_ENTRIES, TRACKING_MEMORY_ENTRIES } from './tracking-log.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'domsec-tracking-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function entry(i: number): TrackingEntry {
  // Optional fields present on some entries only, one left undefined as receive-session.ts leaves messageInfo, and a
  // non-ASCII subject: the file's JSON must give each back as it was.
  return {
    dateTime: new Date(Date.UTC(2026, 2, 2, 9, 0, 0, i)).toISOString(), server: 'EDGE01', eventId: i % 3 ? 'RECEIVE' : 'DELIVER',
    source: i % 3 ? 'SMTP' : 'STOREDRIVER', messageId: `<m${i}@fabrikam.com>`, sender: 'ann@fabrikam.com', recipients: [`bob${i % 4}@woodgrovebank.com`],
    subject: `nº ${i} "quoted"`, messageInfo: i % 2 ? `02P:fabrikam.com` : undefined, ...(i % 5 ? { connectorId: 'EDGE01\\Partner', serverIp: '127.0.0.1' } : {}),
  };
}

/** What a reader of the log sees of an entry: its fields, an undefined one as absent (the cmdlet reads fields by name). */
const seen = (entries: TrackingEntry[]) => entries.map((e) => JSON.stringify(e));

it('answers the same latest entries whether they are held in memory or spilled to its file', () => {
  const memory = new Observability();
  const durable = new Observability();
  durable.track(entry(-1)); // tracked before the lab made its log durable: kept too
  memory.track(entry(-1));
  const file = join(dir, 'x.tracking.jsonl');
  durable.keepTrackingOnDisk(file);
  // Past the cap twice (it trims to TRACKING_ENTRIES once 12,000 are held), checked at the points around each trim.
  const checks = new Set([1, TRACKING_MEMORY_ENTRIES * 1.2, TRACKING_MEMORY_ENTRIES * 1.2 + 1, 5_000, TRACKING_ENTRIES * 1.2, TRACKING_ENTRIES * 1.2 + 1, 25_001]);
  for (let i = 0; i <= 25_001; i++) {
    memory.track(entry(i));
    durable.track(entry(i));
    if (checks.has(i)) {
      const want = memory.trackingEntries();
      expect(seen(durable.trackingEntries()), `after ${i + 2} entries`).toEqual(seen(want));
      expect(want.length).toBeLessThanOrEqual(TRACKING_ENTRIES * 1.2);
    }
  }
  expect(memory.trackingEntries().at(-1)!.messageId).toBe('<m25001@fabrikam.com>');
  expect(durable.trackingLogText()).toBe(memory.trackingLogText());
  // Everything but the latest went to the file.
  expect(statSync(file).size).toBeGreaterThan(20_000 * 100);
});

it('a lab up starts its tracking file empty on every run, as its tracking log is its own', async () => {
  const run = async (subject: string) => {
    const sim = await Simulation.start({ seed: 'tracking-file' });
    const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
    const journal = new QueueJournal(sim, join(dir, 'state'));
    try {
      await journal.attach();
      await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject, body: 'x' });
      await sim.settle();
      return { sent: a.trackingLog().map((t) => `${t.eventId} ${t.subject}`), received: b.trackingLog().map((t) => `${t.eventId} ${t.subject}`), file: journal.trackingFile(b) };
    } finally {
      await sim.stop();
    }
  };
  const first = await run('first run');
  expect(first.received).toEqual(['RECEIVE first run', 'DELIVER first run']);
  expect(existsSync(first.file)).toBe(true);
  const second = await run('second run');
  expect(second.sent.every((t) => t.endsWith('second run'))).toBe(true);
  expect(second.received).toEqual(['RECEIVE second run', 'DELIVER second run']);
});
