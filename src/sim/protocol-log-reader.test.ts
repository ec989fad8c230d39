import { describe, expect, it } from 'vitest';
import { isWellFormedSession, sessionsOf } from './protocol-log-reader.js';

const LOG = [
  '2026-03-02T09:00:00.000Z,EX1\\From a.com,AAAAAAAAAAAAAAAA,0,127.0.2.1:25,127.0.1.1:5000,+,,',
  '2026-03-02T09:00:00.000Z,EX1\\From a.com,AAAAAAAAAAAAAAAA,1,127.0.2.1:25,127.0.1.1:5000,>,"250-x Nice to meet you, [127.0.1.1] 250 SIZE",',
  '2026-03-02T09:00:00.000Z,EX1\\From a.com,BBBBBBBBBBBBBBBB,0,127.0.2.1:25,127.0.1.1:5001,+,,',
  '2026-03-02T09:00:00.000Z,EX1\\From a.com,AAAAAAAAAAAAAAAA,2,127.0.2.1:25,127.0.1.1:5000,-,,',
].join('\r\n');

describe('sessionsOf', () => {
  it('groups rows by session id and reads quoted fields with commas', () => {
    const s = sessionsOf(LOG);
    expect(s.map((x) => [x.id, x.rows.map((r) => `${r.sequence}${r.event}`).join(' ')])).toEqual([
      ['AAAAAAAAAAAAAAAA', '0+ 1> 2-'],
      ['BBBBBBBBBBBBBBBB', '0+'],
    ]);
  });

  it('calls a session well formed only when numbered from 0 and opened and closed', () => {
    const [a, b] = sessionsOf(LOG);
    expect([isWellFormedSession(a), isWellFormedSession(b)]).toEqual([true, false]);
  });
});
