// The receiver speaks Exchange, not smtp-server: the table covers smtp-server's own texts, and a raw client sees Exchange's
// replies to commands out of sequence, unknown ones, RSET, NOOP, HELP and QUIT (issue 11 item 1).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeVersion } from '../orgs/index.js';
import { exchangeDate, exchangeReply, greeting, queuedReply, receivedHeader, replyRule } from './exchange-replies.js';
import { addPartnerPair } from './partner-setup.js';
import { Simulation } from './simulation.js';

describe('the reply table', () => {
  // Every literal reply in smtp-server's connection code: none may reach the wire in smtp-server's words.
  const source = readFileSync(createRequire(import.meta.url).resolve('smtp-server/lib/smtp-connection.js'), 'utf8');
  const literals = [...source.matchAll(/this\.send\((\d{3}), '([^']*)'/g)].map((m) => [Number(m[1]), m[2]] as const);

  /** Literals the receiver never sends, and why; the raw dialogue below checks that these commands get `500 5.3.3`. */
  const UNREACHABLE: Record<string, string> = {
    'See https://tools.ietf.org/html/rfc5321 for details': 'HELP is answered by speakExchange()',
    'Try to send something. No promises though': 'VRFY is disabled',
    'Error: Not allowed': 'XCLIENT/XFORWARD are disabled',
    'Error: Mail transaction in progress': 'XCLIENT/XFORWARD are disabled',
    'Error: Must issue a STARTTLS command first': 'AUTH is disabled',
    'Error: No identity changes permitted': 'AUTH is disabled',
    'Error: Unrecognized authentication type': 'AUTH is disabled',
    'You are no wizard!': 'WIZ is disabled',
    'Please pass, oh mighty wizard': 'WIZ is disabled',
    'Mere mortals must not mutter that mantra': 'SHELL is disabled',
    'Error: Invoking shell is not allowed. This incident will be reported.': 'SHELL is disabled',
    'Can not kill Mom': 'KILL is disabled',
    'Error: ': 'the LMTP-only "Error: <cmd> not allowed in LMTP server"; the receiver is no LMTP server',
    'Error: send ': 'the start of "Error: send HELO/EHLO first", which has its rule',
  };

  it('finds smtp-server\'s literal replies to check', () => {
    expect(literals.length).toBeGreaterThan(30);
  });

  it('has a rule for every literal the receiver can send', () => {
    const missing = literals.filter(([code, text]) => !UNREACHABLE[text] && !replyRule(code, text, text === 'Accepted' ? 'MAIL_FROM_OK' : undefined));
    expect(missing).toEqual([]);
    expect(replyRule(250, 'Accepted', 'RCPT_TO_OK')?.reply({ version: '2016' })).toEqual([250, '2.1.5 Recipient OK']);
  });

  it.each(['2007', '2010', '2013', '2016'] as ExchangeVersion[])('turns every one into an Exchange reply with an enhanced code (%s)', (version) => {
    for (const [code, text] of literals) {
      const [, reply] = exchangeReply(code, text, undefined, { version });
      if (code === 354) expect(reply).toBe('Start mail input; end with <CRLF>.<CRLF>');
      else expect(reply, `${code} ${text}`).toMatch(/^[245]\.\d\.\d{1,3} [A-Z]/);
      expect(reply, `${code} ${text}`).not.toMatch(/Error:|Accepted|Bye|Flushed|Nice to meet/);
    }
  });

  it('repeats the address in MAIL and RCPT replies only for Exchange 2007 (seed 004)', () => {
    expect(exchangeReply(250, 'Accepted', 'MAIL_FROM_OK', { version: '2007', address: 'user@smi.extest.contoso.com' })).toEqual([250, '2.1.0 user@smi.extest.contoso.com Sender OK']);
    expect(exchangeReply(250, 'Accepted', 'RCPT_TO_OK', { version: '2007', address: 'user@woodgrove.com' })).toEqual([250, '2.1.5 user@woodgrove.com Recipient OK']);
    expect(exchangeReply(250, 'Accepted', 'MAIL_FROM_OK', { version: '2013', address: 'a@b.c' })).toEqual([250, '2.1.0 Sender OK']);
  });

  it('words an idle client\'s timeout as Exchange does', () => {
    expect(exchangeReply(421, 'Timeout - closing connection', undefined, { version: '2013' })).toEqual([451, '4.7.0 Timeout waiting for client input']);
  });

  it('passes the harness\'s own replies, which carry their enhanced code, unchanged', () => {
    expect(exchangeReply(530, '5.7.1 Not authenticated', undefined, { version: '2010' })).toEqual([530, '5.7.1 Not authenticated']);
  });

  it('writes greeting, queued reply and Received header in each version\'s form', () => {
    const at = new Date('2006-08-28T22:37:53Z');
    expect(exchangeDate(at)).toBe('Mon, 28 Aug 2006 22:37:53 +0000');
    expect(exchangeDate(new Date('2026-03-02T09:00:00Z'))).toBe('Mon, 2 Mar 2026 09:00:00 +0000');
    expect(greeting('2007', 'edgea36', at)).toBe('edgea36 Microsoft ESMTP MAIL Service, Version: 8.0.647.0 ready at Mon, 28 Aug 2006 22:37:53 +0000');
    expect(greeting('2016', 'mail1.fabrikam.com', at)).toBe('mail1.fabrikam.com Microsoft ESMTP MAIL Service ready at Mon, 28 Aug 2006 22:37:53 +0000');
    expect(queuedReply('2007', { messageId: '<a@b>', internalId: '1', hostname: 'h' })).toBe('2.6.0 <a@b> Queued mail for delivery');
    expect(queuedReply('2016', { messageId: '<a@b>', internalId: '5111011082268', hostname: 'mail1.fabrikam.com' }))
      .toBe('2.6.0 <a@b> [InternalId=5111011082268, Hostname=mail1.fabrikam.com] Queued mail for delivery');
    const o = { helo: 'mail.adatum.com', clientIp: '127.0.1.1', fqdn: 'mail.treyresearch.net', serverIp: '127.0.2.1', at, tls: { version: 'TLSv1.2', cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' } };
    expect(receivedHeader('2010', o)).toBe('from mail.adatum.com (127.0.1.1) by mail.treyresearch.net (127.0.2.1) with Microsoft SMTP Server (TLS) id 14.3.123.4; Mon, 28 Aug 2006 22:37:53 +0000');
    expect(receivedHeader('2013', o)).toBe('from mail.adatum.com (127.0.1.1) by mail.treyresearch.net (127.0.2.1) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) id 15.0.1497.2; Mon, 28 Aug 2006 22:37:53 +0000');
  });
});

/** A bare line client: sends one command, returns the whole (possibly multi-line) reply. */
async function rawSession(host: string, port: number, localAddress: string) {
  const socket = net.connect({ host, port, localAddress });
  let buffer = '';
  let waiting: ((reply: string) => void) | undefined;
  const deliver = () => {
    if (!waiting || !/(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(buffer)) return;
    const reply = buffer.replace(/\r\n$/, '');
    const w = waiting;
    buffer = '';
    waiting = undefined;
    w(reply);
  };
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => { buffer += d; deliver(); });
  const next = () => new Promise<string>((resolve) => { waiting = resolve; deliver(); });
  const greetingLine = await next();
  return {
    greeting: greetingLine,
    send(line: string): Promise<string> {
      const p = next();
      socket.write(`${line}\r\n`);
      return p;
    },
    close: () => new Promise<void>((resolve) => { if (socket.destroyed) resolve(); else { socket.once('close', () => resolve()); socket.destroy(); } }),
  };
}

describe('the dialogue a raw client sees', () => {
  let sim: Simulation | undefined;
  afterEach(async () => { await sim?.stop(); sim = undefined; });

  it.each(['2010', '2007'])(
    'Exchange %s: out of sequence, unknown, RSET, NOOP, HELP, QUIT', async (version) => {
      sim = await Simulation.start({ seed: 'dialogue-test' });
      const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
      b.model.transport.setSettings({ exchangeVersion: version as ExchangeVersion });
      const s = await rawSession(b.edge().address, b.edge().port, a.edge().address);
      try {
        const build = version === '2007' ? ', Version: 8.0.647.0' : '';
        expect(s.greeting).toBe(`220 mail.woodgrovebank.com Microsoft ESMTP MAIL Service${build} ready at Mon, 2 Mar 2026 09:00:00 +0000`);
        const replies: string[] = [];
        for (const c of ['MAIL FROM:<ann@fabrikam.com>', 'XYZZY', 'EHLO', 'EHLO mail.fabrikam.com', 'RCPT TO:<bob@woodgrovebank.com>', 'DATA', 'NOOP', 'HELP',
          'VRFY bob', 'AUTH LOGIN', 'WIZ', 'KILL', 'MAIL FROM:<>', 'MAIL FROM:<>', 'RSET', 'RCPT TO:<bob@woodgrovebank.com>', 'QUIT']) replies.push(await s.send(c));
        expect(replies).toEqual([
          '503 5.5.2 Send hello first',
          '500 5.3.3 Unrecognized command',
          '501 5.5.4 Invalid domain name',
          ['250-mail.woodgrovebank.com Hello [127.0.1.1]', '250-SIZE 37748736', '250-PIPELINING', '250-DSN', '250-ENHANCEDSTATUSCODES', '250-STARTTLS', '250-AUTH', '250 8BITMIME'].join('\r\n'),
          '503 5.5.2 Need mail command',
          '503 5.5.2 Need rcpt command',
          '250 2.0.0 OK',
          '214-This server supports the following commands:\r\n214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH',
          '500 5.3.3 Unrecognized command',
          '500 5.3.3 Unrecognized command',
          '500 5.3.3 Unrecognized command',
          '500 5.3.3 Unrecognized command',
          version === '2007' ? '250 2.1.0 <> Sender OK' : '250 2.1.0 Sender OK',
          '503 5.5.2 Sender already specified',
          '250 2.0.0 Resetting',
          '503 5.5.2 Need mail command',
          '221 2.0.0 Service closing transmission channel',
        ]);
      } finally {
        await s.close();
      }
    });

  it('answers MAIL and RCPT of an anonymous sender with Exchange\'s per-version words', async () => {
    sim = await Simulation.start({ seed: 'dialogue-test' });
    const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
    for (const [version, mail, rcpt] of [['2007', '250 2.1.0 lee@contoso.com Sender OK', '250 2.1.5 bob@woodgrovebank.com Recipient OK'], ['2016', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK']]) {
      b.model.transport.setSettings({ exchangeVersion: version as ExchangeVersion });
      const s = await rawSession(b.edge().address, b.edge().port, a.edge().address);
      try {
        await s.send('EHLO mail.contoso.com');
        expect([await s.send('MAIL FROM:<lee@contoso.com>'), await s.send('RCPT TO:<bob@woodgrovebank.com>'), await s.send('DATA')])
          .toEqual([mail, rcpt, '354 Start mail input; end with <CRLF>.<CRLF>']);
        const queued = await s.send('Subject: hi\r\n\r\nhello\r\n.');
        expect(queued).toMatch(version === '2016'
          ? /^250 2\.6\.0 <[0-9a-f]{24}@woodgrovebank\.com> \[InternalId=\d+, Hostname=mail\.woodgrovebank\.com\] Queued mail for delivery$/
          : /^250 2\.6\.0 <[0-9a-f]{24}@woodgrovebank\.com> Queued mail for delivery$/);
        await s.send('QUIT');
      } finally {
        await s.close();
      }
    }
    await sim.settle();
    const received = b.mailbox('bob@woodgrovebank.com').map((m) => m.headers.find(([n]) => n === 'Received')?.[1]);
    expect(received).toEqual([
      'from mail.contoso.com (127.0.1.1) by mail.woodgrovebank.com (127.0.2.1) with Microsoft SMTP Server id 8.0.647.0; Mon, 2 Mar 2026 09:00:00 +0000',
      'from mail.contoso.com (127.0.1.1) by mail.woodgrovebank.com (127.0.2.1) with Microsoft SMTP Server id 15.1.2507.6; Mon, 2 Mar 2026 09:00:00 +0000',
    ]);
  });
});
