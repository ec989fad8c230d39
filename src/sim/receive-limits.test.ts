// The receiving edge's limits (issue 10 items 1-2) as a client sees them: connection caps with Exchange's 421s,
// session deadlines (virtual clock for simulated clients, real time for outside ones), 452 past the recipient limit,
// 552 past MaxMessageSize with the session still usable, and sockets that reset at once never taking the edge down.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMIT_REPLIES, limitReplyLine } from './limit-replies.js';
import { addPartnerPair } from './partner-setup.js';
import { Simulation } from './simulation.js';

let sim: Simulation | undefined;
const open: net.Socket[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.destroy();
  await sim?.stop();
  sim = undefined;
});

async function pair() {
  sim = await Simulation.start({ seed: 'receive-limits' });
  return addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
}

/** A line-oriented client: `next()` resolves with the next complete reply (multi-line replies joined). */
function client(socket: net.Socket) {
  open.push(socket);
  socket.on('error', () => undefined);
  let buf = '';
  const waiting: ((line: string) => void)[] = [];
  const ready: string[] = [];
  let reply: string[] = [];
  socket.on('data', (d) => {
    buf += String(d);
    let i: number;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      reply.push(line);
      if (line[3] === '-') continue;
      const whole = reply.join('\n');
      reply = [];
      const w = waiting.shift();
      if (w) w(whole); else ready.push(whole);
    }
  });
  socket.on('close', () => { for (const w of waiting.splice(0)) w('(closed)'); ready.push('(closed)'); });
  const next = () => new Promise<string>((resolve) => (ready.length ? resolve(ready.shift()!) : waiting.push(resolve)));
  return { next, say: async (line: string) => { socket.write(`${line}\r\n`); return next(); } };
}

const outside = (host: string, port: number) => client(net.connect({ host, port, localAddress: '127.0.0.1' }));

