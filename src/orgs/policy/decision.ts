// A decision on the domain-secure path: what happens, the SMTP reply it implies, and the DS rule that decided it.

export interface SmtpReply {
  code: number;
  enhanced: string;
  text: string;
}

export type DecisionOutcome =
  | 'accept' // receiver: go on (anonymous)
  | 'partner' // receiver: go on as Partner (DS-RECV-07)
  | 'reject' // receiver: refuse MAIL FROM with `reply`
  | 'proceed' // sender: go on with the session
  | 'sent' // sender: domain-secured transfer succeeded
  | 'defer'; // sender: leave the message queued; `reply` is the attempt's error

export type CounterName =
  | 'Domain-Secured Messages Received'
  | 'Domain-Secured Messages Sent'
  | 'Domain-Secured Outbound Session Failures';

export interface Decision {
  rule: string; // DS-… ID from BEHAVIOUR.md
  outcome: DecisionOutcome;
  reason: string; // one sentence a person can read
  reply?: SmtpReply;
  authAs?: 'Partner' | 'Anonymous';
  authDomain?: string;
  /** DS-LOG-06 event id for failures. */
  event?: number;
  /** DS-LOG-03 information lines to write to the protocol log. */
  info?: string[];
  counter?: CounterName;
  /** Close the session after the reply (DS-RECV-09). */
  disconnect?: boolean;
  /** How the sender secures the session (domain-secure, opportunistic, RequireTLS). */
  tlsMode?: 'domain-secure' | 'opportunistic' | 'require-tls' | 'none';
}

export function formatReply(r: SmtpReply): string {
  return `${r.code} ${r.enhanced} ${r.text}`;
}

export const REPLIES = {
  adminDisallowed: { code: 451, enhanced: '4.7.3', text: 'The admin has temporarily disallowed this secure domain' },
  notAuthenticated: { code: 530, enhanced: '5.7.1', text: 'Not authenticated' },
  tempAuthFailure: { code: 454, enhanced: '4.7.0', text: 'Temporary authentication failure' },
  certValidation: { code: 454, enhanced: '4.7.5', text: 'Certificate validation failure' },
  noPermission: { code: 550, enhanced: '5.7.1', text: 'Client does not have permissions to submit to this server' },
  startTlsRequired: { code: 451, enhanced: '5.7.3', text: 'STARTTLS is required to send mail' },
  tlsTimedOut: { code: 421, enhanced: '4.4.1', text: 'Connection timed out' },
  tlsCertificateNameMissing: { code: 454, enhanced: '4.7.5', text: 'The certificate specified in TlsCertificateName of the SendConnector could not be found.' },
} as const satisfies Record<string, SmtpReply>;
