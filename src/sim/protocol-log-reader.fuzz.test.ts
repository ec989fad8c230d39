// Fuzzes the protocol-log reader: any text gives sessions (never an exception), and rows written the way ProtocolLog
// writes them (csvLine, CRLF) read back with their session ids, sequence numbers and events (issue 10 item 8).
import { describe, expect, it } from 'vitest';
import { fuzz, type Rng } from '../../test/fuzz-kit.js';
import { csvLine } from './csv-field.js';
import { sessionsOf } from './protocol-log-reader.js';

const DATA = [',', '"', '""', '\r', '\n', '\r\n', ' ', 'a', '250-x Nice to meet you, [127.0.1.1]', 'é', '\u0000', '#', 'CN=a, O="b"', '\\'];
const ALPHABET = [',', '"', '\r\n', '\r', '\n', '#', '+', '-', '<', '>', '*', '0', '1', 'A', 'F', ' '];

function rows(rng: Rng): { id: string; seq: number; event: string; line: string }[] {
  const ids = Array.from({ length: 1 + rng.int(4) }, () => rng.text(['0', 'A', 'F', '9'], 16));
  const next = new Map<string, number>();
  return Array.from({ length: rng.int(30) }, () => {
    const id = rng.pick(ids);
    const seq = next.get(id) ?? 0;
    next.set(id, seq + 1);
    const event = rng.pick(['+', '-', '>', '<', '*']);
    const fields = ['2026-03-02T09:00:00.000Z', `EX1\\${rng.text(DATA, rng.int(3))}`, id, seq, '127.0.2.1:25', '127.0.1.1:5000', event, rng.text(DATA, rng.int(6)), rng.text(DATA, rng.int(4))];
    return { id, seq, event, line: csvLine(fields) };
  });
}

describe('protocol log reader fuzz', () => {
  it('reads back what ProtocolLog writes, whatever the data and context fields hold', async () => {
    await fuzz({
      name: 'protocol log round trip', seed: 40, runs: 2_000, generate: rows,
      check: (rs) => {
        const text = ['#Software: Microsoft Exchange Server', '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context', ...rs.map((r) => r.line)].join('\r\n');
        const got = sessionsOf(`${text}\r\n`).flatMap((s) => s.rows.map((r) => `${s.id}/${r.sequence}/${r.event}`)).sort();
        expect(got).toEqual(rs.map((r) => `${r.id}/${r.seq}/${r.event}`).sort());
      },
    });
  });

  it('any text gives sessions with string ids, never an exception', async () => {
    await fuzz({
      name: 'protocol log any text', seed: 41, runs: 1_500,
      generate: (rng) => (rng.chance(0.5) ? rng.text(ALPHABET, rng.int(200)) : rng.mutate(rows(rng).map((r) => r.line).join('\r\n'), ALPHABET)),
      check: (text) => {
        for (const s of sessionsOf(text)) {
          expect(typeof s.id).toBe('string');
          for (const r of s.rows) expect(typeof r.event).toBe('string');
        }
      },
    });
  });
});
