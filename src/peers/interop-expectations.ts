// The checked-in expectations for real MTAs (undici style): where an MTA cannot show or do what Exchange does, the divergence and its reason.
import type { PeerImplementation } from './peer.js';

export type InteropRole = 'receiver' | 'sender';

export interface InteropExpectation {
  implementation: PeerImplementation;
  role: InteropRole;
  rule: string;
  /** same = the documented outcome; divergent = a different but documented outcome; not-observable = the MTA cannot show it. */
  kind: 'same' | 'divergent' | 'not-observable';
  reason: string;
}

const POSTFIX_REPLY_TEXT = 'Postfix decorates access-policy replies: "530 5.7.1 <kim@adatum.com>: Sender address rejected: Not authenticated". '
  + 'Code, enhanced code and the Exchange text are the same; the sender-side outcome is unchanged.';

export const INTEROP_EXPECTATIONS: readonly InteropExpectation[] = [
  // --- Postfix as receiver ---
  { implementation: 'postfix', role: 'receiver', rule: 'DS-RECV-02', kind: 'divergent', reason: POSTFIX_REPLY_TEXT },
  { implementation: 'postfix', role: 'receiver', rule: 'DS-RECV-04', kind: 'divergent', reason: POSTFIX_REPLY_TEXT },
  { implementation: 'postfix', role: 'receiver', rule: 'DS-RECV-05', kind: 'divergent', reason: `${POSTFIX_REPLY_TEXT} Postfix tells a policy service only the subject CN of a verified client certificate, so DNS SANs are not seen: a partner whose CN does not cover its domain but whose SAN does is refused (Exchange accepts).` },
  { implementation: 'postfix', role: 'receiver', rule: 'DS-RECV-06', kind: 'divergent', reason: `${POSTFIX_REPLY_TEXT} Postfix withholds the names of an unverified certificate, so an untrusted certificate is always DS-RECV-06 (never DS-RECV-05), and its ChainStatus is reported as UntrustedRoot whatever OpenSSL disliked (issuer, dates, usage).` },
  { implementation: 'postfix', role: 'receiver', rule: 'DS-RECV-09', kind: 'divergent', reason: 'An access(5) action cannot close the session: Postfix sends the 550 5.7.1 reply but keeps the connection open.' },
  { implementation: 'postfix', role: 'receiver', rule: 'DS-LOG-05', kind: 'not-observable', reason: 'No MSExchange Secure Mail Transport counters in Postfix.' },
  { implementation: 'postfix', role: 'receiver', rule: 'DS-LOG-01', kind: 'not-observable', reason: 'Postfix writes its own maillog, not Exchange protocol logs; readings come from the error map.' },
  // --- Postfix as sender ---
  { implementation: 'postfix', role: 'sender', rule: 'DS-SEND-04', kind: 'divergent', reason: 'secure match=d:.d — Postfix\'s ".d" admits names any depth below d (a.mail.adatum.com), Exchange only one label. Deferred with "Server certificate not verified" (4.7.5), not "454 4.7.5 Certificate validation failure"; the log line "hostname mismatch" tells it from DS-SEND-05.' },
  { implementation: 'postfix', role: 'sender', rule: 'DS-SEND-05', kind: 'divergent', reason: 'Deferred with Postfix\'s "Server certificate not verified" (4.7.5) instead of Exchange\'s "454 4.7.5 Certificate validation failure"; same outcome (queued, never sent). OpenSSL checks the chain and dates; it does not insist on both serverAuth and clientAuth EKUs (DS-CERT-05).' },
  { implementation: 'postfix', role: 'sender', rule: 'DS-SEND-02', kind: 'divergent', reason: 'Deferred with "TLS is required, but was not offered by host" (4.7.4) instead of "451 5.7.3 STARTTLS is required to send mail"; same outcome.' },
  { implementation: 'postfix', role: 'sender', rule: 'DS-SEND-01', kind: 'same', reason: 'Rendered as a retry: transport with Exchange\'s 4.7.3 text: the message stays queued.' },
  { implementation: 'postfix', role: 'sender', rule: 'DS-QUEUE-03', kind: 'divergent', reason: 'Virtual time does not reach Postfix: retries follow minimal_backoff_time/queue_run_delay (rendered from the retry knob); Retry-Queue is postqueue -f.' },
  { implementation: 'postfix', role: 'sender', rule: 'DS-QUEUE-05', kind: 'divergent', reason: 'Runs on Postfix\'s clock with maximal_queue_lifetime = the lifetime knob (seconds, not 2 days); the NDR is Postfix\'s "Undelivered Mail Returned to Sender", not "550 4.4.7 QUEUE.Expired"; same outcome: returned, never dropped.' },
  { implementation: 'postfix', role: 'sender', rule: 'DS-QUEUE-02', kind: 'divergent', reason: 'LastError is Postfix\'s delay_reason, not Exchange\'s "451 4.4.0 Primary target IP address responded with…" wrapping; RetryCount is counted from the log.' },
  // --- Exim as receiver ---
  { implementation: 'exim', role: 'receiver', rule: 'DS-RECV-05', kind: 'same', reason: 'Exim hands the whole client leaf to the policy service (base64 of $tls_in_peercert), so CN and SANs are checked by src/ca.' },
  { implementation: 'exim', role: 'receiver', rule: 'DS-RECV-06', kind: 'same', reason: 'Exim verifies with GnuTLS (tls_try_verify_hosts); the policy service re-validates the client leaf with src/ca (dates, usage) for the ChainStatus, so a client certificate without clientAuth is refused like Exchange.' },
  { implementation: 'exim', role: 'receiver', rule: 'DS-LOG-05', kind: 'not-observable', reason: 'No MSExchange Secure Mail Transport counters in Exim.' },
  { implementation: 'exim', role: 'receiver', rule: 'DS-LOG-01', kind: 'not-observable', reason: 'Exim writes its own mainlog (the ACL logs the DS id); no Exchange protocol logs.' },
  // --- Exim as sender ---
  { implementation: 'exim', role: 'sender', rule: 'DS-SEND-04', kind: 'divergent', reason: 'The name rule runs in the policy service from the transport\'s tls:cert event (Exim would otherwise match the IP it connected to); the failure is a TLS handshake error in Exim\'s words, deferred, not Exchange\'s 454 4.7.5.' },
  { implementation: 'exim', role: 'sender', rule: 'DS-SEND-05', kind: 'divergent', reason: 'Deferred with "TLS session: (certificate verification failed)" instead of "454 4.7.5 Certificate validation failure"; same outcome for an untrusted chain. GnuTLS checks the serverAuth purpose only and the tls:cert hook checks names, not usage: a partner certificate without clientAuth (DS-CERT-05) is delivered to.' },
  { implementation: 'exim', role: 'sender', rule: 'DS-SEND-02', kind: 'divergent', reason: 'Deferred with "a TLS session is required, but the server did not offer TLS support" instead of "451 5.7.3 STARTTLS is required to send mail"; same outcome.' },
  { implementation: 'exim', role: 'sender', rule: 'DS-QUEUE-03', kind: 'divergent', reason: 'Virtual time does not reach Exim: retries follow the rendered retry rule (F,<lifetime>,<retry>) and the -q interval; Retry-Queue is exim -qff.' },
  { implementation: 'exim', role: 'sender', rule: 'DS-QUEUE-05', kind: 'divergent', reason: 'Runs on Exim\'s clock with the retry rule\'s cutoff = the lifetime knob; the NDR is Exim\'s "Mail delivery failed: returning message to sender", not "550 4.4.7 QUEUE.Expired"; same outcome.' },
  { implementation: 'exim', role: 'sender', rule: 'DS-QUEUE-02', kind: 'divergent', reason: 'LastError is the reason of the last "==" log line, not Exchange\'s wrapping.' },
];

export function expectationFor(implementation: PeerImplementation, role: InteropRole, rule: string): InteropExpectation {
  return INTEROP_EXPECTATIONS.find((e) => e.implementation === implementation && e.role === role && e.rule === rule)
    ?? { implementation, role, rule, kind: 'same', reason: 'The documented outcome.' };
}
