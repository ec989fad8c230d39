// A loopback SMTP receiver that misbehaves the way real MTAs do, for the exactly-once chaos test (issue 10 item 3):
// per-recipient 4xx/5xx, 421/451/550 at MAIL, refusals at the final dot, a drop mid-DATA, a drop right after the 250 to
// DATA, and resets at any point. Faults come from a seeded generator, so a seed replays the same run. It records every
// message it accepted (Message-ID and the recipients it said 250 to), which is what the invariant is checked against.
import net from 'node:net';

export interface MisbehaviourRates {
  resetOnConnect: number;
  resetOnCommand: number;
  mail421: number;
  mail451: number;
  mail550: number;
  rcpt452: number;
  rcpt451: number;
  rcpt550: number;
  dropMidData: number;
  dot451: number;
  dot554: number;
  dropAfter250: number;
}

export const NO_MISBEHAVIOUR: MisbehaviourRates = {
  resetOnConnect: 0, resetOnCommand: 0, mail421: 0, mail451: 0, mail550: 0, rcpt452: 0, rcpt451: 0, rcpt550: 0, dropMidData: 0, dot451: 0, dot554: 0, dropAfter250: 0,
};

export const REAL_MTA_RATES: MisbehaviourRates = {
  resetOnConnect: 0.05, resetOnCommand: 0.02, mail421: 0.03, mail451: 0.03, mail550: 0.02,
  rcpt452: 0.08, rcpt451: 0.05, rcpt550: 0.05, dropMidData: 0.04, dot451: 0.03, dot554: 0.02, dropAfter250: 0.06,
};

export interface Accepted {
  messageId: string;
  recipients: string[];
}

/** mulberry32: small, fast and the same on every machine. */
function random(seed: string): () => number {
  let a = [...seed].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class MisbehavingMta {
  readonly accepted: Accepted[] = [];
  /** How often each misbehaviour happened. */
  readonly faults: Record<keyof MisbehaviourRates, number> = Object.fromEntries(Object.keys(REAL_MTA_RATES).map((k) => [k, 0])) as Record<keyof MisbehaviourRates, number>;
  sessions = 0;
  port = 0;
  #server?: net.Server;
  #sockets = new Set<net.Socket>();
  #rnd: () => number;

  /** Scripted replies on top of the random ones: a RCPT reply by recipient (and how often it was asked). */
  rcptReply?: (rcpt: string, asked: number) => string | undefined;
  /** Scripted: the connection is closed right after the 250 to this session's n-th message (a kept connection that drops). */
  dropAfterAccepted?: number;
  #asked = new Map<string, number>();

  constructor(readonly address: string, seed: string, readonly rates: MisbehaviourRates = REAL_MTA_RATES) {
    this.#rnd = random(seed);
  }

  async start(): Promise<void> {
    const server = net.createServer((s) => this.#session(s));
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, this.address, () => resolve()));
    this.#server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #roll(kind: keyof MisbehaviourRates): boolean {
    if (this.#rnd() >= this.rates[kind]) return false;
    this.faults[kind] += 1;
    return true;
  }

  #session(socket: net.Socket): void {
    this.sessions += 1;
    this.#sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => this.#sockets.delete(socket));
    if (this.#roll('resetOnConnect')) return void socket.resetAndDestroy();
    const say = (line: string) => { if (!socket.destroyed) socket.write(`${line}\r\n`); };
    say('220 mx.chaos.example ESMTP misbehaving');
    let buffer = '';
    let inData = false;
    let dropInData = false;
    let dataLines: string[] = [];
    let rcpts: string[] = [];
    let mail = false;
    let acceptedHere = 0;
    const resetTx = () => { mail = false; rcpts = []; dataLines = []; };
    const command = (line: string): boolean => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb !== 'QUIT' && this.#roll('resetOnCommand')) { socket.resetAndDestroy(); return false; }
      if (verb === 'EHLO' || verb === 'HELO') { resetTx(); say('250 mx.chaos.example'); return true; }
      if (verb === 'MAIL') {
        if (mail) { say('503 5.5.1 Sender already specified'); return true; }
        if (this.#roll('mail421')) { say('421 4.3.2 Too busy, closing transmission channel'); socket.end(); return false; }
        if (this.#roll('mail451')) { say('451 4.3.0 Temporary failure at MAIL'); return true; }
        if (this.#roll('mail550')) { say('550 5.7.1 Sender refused'); return true; }
        mail = true;
        say('250 2.1.0 Sender OK');
        return true;
      }
      if (verb === 'RCPT') {
        if (!mail) { say('503 5.5.1 Need MAIL first'); return true; }
        const rcpt = /<([^>]*)>/.exec(line)?.[1] ?? '';
        const asked = (this.#asked.get(rcpt) ?? 0) + 1;
        this.#asked.set(rcpt, asked);
        const scripted = this.rcptReply?.(rcpt, asked);
        if (scripted) { if (scripted.startsWith('250')) rcpts.push(rcpt); say(scripted); return true; }
        if (this.#roll('rcpt452')) say('452 4.5.3 Too many recipients');
        else if (this.#roll('rcpt451')) say('451 4.2.0 Mailbox temporarily unavailable');
        else if (this.#roll('rcpt550')) say('550 5.1.1 User unknown');
        else { rcpts.push(rcpt); say('250 2.1.5 Recipient OK'); }
        return true;
      }
      if (verb === 'DATA') {
        if (!mail || rcpts.length === 0) { say('503 5.5.1 No valid recipients'); return true; }
        inData = true;
        dropInData = this.#roll('dropMidData');
        say('354 Start mail input; end with <CRLF>.<CRLF>');
        return true;
      }
      if (verb === 'RSET') { resetTx(); say('250 2.0.0 Reset OK'); return true; }
      if (verb === 'NOOP') { say('250 2.0.0 OK'); return true; }
      if (verb === 'QUIT') { say('221 2.0.0 Bye'); socket.end(); return false; }
      say('500 5.5.1 Command unrecognized');
      return true;
    };
    const endOfData = (): boolean => {
      inData = false;
      if (this.#roll('dot451')) { resetTx(); say('451 4.3.0 Queue write failed'); return true; }
      if (this.#roll('dot554')) { resetTx(); say('554 5.6.0 Message content rejected'); return true; }
      const id = dataLines.find((l) => /^message-id:/i.test(l))?.replace(/^message-id:\s*/i, '').trim() ?? '';
      // Accepted: recorded before the 250 goes out, as a real MTA's queue file is written before it answers.
      this.accepted.push({ messageId: id, recipients: [...rcpts] });
      resetTx();
      say('250 2.6.0 Queued');
      acceptedHere += 1;
      if (acceptedHere === this.dropAfterAccepted) { socket.end(); return false; }
      if (this.#roll('dropAfter250')) { socket.destroy(); return false; }
      return true;
    };
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while (!socket.destroyed && (i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            if (!endOfData()) return;
          } else if (dropInData) {
            // Part of the message came, the end never will: nothing is accepted, the client must send it again.
            resetTx();
            socket.destroy();
            return;
          } else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
        } else if (!command(line)) return;
      }
    });
  }
}
