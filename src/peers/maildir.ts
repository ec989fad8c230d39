// Reads the peer's catch-all Maildir into delivered messages with the headers a recipient sees (DS-RECV-08 "Domain Secured").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerDelivered } from './peer.js';

/** Splits a message into unfolded headers (name lower-cased, every value kept) and the body. */
export function parseMessage(raw: string): { headers: [string, string][]; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const headers: [string, string][] = [];
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1][1] += ' ' + line.trim();
      continue;
    }
    const i = line.indexOf(':');
    if (i > 0) headers.push([line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()]);
  }
  return { headers, body };
}

function addressOnly(v: string): string {
  const m = /<([^>]*)>/.exec(v);
  return (m ? m[1] : v).trim();
}

/** One delivered file. Envelope recipients come from Delivered-To (Postfix) or Envelope-to (Exim). */
export function readDelivered(raw: string, receivedBy: string): PeerDelivered {
  const { headers } = parseMessage(raw);
  const first: Record<string, string> = {};
  for (const [k, v] of headers) if (!(k in first)) first[k] = v;
  const envelope = headers.filter(([k]) => k === 'delivered-to' || k === 'envelope-to').flatMap(([, v]) => v.split(',').map(addressOnly));
  const to = envelope.length > 0 ? [...new Set(envelope.map((a) => a.toLowerCase()))] : (first.to ?? '').split(',').map(addressOnly).filter(Boolean);
  const authAs = first['x-ms-exchange-organization-authas'];
  const authDomain = first['x-ms-exchange-organization-authdomain'];
  return {
    messageId: addressOnly(first['message-id'] ?? ''),
    from: addressOnly(first['return-path'] ?? first.from ?? ''),
    to,
    subject: first.subject ?? '',
    headers: first,
    raw,
    receivedBy,
    authAs: authAs === 'Partner' || authAs === 'Anonymous' ? authAs : undefined,
    authDomain,
    domainSecured: authAs === 'Partner' && Boolean(authDomain),
  };
}

/** Every message in new/ and cur/ of a Maildir, oldest file name first (Maildir names start with the delivery time). */
export function readMaildir(dir: string, receivedBy: string): PeerDelivered[] {
  const files: string[] = [];
  for (const sub of ['new', 'cur']) {
    try {
      for (const f of readdirSync(join(dir, sub))) files.push(join(dir, sub, f));
    } catch {
      // Nothing delivered yet: the directory appears with the first message.
    }
  }
  return files.sort((a, b) => a.split('/').pop()!.localeCompare(b.split('/').pop()!)).map((f) => readDelivered(readFileSync(f, 'latin1'), receivedBy));
}

export function mailboxOf(messages: PeerDelivered[], address: string): PeerDelivered[] {
  const a = address.toLowerCase();
  return messages.filter((m) => m.to.includes(a));
}

/** RFC 5322 text for a submission; the Message-ID is ours so the caller can find the message again. */
export function composeMessage(msg: { from: string; to: string[]; subject: string; body: string; headers?: Record<string, string> }, messageId: string, now: Date): string {
  const extra = Object.entries(msg.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return [
    `From: <${msg.from}>`, `To: ${msg.to.map((t) => `<${t}>`).join(', ')}`, `Subject: ${msg.subject}`, `Date: ${now.toUTCString()}`,
    `Message-ID: <${messageId}>`, ...extra, '', msg.body.replace(/\r?\n/g, '\n'), '',
  ].join('\n');
}
