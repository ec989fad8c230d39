// Postfix's words → DS rule IDs, in one table (BoGo ErrorMap style); the reader adds the per-process context Postfix logs on earlier lines.
import type { DsReading } from '../peer.js';

export interface ErrorMapRow {
  /** Matches the line (or queue delay reason). */
  phrase: RegExp;
  /** When given, the row applies only if an earlier line of the same process/session matched it. */
  context?: RegExp;
  rule: string;
  outcome: DsReading['outcome'];
  note?: string;
}

const VERIFIED_TLS = /Verified TLS connection established to/;
const TLS_IN = /TLS connection established from/;
/** smtp(8) only: virtual(8) logs status=sent for local deliveries too. */
const SMTP_SENT = /postfix\/[a-z0-9-]+\[\d+\]: [0-9A-F]+: to=.*relay=(?!virtual|none).*status=sent/;

/** First matching row wins; rows with a context come before their context-free fallback. */
export const POSTFIX_ERROR_MAP: readonly ErrorMapRow[] = [
  // --- Send side: smtp(8) delivery status and the TLS lines before it ---
  { phrase: SMTP_SENT, context: VERIFIED_TLS, rule: 'DS-SEND-06', outcome: 'delivered', note: 'secure level: chain and name verified' },
  { phrase: SMTP_SENT, rule: 'DS-CONF-01', outcome: 'delivered', note: 'opportunistic TLS or plain text' },
  { phrase: /Server certificate not (verified|trusted)/, context: /hostname mismatch/, rule: 'DS-SEND-04', outcome: 'deferred' },
  { phrase: /Server certificate not (verified|trusted)/, rule: 'DS-SEND-05', outcome: 'deferred', note: 'untrusted issuer, expired or wrong usage' },
  { phrase: /TLS is required, but was not offered/, rule: 'DS-SEND-02', outcome: 'deferred' },
  { phrase: /Cannot start TLS: handshake failure|while performing the TLS handshake|TLS is required, but our TLS engine is unavailable/, rule: 'DS-SEND-03', outcome: 'deferred' },
  { phrase: /status=deferred \(The admin has temporarily disallowed this secure domain/, rule: 'DS-SEND-01', outcome: 'deferred' },
  { phrase: /status=(deferred|bounced).*(Connection refused|Connection timed out|connect to .* timed out)/, rule: 'DS-QUEUE-06', outcome: 'deferred' },
  // A partner's refusal, read on the sending side (the rule is the remote receiver's).
  { phrase: /status=(deferred|bounced).* said: 530 5\.7\.1 .*Not authenticated/, rule: 'DS-RECV-04', outcome: 'bounced', note: 'remote refused: no client certificate (or no TLS: DS-RECV-02)' },
  { phrase: /status=(deferred|bounced).* said: 454 4\.7\.5 /, rule: 'DS-RECV-06', outcome: 'deferred', note: 'remote refused our certificate (names: DS-RECV-05)' },
  { phrase: /status=expired|message expired|status=bounced .*(delivery temporarily suspended|Server certificate)/, rule: 'DS-QUEUE-05', outcome: 'bounced' },
  // --- Receive side: smtpd(8) replies at MAIL FROM, given by the DS policy service ---
  { phrase: /reject: MAIL from .*: 530 5\.7\.1 .*Not authenticated/, context: TLS_IN, rule: 'DS-RECV-04', outcome: 'rejected' },
  { phrase: /reject: MAIL from .*: 530 5\.7\.1 .*Not authenticated/, rule: 'DS-RECV-02', outcome: 'rejected' },
  { phrase: /reject: MAIL from .*: 454 4\.7\.5 .*Certificate validation failure/, context: /Untrusted TLS connection established from/, rule: 'DS-RECV-06', outcome: 'rejected' },
  { phrase: /reject: MAIL from .*: 454 4\.7\.5 .*Certificate validation failure/, rule: 'DS-RECV-05', outcome: 'rejected', note: 'chain verified, names do not cover the sender domain' },
  { phrase: /reject: MAIL from .*: 454 4\.7\.0 .*Temporary authentication failure/, rule: 'DS-RECV-03', outcome: 'rejected' },
  { phrase: /reject: MAIL from .*: 451 4\.7\.3 .*admin has temporarily disallowed/, rule: 'DS-RECV-01', outcome: 'rejected' },
  { phrase: /reject: MAIL from .*: 451 5\.7\.3 .*STARTTLS is required/, rule: 'DS-RECV-10', outcome: 'rejected' },
  { phrase: /reject: MAIL from .*: 550 5\.7\.1 .*Client does not have permissions/, rule: 'DS-RECV-09', outcome: 'rejected' },
  { phrase: /smtpd\[\d+\]: [0-9A-F]+: client=/, context: /Trusted TLS connection established from/, rule: 'DS-RECV-07', outcome: 'accepted', note: 'verified client certificate; Partner or Anonymous per the policy service' },
  { phrase: /smtpd\[\d+\]: [0-9A-F]+: client=/, rule: 'DS-RECV-07', outcome: 'accepted', note: 'anonymous' },
];

/** postfix/smtp[123] → "smtp[123]": lines of one process share context until a delivery status or a new connection. */
function processKey(line: string): string | undefined {
  return /postfix\/([a-z-]+\[\d+\])/.exec(line)?.[1];
}

/** Reads a whole log: each line that a row matches becomes a reading, with context from the same process. */
export function readPostfixLog(lines: readonly string[], map: readonly ErrorMapRow[] = POSTFIX_ERROR_MAP): DsReading[] {
  const context = new Map<string, string[]>();
  const out: DsReading[] = [];
  for (const line of lines) {
    const key = processKey(line) ?? '';
    if (/: connect from /.test(line)) context.set(key, []);
    const seen = context.get(key) ?? [];
    const row = map.find((r) => r.phrase.test(line) && (!r.context || seen.some((l) => r.context!.test(l))));
    if (row) out.push({ rule: row.rule, outcome: row.outcome, phrase: line, note: row.note });
    // A delivery status closes the smtp(8) attempt; the next one starts clean.
    context.set(key, /status=/.test(line) && key.startsWith('smtp[') ? [] : [...seen, line].slice(-20));
  }
  return out;
}

/** Reads one queue delay reason (postqueue -j), with the log lines of its last attempt as context when known. */
export function readPostfixReason(reason: string, contextLines: readonly string[] = []): DsReading | undefined {
  const line = `status=deferred (${reason})`;
  const row = POSTFIX_ERROR_MAP.find((r) => (r.phrase.test(line) || r.phrase.test(reason)) && (!r.context || contextLines.some((l) => r.context!.test(l))));
  return row ? { rule: row.rule, outcome: row.outcome, phrase: reason, note: row.note } : undefined;
}
