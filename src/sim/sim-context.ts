// What the running parts of one simulation share: clock, ids, DNS, network, CRL fetch and the evidence record.
import type { VirtualClock } from './clock.js';
import type { DnsZone } from './dns-zone.js';
import type { HopEvidence } from './evidence.js';
import type { SimNetwork } from './network.js';
import type { SeededIds } from './seeded-ids.js';

/** One inbound SMTP session as it ended: who connected, which receive connector took it, the deciding rule, the reply. */
export interface SessionSummary {
  at: string;
  /** Remote `address:port`, and the EHLO name the client gave. */
  remote: string;
  ehlo?: string;
  org: string;
  edge: string;
  /** The receive connector's identity (`EX1\From adatum.com`); absent when no connector took the session. */
  connector?: string;
  tls: boolean;
  /** Subject of the client certificate, when one was presented. */
  clientCertificate?: string;
  mailFrom?: string;
  /** The MAIL FROM decision (BEHAVIOUR §3): the DS rule, its outcome and reply. */
  decision?: { rule: string; outcome: string; reply?: string };
  /** The reply that settled the session: the refusal, or the last reply before QUIT. */
  reply?: string;
  /** The hop id and the sending organization/edge when one of the simulation's own edges opened the session. */
  hop?: string;
  from?: string;
}

export interface SimContext {
  clock: VirtualClock;
  ids: SeededIds;
  dns: DnsZone;
  network: SimNetwork;
  fetchCrl: (url: string, from: string) => Promise<Uint8Array>;
  /** The latest hops' evidence (HOPS_IN_MEMORY), in order: hop-record.ts keeps it. */
  evidence: HopEvidence[];
  /** How many hops were ever recorded (a cursor for `evidence` that survives its trimming). */
  hopsRecorded: number;
  /** Told of each hop once it is over (`lab up` appends it to evidence.json). */
  hopListeners: Set<(hop: HopEvidence) => void>;
  /** Hops by the client's wire endpoint `address:port`, so the receiving side can add its half. */
  openHops: Map<string, HopEvidence>;
  logRoot: string;
  nowIso(): string;
  /** Called as each inbound session ends (`lab up` prints a line per session). */
  sessionListeners: Set<(s: SessionSummary) => void>;
}