describe('receive connector limits on a running edge', () => {
  it('MaxInboundConnectionPerSource: the next session from that address gets Exchange\'s 421 and an event; a freed slot is reused', async () => {
    const [, b] = await pair();
    b.edge().model.setReceiveConnector('Default EX1', { maxInboundConnectionPerSource: 2 });
    const [c1, c2, c3] = [0, 1, 2].map(() => outside(b.edge().address, b.edge().port));
    expect([(await c1!.next()).slice(0, 3), (await c2!.next()).slice(0, 3)]).toEqual(['220', '220']);
    expect(await c3!.next()).toBe(limitReplyLine(LIMIT_REPLIES.tooManyFromSource));
    expect(b.events().map((e) => e.id)).toContain(1021);
    expect(await c1!.say('QUIT')).toMatch(/^221/);
    await new Promise((r) => setTimeout(r, 50));
    expect((await outside(b.edge().address, b.edge().port).next()).slice(0, 3)).toBe('220');
  });

  it('MaxInboundConnectionPerSource: a session stops counting once its QUIT is answered, before its socket closes', async () => {
    // A sender that opens its next session on the 221 (as busy MTAs and the bench do) must not be refused for one that is over.
    const [, b] = await pair();
    b.edge().model.setReceiveConnector('Default EX1', { maxInboundConnectionPerSource: 1 });
    const c1 = outside(b.edge().address, b.edge().port);
    expect((await c1.next()).slice(0, 3)).toBe('220');
    expect(await c1.say('QUIT')).toMatch(/^221/);
    expect((await outside(b.edge().address, b.edge().port).next()).slice(0, 3)).toBe('220');
  });

  it('MaxInboundConnection: past it every source gets the connector-wide 421', async () => {
    const [, b] = await pair();
    b.edge().model.setReceiveConnector('Default EX1', { maxInboundConnection: 1 });
    const c1 = outside(b.edge().address, b.edge().port);
    expect((await c1.next()).slice(0, 3)).toBe('220');
    expect(await outside(b.edge().address, b.edge().port).next()).toBe(limitReplyLine(LIMIT_REPLIES.tooManyConnections));
  });

  it('MaxRecipientsPerMessage: RCPTs past the limit get 452 4.5.3 and the message goes to those accepted', async () => {
    const [, b] = await pair();
    b.edge().model.setReceiveConnector('Default EX1', { maxRecipientsPerMessage: 2 });
    const c = outside(b.edge().address, b.edge().port);
    await c.next();
    await c.say('EHLO outside.example');
    expect(await c.say('MAIL FROM:<x@outside.example>')).toMatch(/^250/);
    const rcpts = [];
    for (const u of ['bob', 'kim', 'pat']) rcpts.push(await c.say(`RCPT TO:<${u}@woodgrovebank.com>`));
    expect(rcpts.map((r) => r.slice(0, 3))).toEqual(['250', '250', '452']);
    expect(rcpts[2]).toBe(limitReplyLine(LIMIT_REPLIES.tooManyRecipients));
    expect(await c.say('DATA')).toMatch(/^354/);
    expect(await c.say('Subject: three\r\n\r\nbody\r\n.')).toMatch(/^250/);
    expect([b.mailbox('bob@woodgrovebank.com').length, b.mailbox('pat@woodgrovebank.com').length]).toEqual([1, 0]);
  });

  it('MaxMessageSize: a bigger DATA is read to its end, answered 552, not delivered, and the session goes on', async () => {
    const [, b] = await pair();
    b.edge().model.setReceiveConnector('Default EX1', { maxMessageSize: 64 * 1024 });
    const c = outside(b.edge().address, b.edge().port);
    await c.next();
    await c.say('EHLO outside.example');
    await c.say('MAIL FROM:<x@outside.example>');
    await c.say('RCPT TO:<bob@woodgrovebank.com>');
    await c.say('DATA');
    expect(await c.say(`Subject: big\r\n\r\n${'x'.repeat(998)}\r\n`.repeat(300) + '.')).toBe(limitReplyLine(LIMIT_REPLIES.messageTooBig));
    expect(b.mailbox('bob@woodgrovebank.com')).toEqual([]);
    expect(await c.say('MAIL FROM:<x@outside.example>')).toMatch(/^250/);
  });

  it('ConnectionInactivityTimeout for a simulated client runs on the virtual clock: deterministic, whatever the machine', async () => {
    const [a, b] = await pair();
    b.edge().model.setReceiveConnector('From fabrikam.com', { connectionInactivityTimeout: 30_000 });
    const conn = await sim!.network.connect(a.edge().address, b.edge().address, 25, 30_000);
    if (!conn.ok) throw new Error(conn.detail);
    const c = client(conn.socket);
    expect((await c.next()).slice(0, 3)).toBe('220');
    expect(await c.say('EHLO mail.fabrikam.com')).toMatch(/^250/);
    sim!.clock.elapse(31_000);
    expect(await c.say('NOOP')).toBe(limitReplyLine(LIMIT_REPLIES.inactivityTimeout));
  });

  it('ConnectionInactivityTimeout for an outside client runs in real time and closes the session', async () => {
    const [, b] = await pair();
    b.edge().model.setReceiveConnector('Default EX1', { connectionInactivityTimeout: 1000 });
    const c = outside(b.edge().address, b.edge().port);
    expect((await c.next()).slice(0, 3)).toBe('220');
    expect(await c.next()).toBe(limitReplyLine(LIMIT_REPLIES.inactivityTimeout));
    expect(await c.next()).toBe('(closed)');
  });

  it('clients that reset at once, with or without a connector for them, never take the edge down', async () => {
    const [a, b] = await pair();
    const resetMany = async () => {
      for (let i = 0; i < 12; i++) {
        await new Promise<void>((resolve) => {
          const s = net.connect({ host: b.edge().address, port: b.edge().port, localAddress: '127.0.0.1' }, () => { s.resetAndDestroy(); resolve(); });
          s.on('error', () => resolve());
        });
      }
    };
    await resetMany();
    // No connector takes 127.0.0.1 now: the refusal path writes to a socket the client already reset.
    b.edge().model.setReceiveConnector('Default EX1', { remoteIpRanges: ['10.0.0.0/8'] });
    await resetMany();
    await new Promise((r) => setTimeout(r, 100));
    await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'] });
    expect(b.mailbox('bob@woodgrovebank.com')).toHaveLength(1);
  });

  it('a trickle of idle outside connections never keeps settle() (and so `lab send`) from answering', async () => {
    const [a, b] = await pair();
    let trickling = true;
    const trickle = (async () => {
      for (let i = 0; trickling && i < 100; i++) {
        outside(b.edge().address, b.edge().port);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const settled = (async () => {
      await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'] });
      await sim!.settle();
      return 'settled';
    })();
    // The trickle lasts 10 s; settle() used to wait for every open session, so it only returned after the trickle.
    const first = await Promise.race([settled, trickle.then(() => 'trickle ended first')]);
    trickling = false;
    await trickle;
    expect(first).toBe('settled');
    expect(b.mailbox('bob@woodgrovebank.com')).toHaveLength(1);
  }, 30_000);
});
