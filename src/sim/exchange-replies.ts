// Exchange's side of the SMTP dialogue, per modelled version (issue 11): the greeting, the EHLO reply, the queued reply,
// the Received header, and the table that replaces every text smtp-server would write with Exchange's wording and
// enhanced code. Sources per line are in docs/model-choices.md ("SMTP dialogue").
import type { ExchangeVersion } from '../orgs/index.js';
import { LIMIT_REPLIES, type LimitReply } from './limit-replies.js';

/** Build numbers a greeting (2007) or a Received header quotes: seed 004's 8.0.647.0, then one build per version. */
export const EXCHANGE_BUILD: Record<ExchangeVersion, string> = {
  '2007': '8.0.647.0', '2010': '14.3.123.4', '2013': '15.0.1497.2', '2016': '15.1.2507.6',
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `Mon, 28 Aug 2006 15:37:53 +0000`: seed 004's greeting date (day unpadded, numeric zone); the virtual clock is UTC. */
export function exchangeDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The 220 banner text (without the code). 2007 quotes its build (seed 004); 2010 and later do not. */
export function greeting(v: ExchangeVersion, fqdn: string, at: Date): string {
  return v === '2007'
    ? `${fqdn} Microsoft ESMTP MAIL Service, Version: ${EXCHANGE_BUILD[v]} ready at ${exchangeDate(at)}`
    : `${fqdn} Microsoft ESMTP MAIL Service ready at ${exchangeDate(at)}`;
}

export interface EhloFacts {
  fqdn: string;
  clientIp: string;
  /** The connector's MaxMessageSize in bytes. */
  size: number;
  /** STARTTLS is offered (a certificate for the FQDN, TLS in AuthMechanism, session not yet secure). */
  starttls: boolean;
  /** AuthMechanism includes TLS: Exchange then lists a bare `AUTH` (seed 004, before and after STARTTLS). */
  auth: boolean;
}

/**
 * The EHLO reply lines (without codes), in seed 004's order. BINARYMIME and CHUNKING, which Exchange lists last,
 * are left out: the simulated receiver has no BDAT, and Postfix or Exim would use it if offered (model-choices.md).
 */
export function ehloLines(f: EhloFacts): string[] {
  return [
    `${f.fqdn} Hello [${f.clientIp}]`, `SIZE ${f.size}`, 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES',
    ...(f.starttls ? ['STARTTLS'] : []), ...(f.auth ? ['AUTH'] : []), '8BITMIME',
  ];
}

/** The reply to the end of data: `2.6.0 <id> [InternalId=…, Hostname=…] Queued mail for delivery` from 2013 on. */
export function queuedReply(v: ExchangeVersion, o: { messageId: string; internalId: string; hostname: string }): string {
  if (v === '2013' || v === '2016') return `2.6.0 ${o.messageId} [InternalId=${o.internalId}, Hostname=${o.hostname}] Queued mail for delivery`;
  return `2.6.0 ${o.messageId} Queued mail for delivery`;
}

/** SChannel's protocol name in a Received header's `version=` (2013 on). */
function receivedTlsVersion(version: string): string {
  const m = /TLSv1\.(\d)/.exec(version);
  return m ? `TLS1_${m[1]}` : version;
}

/**
 * The Received header Exchange writes: `from <helo> (<ip>) by <fqdn> (<ip>) with Microsoft SMTP Server (TLS) id <build>;
 * <date>` (2007/2010), with `(version=TLS1_2, cipher=<IANA name>)` instead of `(TLS)` from 2013 on.
 */
export function receivedHeader(v: ExchangeVersion, o: {
  helo: string; clientIp: string; fqdn: string; serverIp: string; at: Date; tls?: { version: string; cipher: string };
}): string {
  const modern = v === '2013' || v === '2016';
  const via = !o.tls ? '' : modern ? ` (version=${receivedTlsVersion(o.tls.version)}, cipher=${o.tls.cipher})` : ' (TLS)';
  return `from ${o.helo} (${o.clientIp}) by ${o.fqdn} (${o.serverIp}) with Microsoft SMTP Server${via} id ${EXCHANGE_BUILD[v]}; ${exchangeDate(o.at)}`;
}

export interface ReplyFacts {
  version: ExchangeVersion;
  /** The address of the MAIL or RCPT command being answered (2007 repeats it). */
  address?: string;
}

interface ReplyRule {
  /** smtp-server's code and text (its own wording, see node_modules/smtp-server/lib/smtp-connection.js). */
  code: number;
  text: RegExp;
  /** smtp-server's status context, where one text answers two commands (`Accepted`). */
  context?: string;
  reply: (f: ReplyFacts) => [number, string];
}

/** The limit replies are written once, in limit-replies.ts, for the edge's own refusals and for smtp-server's. */
const limit = (r: LimitReply): [number, string] => [r.code, r.text];

const ADDR = (f: ReplyFacts) => (f.address === '' ? '<>' : f.address ?? '');

/** smtp-server's texts → Exchange's. Exact texts first; the `Error:` catch-alls per code last. */
export const REPLY_TABLE: readonly ReplyRule[] = [
  { code: 220, text: /^Ready to start TLS$/, reply: () => [220, '2.0.0 SMTP server ready'] },
  { code: 250, text: /^Accepted$/, context: 'MAIL_FROM_OK', reply: (f) => [250, f.version === '2007' ? `2.1.0 ${ADDR(f)} Sender OK` : '2.1.0 Sender OK'] },
  { code: 250, text: /^Accepted$/, context: 'RCPT_TO_OK', reply: (f) => [250, f.version === '2007' ? `2.1.5 ${ADDR(f)} Recipient OK` : '2.1.5 Recipient OK'] },
  { code: 354, text: /^End data with/, reply: () => [354, 'Start mail input; end with <CRLF>.<CRLF>'] },
  { code: 250, text: /^OK$/, reply: () => [250, '2.0.0 OK'] },
  { code: 250, text: /^Flushed$/, reply: () => [250, '2.0.0 Resetting'] },
  { code: 221, text: /^Bye$/, reply: () => [221, '2.0.0 Service closing transmission channel'] },
  { code: 500, text: /^Error: command not recognized$/, reply: () => [500, '5.3.3 Unrecognized command'] },
  { code: 421, text: /^Error: too many unrecognized commands$/, reply: () => [421, '4.7.0 Too many errors on this connection, closing transmission channel'] },
  { code: 503, text: /^Error: send HELO\/EHLO first$/, reply: () => [503, '5.5.2 Send hello first'] },
  { code: 503, text: /^Error: need MAIL command$/, reply: () => [503, '5.5.2 Need mail command'] },
  { code: 503, text: /^Error: need RCPT command$/, reply: () => [503, '5.5.2 Need rcpt command'] },
  { code: 503, text: /^Error: nested MAIL command$/, reply: () => [503, '5.5.2 Sender already specified'] },
  { code: 503, text: /^Error: TLS already active$/, reply: () => [503, '5.5.1 Bad sequence of commands'] },
  { code: 501, text: /^Error: Bad sender address syntax$/, reply: () => [501, '5.1.7 Invalid address'] },
  { code: 501, text: /^Error: Bad recipient address syntax$/, reply: () => [501, '5.1.3 Invalid address'] },
  { code: 501, text: /^Error: (syntax: (EHLO|LHLO) hostname|Syntax: HELO hostname|Bad hostname syntax)$/, reply: () => [501, '5.5.4 Invalid domain name'] },
  { code: 552, text: /^Error: message exceeds fixed maximum message size/, reply: () => limit(LIMIT_REPLIES.messageTooBig) },
  { code: 452, text: /^Error: too many recipients$/, reply: () => limit(LIMIT_REPLIES.tooManyRecipients) },
  { code: 421, text: /^Timeout - closing connection$/, reply: () => [451, '4.7.0 Timeout waiting for client input'] },
  { code: 421, text: /^(Server shutting down|HTTP requests not allowed|.* You talk too soon)$/, reply: () => limit(LIMIT_REPLIES.notAvailable) },
  { code: 451, text: /^Error: internal server error$/, reply: () => [451, '4.7.0 Temporary server error. Please try again later'] },
  { code: 530, text: /^REQUIRETLS /, reply: () => [501, '5.5.4 Invalid arguments'] },
  // Parameter errors (SIZE, BODY, RET, NOTIFY, ORCPT, duplicates, STARTTLS with an argument): one Exchange reply.
  { code: 501, text: /./, reply: () => [501, '5.5.4 Invalid arguments'] },
  { code: 421, text: /./, reply: () => limit(LIMIT_REPLIES.notAvailable) },
];

/** The table's rule for an smtp-server reply, if it has one. */
export function replyRule(code: number, text: string, context?: string): ReplyRule | undefined {
  return REPLY_TABLE.find((r) => r.code === code && r.text.test(text) && (!r.context || r.context === context));
}

const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3}(\s|$)/;

