import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HopEvidence, QueueSnapshot } from '../sim/index.js';
import { LabEvidenceFile } from './lab-evidence-file.js';

const TMP = mkdtempSync(join(tmpdir(), 'domsec-evidence-file-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const hop = (n: number): HopEvidence => ({
  id: `hop-${n}`, sessionId: '08DC3A1B2C4D5E6F', at: '2026-03-02T09:00:00.000Z', from: { org: 'adatum.com', edge: 'EX1', fqdn: 'mail.adatum.com', address: '127.0.1.1' },
  to: { host: 'mail.treyresearch.net', address: '127.0.2.1', port: 25 }, nextHopDomain: 'treyresearch.net', messageIds: [`<m${n}@adatum.com>`],
  clientTranscript: [{ at: '2026-03-02T09:00:00.000Z', dir: '>', text: 'EHLO mail.adatum.com' }], serverTranscript: [], certificates: {}, decisions: [], result: 'delivered',
});
const queue = (count: number): QueueSnapshot => ({ at: '2026-03-02T09:00:00.000Z', identity: 'EX1\\1', nextHopDomain: 'treyresearch.net', status: 'Ready', messageCount: count, retryCount: 0 });
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { lab: string; hops: HopEvidence[]; at: string; queues: QueueSnapshot[][] };

describe('lab up evidence.json', () => {
  it('is whole JSON after every write: hops appended in the order they ended, the latest queues only', () => {
    const file = join(TMP, 'a.json');
    const e = new LabEvidenceFile(file, 'lab-a');
    e.write('2026-03-02T09:00:00.000Z', [], []);
    expect(read(file)).toEqual({ lab: 'lab-a', hops: [], at: '2026-03-02T09:00:00.000Z', queues: [[]] });
    e.add(hop(1));
    e.add(hop(2));
    e.write('2026-03-02T09:00:01.000Z', [queue(2)], []);
    e.add(hop(3));
    e.write('2026-03-02T09:00:02.000Z', [queue(0)], []);
    const got = read(file);
    expect(got.hops.map((h) => h.id)).toEqual(['hop-1', 'hop-2', 'hop-3']);
    expect(got.hops[2]).toEqual(hop(3));
    expect(got.queues).toEqual([[queue(0)]]);
    expect(got.at).toBe('2026-03-02T09:00:02.000Z');
    e.close();
  });

  it('grows by the new hops only: the bytes before them are not written again', () => {
    const file = join(TMP, 'b.json');
    const e = new LabEvidenceFile(file, 'lab-b');
    for (let i = 0; i < 200; i++) e.add(hop(i));
    e.write('2026-03-02T09:00:00.000Z', [queue(1)], []);
    const before = readFileSync(file, 'utf8');
    const head = before.slice(0, before.lastIndexOf('\n  ],'));
    e.add(hop(200));
    e.write('2026-03-02T09:00:05.000Z', [queue(0)], []);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(head)).toBe(true);
    expect(read(file).hops).toHaveLength(201);
    e.close();
  });

  it('starts the file again, with the hops still in memory, when it was removed; fails while a folder is in its place', () => {
    const file = join(TMP, 'c.json');
    const e = new LabEvidenceFile(file, 'lab-c');
    e.add(hop(1));
    e.write('2026-03-02T09:00:00.000Z', [], [hop(1)]);
    rmSync(file);
    mkdirSync(file);
    e.add(hop(2));
    expect(() => e.write('2026-03-02T09:00:01.000Z', [], [hop(1), hop(2)])).toThrow(/EISDIR/);
    rmSync(file, { recursive: true });
    e.add(hop(3));
    e.write('2026-03-02T09:00:02.000Z', [], [hop(1), hop(2), hop(3)]);
    expect(statSync(file).isFile()).toBe(true);
    expect(read(file).hops.map((h) => h.id)).toEqual(['hop-1', 'hop-2', 'hop-3']);
    e.close();
  });
});
