// The contract every real-MTA peer fulfils (DESIGN "Organization under test"): start from an Organization, send, read mailboxes, queues and logs, stop.
import type { Certificate, KeyedCertificate } from '../ca/index.js';
import type { Decision } from '../orgs/index.js';
import type { QueueSnapshot } from '../sim/evidence.js';

export type PeerImplementation = 'postfix' | 'exim';
export type Implementation = 'simulated' | PeerImplementation;

export interface Endpoint {
  address: string;
  port: number;
}

/** Knobs the MTA understands instead of the virtual clock (virtual time never reaches a real MTA). */
export interface MtaQueueKnobs {
  /** Seconds between retries of a deferred message. Default 2. */
  retrySeconds: number;
  /** Seconds before an undelivered message is returned to its sender. Default 3600. */
  lifetimeSeconds: number;
}

export interface PeerOptions {
  /**
   * Parent directory; the peer makes its own sub-directory there and removes it on stop (or interrupt). Default: the
   * system temp folder, whatever the checkout's path, so the MTA's Unix sockets stay under the 108-byte limit.
   */
  workDir?: string;
  /** Edge server of the organization this peer plays (name or FQDN); default the first edge. */
  edge?: string;
  /** Loopback address to listen on and send from; default the edge's address. Only 127.0.0.0/8. */
  address?: string;
  port: number;
  /** Where outbound mail for every non-local domain goes (normally the simulated partner edge). */
  relayHost?: Endpoint;
  /** Per-domain next hop, overriding relayHost. */
  routes?: Record<string, Endpoint>;
  /** The edge certificate (key + chain); default the edge store's choice for the FQDN (DS-CONF-07). */
  certificate?: KeyedCertificate;
  /** Roots this organization trusts; default organization.trustedRoots. */
  trustedRoots?: Certificate[];
  queue?: Partial<MtaQueueKnobs>;
  /** CRL fetcher for the DS policy service (DS-CERT-04), e.g. the simulation's; default: loopback URLs only, else RevocationOffline. */
  fetchCrl?: (url: string) => Promise<Uint8Array>;
  /** Keep the work directory after stop (debugging). */
  keepWorkDir?: boolean;
  /** How long to wait for the listener; default 10 s. */
  startTimeoutMs?: number;
}

export interface PeerMessage {
  from: string;
  to: string[];
  subject: string;
  body: string;
  headers?: Record<string, string>;
  messageId?: string;
}

/** A message the MTA delivered into the peer's Maildir, with its headers as the recipient sees them. */
export interface PeerDelivered {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  /** Header name (lower case) → first value, unfolded. */
  headers: Record<string, string>;
  raw: string;
  receivedBy: string;
  authAs?: 'Partner' | 'Anonymous';
  authDomain?: string;
  /** "Domain Secured" as a mail client shows it (DS-RECV-08 model choice). */
  domainSecured: boolean;
}

/** A DS reading of an MTA phrase (reply, log line, queue reason), from the per-MTA error map. */
export interface DsReading {
  rule: string;
  outcome: 'delivered' | 'deferred' | 'rejected' | 'accepted' | 'partner' | 'bounced';
  /** The MTA's words that were read. */
  phrase: string;
  note?: string;
}

export interface PeerQueueRecipient {
  address: string;
  delayReason?: string;
  reading?: DsReading;
}

export interface PeerQueueEntry {
  queueId: string;
  queue: 'active' | 'deferred' | 'hold' | 'incoming' | 'maildrop';
  sender: string;
  arrival: string; // ISO
  recipients: PeerQueueRecipient[];
  /** Delivery attempts seen in the MTA log for this message. */
  attempts: number;
}

/** One decision the project's DS policy service took for the MTA (the evidence behind a reply). */
export interface PolicyRecord {
  at: string; // ISO, wall clock: the MTA runs on real time
  implementation: PeerImplementation;
  stage: 'mail-from' | 'server-certificate';
  clientAddress?: string;
  sender?: string;
  domain?: string;
  decision: Decision;
  /** What the MTA told the policy service about TLS and the certificate. */
  certificate: string;
  /** The answer written back to the MTA. */
  answer: string;
}

/** What a real MTA can show. Anything else is reported not-observable, never passed. */
export type Observation<T> = { observable: true; value: T } | { observable: false; reason: string };

export interface RunningPeer {
  readonly implementation: PeerImplementation;
  readonly organization: string;
  readonly fqdn: string;
  readonly address: string;
  readonly port: number;
  readonly workDir: string;
  /** Milliseconds from start() to the listener accepting connections. */
  readonly startMs: number;
  /** Hand a message to the MTA for delivery (its own submission path, not SMTP). Resolves with the Message-ID. */
  submit(msg: PeerMessage): Promise<string>;
  mailbox(address: string): Promise<PeerDelivered[]>;
  queue(): Promise<PeerQueueEntry[]>;
  /** The queue grouped per next-hop domain in the shape the simulated edges use. */
  queues(): Promise<QueueSnapshot[]>;
  log(): Promise<string[]>;
  /** Log lines that the error map reads as DS outcomes, oldest first. */
  readings(): Promise<DsReading[]>;
  policyRecords(): readonly PolicyRecord[];
  /** Exchange counters do not exist in an MTA. */
  counters(): Observation<Record<string, number>>;
  /** Force an immediate delivery attempt of everything queued (Retry-Queue). */
  flush(): Promise<void>;
  /** Poll `probe` until it returns a value (not undefined) or the timeout passes. */
  waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export const DEFAULT_QUEUE_KNOBS: MtaQueueKnobs = { retrySeconds: 2, lifetimeSeconds: 3600 };