/**
 * The reply Exchange sends where smtp-server would send (code, text). Texts that already carry an enhanced code are
 * the harness's own (policy replies, the queued reply) and pass unchanged; an smtp-server text no rule knows gets
 * the class's generic Exchange reply rather than leaking smtp-server's wording.
 */
export function exchangeReply(code: number, text: string, context: string | undefined, f: ReplyFacts): [number, string] {
  if (ENHANCED.test(text)) return [code, text];
  const rule = replyRule(code, text, context);
  if (rule) return rule.reply(f);
  if (code >= 500) return [code, '5.5.1 Bad sequence of commands'];
  if (code >= 400) return [code, '4.3.2 Service not available'];
  return [code, '2.0.0 OK'];
}

/** HELP (RFC 5321 §4.1.1.8), as Exchange 2010 answers it, minus BDAT (not offered here). */
export const HELP_LINES = ['This server supports the following commands:', 'HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH'];

/** The parts of smtp-server's SMTPConnection that speakExchange() replaces or calls (lib/smtp-connection.js). */
interface SmtpServerConnection {
  secure: boolean;
  close(): void;
  hostNameAppearsAs: string | false;
  send(code: number, data: string | string[], context?: string | false): void;
  _onCommand(command: Buffer, callback?: () => void): void;
  _sendGreeting(): void;
  _resetSession(): void;
  handler_EHLO(command: Buffer, callback: () => void): void;
  handler_HELO(command: Buffer, callback: () => void): void;
  handler_HELP(command: Buffer, callback: () => void): void;
}

