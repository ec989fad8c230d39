// Evidence a hop leaves behind (DESIGN "Decision and evidence"): reports, doctor and assertions read this, nothing re-derives it.
import type { Decision } from '../orgs/index.js';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  thumbprint: string;
  names: string[];
  notBefore: string; // ISO
  notAfter: string; // ISO
  pem: string;
}

export interface TranscriptLine {
  at: string; // ISO, virtual clock
  dir: '>' | '<' | '*' | '+' | '-'; // as DS-LOG-02 events, seen from the side that recorded it
  text: string;
}

/** A decision as a hop records it: a follow-on message on a kept connection (SmtpMaxMessagesPerConnection) names itself. */
export type HopDecision = Decision & { followOn?: { messageId: string } };

export interface HopEvidence {
  id: string; // deterministic hop id, e.g. 'hop-3'
  sessionId: string; // 16 upper-case hex (DS-LOG-02), same id in both sides' protocol logs' context
  at: string; // ISO, virtual clock, when the attempt started
  from: { org: string; edge: string; fqdn: string; address: string; connector?: string };
  to: { org?: string; edge?: string; host: string; address: string; port: number; connector?: string };
  nextHopDomain: string;
  messageIds: string[];
  /** Client side's transcript (what the sender saw). */
  clientTranscript: TranscriptLine[];
  /** Server side's transcript, when the receiver is simulated. */
  serverTranscript: TranscriptLine[];
  tls?: { version: string; cipher: string; bits?: number };
  certificates: { client?: CertificateSummary; server?: CertificateSummary };
  /** Every decision of the session, in order; those for a follow-on message on a kept connection carry `followOn`. */
  decisions: HopDecision[];
  result: 'delivered' | 'deferred' | 'failed' | 'rejected';
  /** Final reply the sender recorded for this attempt (the queue's LastError is built from it). */
  reply?: string;
  network?: string[]; // network switches that applied (DS fault names)
}

export interface QueueSnapshot {
  at: string;
  identity: string;
  /** DS-QUEUE-01: DNS-routed next hops are `DnsConnectorDelivery`. */
  deliveryType?: 'DnsConnectorDelivery' | 'SmartHostConnectorDelivery';
  nextHopDomain: string;
  status: 'Active' | 'Ready' | 'Retry' | 'Suspended';
  messageCount: number;
  lastError?: string;
  retryCount: number;
  lastRetryTime?: string;
  nextRetryTime?: string;
  tlsDomain?: string;
}
