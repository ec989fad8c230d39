// What the running parts of one simulation share: clock, ids, DNS, network, CRL fetch and the evidence record.
import type { VirtualClock } from './clock.js';
import type { DnsZone } from './dns-zone.js';
import type { HopEvidence } from './evidence.js';
import type { SimNetwork } from './network.js';
import type { SeededIds } from './seeded-ids.js';

export interface SimContext {
  clock: VirtualClock;
  ids: SeededIds;
  dns: DnsZone;
  network: SimNetwork;
  fetchCrl: (url: string, from: string) => Promise<Uint8Array>;
  /** Every hop's evidence, in order. */
  evidence: HopEvidence[];
  /** Hops by the client's wire endpoint `address:port`, so the receiving side can add its half. */
  openHops: Map<string, HopEvidence>;
  logRoot: string;
  nowIso(): string;
}
