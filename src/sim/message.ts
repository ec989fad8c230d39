// Messages as they travel: the outbound message a user submits and the delivered copy a mailbox holds (DS-RECV-08 headers).
import { detached } from './own-strings.js';

export interface OutboundMessage {
  messageId: string;
  from: string; // '' for the null sender (NDRs)
  to: string[];
  subject: string;
  raw: string; // RFC 5322 text, CRLF line ends
  submittedAt: number; // virtual ms
}

export interface DeliveredMessage {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  headers: [string, string][];
  body: string;
  raw: string;
  receivedBy: string; // FQDN of the edge that accepted it (or 'local')
  authAs?: 'Partner' | 'Anonymous';
  authDomain?: string;
  kind: 'mail' | 'ndr' | 'delay';
  at: string;
}

export function header(m: Pick<DeliveredMessage, 'headers'>, name: string): string | undefined {
  return m.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** "Domain Secured" exactly for AuthAs Partner with an AuthDomain (DS-RECV-08 model choice). */
export function isDomainSecured(m: DeliveredMessage): boolean {
  return header(m, 'X-MS-Exchange-Organization-AuthAs') === 'Partner' && !!header(m, 'X-MS-Exchange-Organization-AuthDomain');
}

export function buildRaw(o: { messageId: string; from: string; to: string[]; subject: string; body: string; date: Date; extraHeaders?: [string, string][] }): string {
  const lines = [
    `From: ${o.from || 'MAILER-DAEMON'}`,
    `To: ${o.to.join(', ')}`,
    `Subject: ${o.subject}`,
    `Date: ${o.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${o.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(o.extraHeaders ?? []).map(([n, v]) => `${n}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${o.body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

/**
 * Splits a raw message into unfolded headers and body. Any line end (CRLF, bare LF, bare CR) ends a header line, as
 * some mail readers take it: a header smuggled behind a bare LF or CR is a header here too, so it can be stripped.
 */
export function parseRaw(raw: string): { headers: [string, string][]; body: string } {
  const headers: [string, string][] = [];
  const lineEnd = /\r\n|\n|\r/g;
  let start = 0;
  let body = '';
  for (;;) {
    const m = lineEnd.exec(raw);
    const line = raw.slice(start, m ? m.index : raw.length);
    if (m && line === '') { body = raw.slice(m.index + m[0].length); break; }
    if (/^[ \t]/.test(line)) {
      // A continuation of the previous header; one before any header continues nothing and is dropped.
      if (headers.length > 0) headers[headers.length - 1]![1] += ` ${line.trim()}`;
    } else {
      const i = line.indexOf(':');
      // A line that is no header ends the header section without a blank line: it and the rest are body, not lost.
      if (i <= 0) { body = raw.slice(start); break; }
      headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
    if (!m) break;
    start = m.index + m[0].length;
  }
  return { headers, body };
}

function sameHeaders(a: readonly [string, string][], b: readonly [string, string][]): boolean {
  return a.length === b.length && a.every(([n, v], i) => n === b[i]![0] && v === b[i]![1]);
}

/**
 * The copy a mailbox keeps: `headers` and `body` read again from `raw` whenever they are asked for, when `raw` gives
 * back exactly the same ones (it does for every message the edges deliver; otherwise `m` is kept as it is). A mailbox
 * keeps every message for the lab's life, and the parsed headers and body beside the raw text were half of what a
 * long-running `lab up` added per message.
 */
export function keptMessage(m: DeliveredMessage): DeliveredMessage {
  const parsed = parseRaw(m.raw);
  if (parsed.body !== m.body || !sameHeaders(parsed.headers, m.headers)) return m;
  const raw = m.raw;
  const kept = { ...m }; // the same keys in the same order: JSON of a kept message is the JSON of `m`
  // Read from the received text, not from `raw`: held as they are, they would keep that text alive beside it.
  kept.messageId = detached(m.messageId);
  kept.subject = detached(m.subject);
  Object.defineProperty(kept, 'headers', { get: () => parseRaw(raw).headers, enumerable: true, configurable: true });
  Object.defineProperty(kept, 'body', { get: () => parseRaw(raw).body, enumerable: true, configurable: true });
  return kept;
}

export function serializeHeaders(headers: [string, string][]): string {
  return headers.map(([n, v]) => `${n}: ${v}`).join('\r\n');
}
