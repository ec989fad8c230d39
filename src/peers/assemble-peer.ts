// The parts of a RunningPeer that do not depend on which MTA it is: queue snapshots, log, records, waiting and stopping.
import { readFileSync } from 'node:fs';
import type { Organization } from '../orgs/index.js';
import { removeInstanceDir } from './instance-dir.js';
import { pollUntil } from './mta-process.js';
import type { DsReading, PeerDelivered, PeerImplementation, PeerMessage, PeerQueueEntry, PolicyRecord, RunningPeer } from './peer.js';
import type { planPeer } from './peer-plan.js';
import { toQueueSnapshots } from './queue-snapshot.js';

/** A log or diagnostics file that may not exist yet reads as empty. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export interface PeerParts {
  implementation: PeerImplementation;
  label: string; // 'Postfix', 'Exim': for messages
  org: Organization;
  plan: ReturnType<typeof planPeer>;
  root: string;
  startMs: number;
  logFile: string;
  records: readonly PolicyRecord[];
  keepWorkDir?: boolean;
  /** What must end on stop(), in order: the MTA process, then the policy service. */
  process: { stop(): Promise<void> };
  policy: { close(): Promise<void> };
  submit(msg: PeerMessage): Promise<string>;
  mailbox(address: string): Promise<PeerDelivered[]>;
  queue(log: string[]): Promise<PeerQueueEntry[]>;
  readings(log: string[]): DsReading[];
  flush(): Promise<void>;
}

export function assemblePeer(x: PeerParts): RunningPeer {
  const log = async () => readText(x.logFile).split('\n').filter(Boolean);
  let stopped = false;
  const peer: RunningPeer = {
    implementation: x.implementation, organization: x.org.name, fqdn: x.plan.fqdn, address: x.plan.address, port: x.plan.port,
    workDir: x.root, startMs: x.startMs,
    submit: x.submit,
    mailbox: x.mailbox,
    queue: async () => x.queue(await log()),
    queues: async () => toQueueSnapshots(await peer.queue(), { fqdn: x.plan.fqdn, sendList: x.plan.sendList, at: new Date() }),
    log,
    readings: async () => x.readings(await log()),
    policyRecords: () => x.records,
    counters: () => ({ observable: false, reason: `${x.label} has no MSExchange Secure Mail Transport counters.` }),
    flush: x.flush,
    waitFor: (probe, timeoutMs = 15_000) => pollUntil(probe, timeoutMs, `the ${x.label} peer`, log),
    async stop() {
      if (stopped) return;
      stopped = true;
      await x.process.stop();
      await x.policy.close();
      if (!x.keepWorkDir) removeInstanceDir(x.root);
    },
  };
  return peer;
}
