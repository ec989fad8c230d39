// Exim's words → DS rule IDs, in one table (BoGo ErrorMap style). The rendered ACL logs the policy's DS id itself, so most rows read it back.
import type { DsReading } from '../peer.js';
import type { ErrorMapRow } from '../postfix/postfix-error-map.js';

export const EXIM_ERROR_MAP: readonly ErrorMapRow[] = [
  // --- Receive side: the ACL's log_message starts with the DS id the policy service chose ---
  { phrase: /rejected MAIL <[^>]*>: (DS-RECV-\d\d) /, rule: '$1', outcome: 'rejected' },
  { phrase: /<= \S+ .*CV=yes/, rule: 'DS-RECV-07', outcome: 'accepted', note: 'verified client certificate; Partner or Anonymous per the policy service' },
  { phrase: /<= \S+ .*H=/, rule: 'DS-RECV-07', outcome: 'accepted', note: 'anonymous' },
  // --- Send side ---
  { phrase: /=> .*X=\S+ CV=yes/, rule: 'DS-SEND-06', outcome: 'delivered' },
  { phrase: /=> .* R=(route_\d+|default_route) .*H=/, rule: 'DS-CONF-01', outcome: 'delivered', note: 'opportunistic TLS or plain text' },
  { phrase: /SSL verify denied by event-action: depth=0: (DS-SEND-\d\d)/, rule: '$1', outcome: 'deferred' },
  { phrase: /a TLS session is required, but the server did not offer TLS support/, rule: 'DS-SEND-02', outcome: 'deferred' },
  { phrase: /TLS session: \(certificate verification failed\)/, rule: 'DS-SEND-05', outcome: 'deferred', note: 'untrusted issuer, expired or wrong usage' },
  { phrase: /TLS session: \((gnutls_handshake|SSL_connect)\)/, rule: 'DS-SEND-03', outcome: 'deferred' },
  { phrase: /defer .*The admin has temporarily disallowed this secure domain/, rule: 'DS-SEND-01', outcome: 'deferred' },
  { phrase: /defer .*Connection (refused|timed out)/, rule: 'DS-QUEUE-06', outcome: 'deferred' },
  { phrase: /SMTP error from remote mail server after MAIL FROM:.*: 530 5\.7\.1 /, rule: 'DS-RECV-04', outcome: 'bounced', note: 'remote refused: no client certificate (or no TLS: DS-RECV-02)' },
  { phrase: /SMTP error from remote mail server after MAIL FROM:.*: 454 4\.7\.5 /, rule: 'DS-RECV-06', outcome: 'deferred', note: 'remote refused our certificate (names: DS-RECV-05)' },
  { phrase: /retry timeout exceeded|Message is frozen|\*\* .*retry time not reached/, rule: 'DS-QUEUE-05', outcome: 'bounced' },
];

/** Reads Exim's mainlog. Rows whose rule is "$1" take the DS id written in the line itself. */
export function readEximLog(lines: readonly string[], map: readonly ErrorMapRow[] = EXIM_ERROR_MAP): DsReading[] {
  const out: DsReading[] = [];
  // The event-action denial and the handshake failure Exim logs right after it are one failure: the denial names the DS id.
  const denied = new Set<string>();
  for (const line of lines) {
    const id = /^\S+ \S+ ([0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2,4}) /.exec(line)?.[1] ?? '';
    const row = map.find((r) => r.phrase.test(line));
    if (!row) continue;
    if (/SSL verify denied/.test(line)) denied.add(id);
    else if (row.rule === 'DS-SEND-03' && denied.delete(id)) continue;
    const m = row.phrase.exec(line)!;
    out.push({ rule: row.rule === '$1' ? m[1] : row.rule, outcome: row.outcome, phrase: line, note: row.note });
  }
  return out;
}

export function readEximReason(reason: string): DsReading | undefined {
  return readEximLog([reason])[0];
}
