// Owns who may write the X-MS-Exchange-Organization-Auth* headers (DS-RECV-08): only the receiving edge's own decision.
import type { DeliveredMessage } from './message.js';
import { parseRaw, serializeHeaders } from './message.js';

/** The family DS-RECV-08 reserves to the receiving edge: AuthSource, AuthAs, AuthMechanism, AuthDomain and any other Auth*. */
const AUTH_HEADER = /^X-MS-Exchange-Organization-Auth/i;

export function isAuthHeader(name: string): boolean {
  return AUTH_HEADER.test(name.trim());
}

/**
 * The message's headers without any Auth* header, whatever line end hid it (parseRaw splits on CRLF, bare LF and bare
 * CR and unfolds continuations), plus the body. Used on every way in: SMTP from anywhere and local submission alike.
 */
export function withoutAuthHeaders(raw: string): { headers: [string, string][]; body: string } {
  const { headers, body } = parseRaw(raw);
  return { headers: headers.filter(([n]) => !isAuthHeader(n)), body };
}

/** A delivered copy whose headers are the given ones (raw rebuilt from them, CRLF line ends). */
export function rebuiltRaw(headers: [string, string][], body: string): Pick<DeliveredMessage, 'headers' | 'body' | 'raw'> {
  return { headers, body, raw: `${serializeHeaders(headers)}\r\n\r\n${body}` };
}