export interface DialogueOptions {
  version: ExchangeVersion;
  fqdn: string;
  clientIp: string;
  now: () => Date;
  size: number;
  starttls: boolean;
  auth: boolean;
}

/**
 * Makes one smtp-server connection speak Exchange: its greeting, EHLO/HELO and HELP replies are Exchange's, and every
 * other reply goes through exchangeReply(). smtp-server keeps the protocol state; only the words change.
 */
export function speakExchange(conn: unknown, o: DialogueOptions): void {
  const c = conn as SmtpServerConnection;
  const send = c.send.bind(c);
  const onCommand = c._onCommand.bind(c);
  let command = '';
  c._onCommand = (line, callback) => {
    command = (line ?? '').toString();
    onCommand(line, callback);
  };
  c.send = (code, data, context) => {
    if (Array.isArray(data)) return send(code, data, false);
    const address = /^(?:MAIL\s+FROM|RCPT\s+TO)\s*:\s*<?([^>\s]*)>?/i.exec(command)?.[1];
    const [code2, text] = exchangeReply(code, String(data ?? ''), typeof context === 'string' ? context : undefined, { version: o.version, address });
    send(code2, text, false);
    // smtp-server closes the connection after any 421; a 421 that Exchange words with another code still closes it.
    if (code === 421 && code2 !== 421) c.close();
  };
  c._sendGreeting = () => send(220, greeting(o.version, o.fqdn, o.now()), false);
  const hello = (extended: boolean) => (line: Buffer, callback: () => void) => {
    const parts = line.toString().trim().split(/\s+/);
    if (parts.length !== 2) {
      send(501, '5.5.4 Invalid domain name', false);
      return callback();
    }
    c.hostNameAppearsAs = parts[1].toLowerCase();
    c._resetSession(); // EHLO and HELO reset the transaction (RFC 5321 §4.1.4), as smtp-server's own handlers do
    const lines = ehloLines({ fqdn: o.fqdn, clientIp: o.clientIp, size: o.size, starttls: o.starttls && !c.secure, auth: o.auth });
    send(250, extended ? lines : lines[0], false);
    callback();
  };
  c.handler_EHLO = hello(true);
  c.handler_HELO = hello(false);
  c.handler_HELP = (_line, callback) => {
    send(214, HELP_LINES, false);
    callback();
  };
}
