// Fuzz test (issue 10 item 8, SMTP command handling): garbled command lines over a real socket into a receiving edge.
// Time-bounded (FUZZ_MS of sessions, 4 s in CI, DOMSEC_FUZZ_MS for longer runs; seeded); holds when nothing crashes, every reply line is a well-formed SMTP reply,
// no session is left counted against the connection caps, and the edge then still serves a good partner session.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addPartnerPair } from './partner-setup.js';
import { Simulation } from './simulation.js';

const FUZZ_MS = Number(process.env.DOMSEC_FUZZ_MS ?? 4000);
const REPLY = /^[2-5]\d\d(?:[ -][\x20-\x7e]*)?$/;

let sim: Simulation | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['EHLO', 'HELO', 'MAIL FROM:', 'RCPT TO:', 'DATA', 'RSET', 'NOOP', 'VRFY', 'EXPN', 'HELP', 'AUTH PLAIN', 'BDAT', 'XCLIENT ADDR=',
  'XFORWARD NAME=', 'STARTTLS', 'ehlo', 'MAIL', 'RCPT', 'mail from:<', 'GET / HTTP/1.1', ''];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz@.<>:"\\ -_=+%!#$&\'*/?^`{|}~0123456789ÄéΩ漢\u0000\u0001\u007f\u00ff\t\r';

function garbledLine(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const long = rnd() < 0.03 ? 5000 + Math.floor(rnd() * 20000) : Math.floor(rnd() * 80);
  let arg = '';
  for (let i = 0; i < long; i++) arg += pick([...ALPHABET]);
  if (rnd() < 0.3) arg = `<${arg.replace(/[<>]/g, '')}@woodgrovebank.com>`;
  return `${pick(VERBS)}${rnd() < 0.7 ? ' ' : ''}${arg}`;
}

/** One fuzz session; returns the reply lines received (up to STARTTLS's 220, after which TLS bytes are not lines). */
async function fuzzSession(rnd: () => number, host: string, port: number): Promise<{ lines: string[]; commands: number }> {
  const socket = net.connect({ host, port, localAddress: '127.0.0.1' });
  socket.on('error', () => undefined);
  let text = '';
  let closed = false;
  socket.on('data', (d) => { text += d.toString('latin1'); });
  socket.on('close', () => { closed = true; });
  const waitFor = async (ms: number, until: () => boolean) => {
    const end = Date.now() + ms;
    while (!closed && !until() && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
  };
  await waitFor(2000, () => text.includes('\r\n'));
  let commands = 0;
  let tls = false;
  const n = 1 + Math.floor(rnd() * 12);
  for (let i = 0; i < n && !closed && !tls; i++) {
    const line = garbledLine(rnd);
    const ending = rnd() < 0.9 ? '\r\n' : rnd() < 0.5 ? '\n' : '';
    const before = text.length;
    // Sometimes a pipelined burst: several garbled lines in one write, as a client ignoring PIPELINING rules would send.
    const burst = rnd() < 0.2 && !/^STARTTLS/i.test(line) ? Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => garbledLine(rnd).replace(/^STARTTLS/i, 'NOOP')) : [];
    socket.write(`${line}${ending}${burst.map((b) => `${b}\r\n`).join('')}`);
    commands += 1 + burst.length;
    if (/^STARTTLS$/i.test(line.trim()) && ending) {
      await waitFor(300, () => text.length > before && text.endsWith('\r\n'));
      tls = /^220 /m.test(text.slice(before));
      break;
    }
    await waitFor(60, () => text.length > before && text.endsWith('\r\n'));
  }
  if (!closed && !tls) {
    socket.write('QUIT\r\n');
    await waitFor(300, () => closed);
  }
  socket.destroy();
  const lines = text.split('\r\n');
  lines.pop(); // the part after the last CRLF: empty for whole replies
  return { lines, commands };
}

/** Opens `n` sessions at once from 127.0.0.1 and returns each first reply line (then closes them all). */
export async function openGreetings(host: string, port: number, n: number): Promise<string[]> {
  const sockets: net.Socket[] = [];
  const firsts = await Promise.all(Array.from({ length: n }, () => new Promise<string>((resolve) => {
    const s = net.connect({ host, port, localAddress: '127.0.0.1' });
    sockets.push(s);
    let t = '';
    s.on('error', () => resolve(t || '(error)'));
    s.on('data', (d) => { t += String(d); if (t.includes('\r\n')) resolve(t.split('\r\n')[0]!); });
    s.on('close', () => resolve(t.split('\r\n')[0] || '(closed)'));
  })));
  for (const s of sockets) s.destroy();
  return firsts;
}

describe('SMTP command fuzzing against a receiving edge', () => {
  it('answers every garbled line with a well-formed reply, never crashes, and still serves a partner afterwards', async () => {
    sim = await Simulation.start({ seed: 'smtp-fuzz' });
    const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
    const edge = b.edge();
    const rnd = random(0xd05ec);
    const started = Date.now();
    const bad: string[] = [];
    let sessions = 0;
    let commands = 0;
    let replies = 0;
    while (Date.now() - started < FUZZ_MS) {
      const r = await fuzzSession(rnd, edge.address, edge.port);
      sessions += 1;
      commands += r.commands;
      replies += r.lines.length;
      bad.push(...r.lines.filter((l) => !REPLY.test(l)));
    }
    console.log(`smtp fuzz: ${sessions} sessions, ${commands} garbled commands, ${replies} reply lines, ${bad.length} malformed`);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(sessions).toBeGreaterThan(5);

    await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'after the fuzz' });
    expect(b.mailbox('bob@woodgrovebank.com').map((m) => [m.subject, m.authAs])).toEqual([['after the fuzz', 'Partner']]);
    // No fuzz session is still counted: 20 (MaxInboundConnectionPerSource) new sessions from the same address all get 220.
    const greetings = await openGreetings(edge.address, edge.port, 20);
    expect(greetings.map((g) => g.slice(0, 3))).toEqual(Array(20).fill('220'));
  }, 60_000);
});
