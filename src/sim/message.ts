// Messages as they travel: the outbound message a user submits and the delivered copy a mailbox holds (DS-RECV-08 headers).

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

/** Splits a raw message into unfolded headers and body. */
export function parseRaw(raw: string): { headers: [string, string][]; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: [string, string][] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && headers.length > 0) headers[headers.length - 1][1] += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) headers.push([line.slice(0, i), line.slice(i + 1).trim()]);
    }
  }
  return { headers, body };
}

export function serializeHeaders(headers: [string, string][]): string {
  return headers.map(([n, v]) => `${n}: ${v}`).join('\r\n');
}
