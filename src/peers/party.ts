// The organization under test as a scenario sees it (DESIGN contract), whichever implementation plays it: a simulated organization or a real MTA.
import { DomsecError } from '../errors.js';
import type { Decision } from '../orgs/index.js';
import { header, isDomainSecured, type QueueSnapshot, type SimOrganization, type Simulation } from '../sim/index.js';
import { guardedAdapter, type MtaAdapter, runningPeerAdapter } from './mta-adapter.js';
import type { Implementation, Observation, PeerDelivered, RunningPeer } from './peer.js';

export interface PartyMessage {
  from: string;
  to: string;
  subject: string;
  body: string;
  headers?: [string, string][];
}

export interface PartyMail {
  messageId: string;
  subject: string;
  authAs?: string;
  authDomain?: string;
  domainSecured: boolean;
}

export interface PartyQueued {
  recipient: string;
  /** Exchange's LastError on a simulated edge; the MTA's own reason (delay_reason, Exim's "==" line) on a real one. */
  lastError: string;
}

/** A scenario's view of one organization: send, read mail, queues, decisions, logs, counters. */
export interface Party {
  readonly domain: string;
  readonly implementation: Implementation;
  /** Submits a message and resolves with its Message-ID once the first attempt is over (delivered, deferred or refused). */
  send(m: PartyMessage): Promise<string>;
  /** The mail `address` holds; waits (real time, bounded) until at least `atLeast` messages are there. */
  mail(address: string, atLeast?: number): Promise<PartyMail[]>;
  /** Messages still queued towards `domain`. */
  queued(domain: string): Promise<PartyQueued[]>;
  /** DS rules this organization's own decisions carried (receive side and send side), oldest first. */
  decisions(): Promise<string[]>;
  /** The log lines that show this organization verified the partner's client certificate (DS-RECV-07 on the receiver's side). */
  verifiedClientCertificate(partnerFqdn: string, partnerAddress: string): Promise<Observation<string[]>>;
  counters(): Observation<Record<string, number>>;
  /** Retry-Queue: an attempt now (a real MTA's own flush; virtual time never reaches it). */
  retryQueue(domain: string): Promise<void>;
  queueSnapshots(): Promise<QueueSnapshot[]>;
  /** Non-empty logs by name: `<org>/<edge>/Send|Receive` (protocol logs) or `<org>/<mta>/maillog`. */
  logs(): Promise<Record<string, string>>;
  /** Decisions that no hop carries: a real MTA's, taken by the project's policy service (a simulated edge's are in its hops). */
  unhoppedDecisions(): Decision[];
}

/** DS-LOG-06 event ids → the rule a simulated receiver or sender decided (BEHAVIOUR §6); probe sessions leave no hop, only events. */
const EVENT_RULES: Record<number, string> = {
  11012: 'DS-RECV-02', 11018: 'DS-RECV-03', 11017: 'DS-RECV-04', 11015: 'DS-RECV-05', 11011: 'DS-RECV-06',
  11014: 'DS-SEND-02', 11013: 'DS-SEND-03', 11016: 'DS-SEND-04', 11020: 'DS-SEND-05',
};

const POLL_MS = 50;
const MAIL_WAIT_MS = 8_000;

async function poll<T>(read: () => Promise<T> | T, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let v = await read();
  // A real MTA delivers after it answered; the simulated side can be waiting for one. Bounded, so a miss fails with the last reading.
  while (!done(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    v = await read();
  }
  return v;
}

function bare(id: string): string {
  return id.replace(/^<|>$/g, '');
}

export function simParty(sim: Simulation, org: SimOrganization): Party {
  const domain = org.name;
  return {
    domain, implementation: 'simulated',
    async send(m) {
      const id = await org.send({ from: m.from, to: [m.to], subject: m.subject, body: m.body, headers: m.headers });
      await sim.settle();
      return id;
    },
    async mail(address, atLeast = 0) {
      const read = () => org.mailbox(address).filter((x) => x.kind === 'mail').map((x): PartyMail => ({
        messageId: bare(x.messageId), subject: x.subject, authAs: header(x, 'X-MS-Exchange-Organization-AuthAs'),
        authDomain: header(x, 'X-MS-Exchange-Organization-AuthDomain'), domainSecured: isDomainSecured(x),
      }));
      return poll(read, (v) => v.length >= atLeast, MAIL_WAIT_MS);
    },
    async queued(to) {
      return org.messages().filter((x) => x.to.some((r) => r.toLowerCase().endsWith(`@${to.toLowerCase()}`)))
        .flatMap((x) => x.to.map((recipient) => ({ recipient, lastError: x.lastError ?? '' })));
    },
    async decisions() {
      // 'proceed' decisions are steps on the way (a check passed), not what the organization decided.
      const fromHops = sim.evidence.flatMap((h) => h.decisions
        .filter((d) => d.outcome !== 'proceed' && (d.rule.startsWith('DS-RECV') ? h.to.org === domain : d.rule.startsWith('DS-SEND') && h.from.org === domain))
        .map((d) => d.rule));
      // Sessions from a real MTA or a probe leave no hop: the events and the tracking log's 02P mark (DS-LOG-04) tell.
      const fromEvents = org.events().map((e) => EVENT_RULES[e.id]).filter((r): r is string => r !== undefined);
      const partnerReceives = org.trackingLog().filter((t) => t.eventId === 'RECEIVE' && t.messageInfo?.startsWith('02P:')).map(() => 'DS-RECV-07');
      return [...new Set([...fromHops, ...fromEvents, ...partnerReceives])];
    },
    async verifiedClientCertificate(partnerFqdn) {
      const lines = org.edge().protocolLog('Receive').split(/\r?\n/);
      const validated = lines.filter((l) => l.includes(',Validated received certificate') || l.includes(`CN=${partnerFqdn},Certificate subject`));
      return { observable: true, value: validated.some((l) => l.includes('Validated')) && validated.some((l) => l.includes(partnerFqdn)) ? validated : [] };
    },
    counters: () => ({ observable: true, value: { ...org.counters() } }),
    retryQueue: (to) => org.retryQueue(to).then(() => sim.settle()),
    queueSnapshots: async () => org.queues(),
    unhoppedDecisions: () => [],
    async logs() {
      const out: Record<string, string> = {};
      for (const e of org.model.edges) {
        for (const dir of ['Send', 'Receive'] as const) {
          const text = org.edge(e.name).protocolLog(dir);
          if (text.trim()) out[`${domain}/${e.name}/${dir}`] = text;
        }
      }
      return out;
    },
  };
}

/** What each MTA writes when it verified a client certificate (the "log shows the verified certificate" check). */
const VERIFIED_CLIENT_LOG: Record<RunningPeer['implementation'], (fqdn: string, address: string) => RegExp> = {
  postfix: (_fqdn, address) => new RegExp(`Trusted TLS connection established from \\S*\\[${address.replace(/\./g, '\\.')}\\]`),
  exim: (fqdn) => new RegExp(`<= \\S+ .*CV=yes DN="CN=${fqdn.replace(/\./g, '\\.')}"`),
};

/**
 * A real MTA playing `org`. `send` watches the simulated partner's mailbox and the MTA's queue to tell when the MTA's
 * own delivery attempt is over: it delivers after it accepted the submission.
 */
export function peerParty(sim: Simulation, org: SimOrganization, peer: RunningPeer, adapter: MtaAdapter = guardedAdapter(runningPeerAdapter(peer))): Party {
  const domain = org.name;
  // Mailbox, queue, log and readings come through the adapter contract like any outside MTA's: what it cannot answer
  // stops the step with the reason (never a pass, never an empty list that would read as "nothing there").
  const seen = <T>(o: Observation<T>): T => {
    if (!o.observable) throw new DomsecError('ERR_NOT_OBSERVABLE', o.reason, { implementation: peer.implementation });
    return o.value;
  };
  const toMail = (m: PeerDelivered): PartyMail => ({ messageId: bare(m.messageId), subject: m.subject, authAs: m.authAs, authDomain: m.authDomain, domainSecured: m.domainSecured });
  return {
    domain, implementation: peer.implementation,
    async send(m) {
      const id = bare(await peer.submit({ from: m.from, to: [m.to], subject: m.subject, body: m.body, headers: Object.fromEntries(m.headers ?? []) }));
      const rcptDomain = m.to.split('@')[1]?.toLowerCase() ?? '';
      const partner = sim.orgs.find((o) => o.model.domains.some((d) => d.toLowerCase() === rcptDomain));
      const arrived = () => partner?.mailbox(m.to).some((x) => bare(x.messageId) === id) ?? false;
      const deferred = async () => (await peer.queue()).some((e) => e.recipients.some((r) => r.address.toLowerCase() === m.to.toLowerCase() && r.delayReason));
      await poll(async () => arrived() || (await deferred()), Boolean, MAIL_WAIT_MS);
      await sim.settle();
      return id;
    },
    async mail(address, atLeast = 0) {
      return poll(async () => seen(await adapter.readMailbox(address)).map(toMail), (v) => v.length >= atLeast, MAIL_WAIT_MS);
    },
    async queued(to) {
      return (await peer.queue()).flatMap((e) => e.recipients.filter((r) => r.address.toLowerCase().endsWith(`@${to.toLowerCase()}`))
        .map((r) => ({ recipient: r.address, lastError: r.delayReason ?? '' })));
    },
    async decisions() {
      const policy = peer.policyRecords().map((r) => r.decision.rule);
      const read = seen(await adapter.readings()).map((r) => r.rule);
      return [...policy, ...read];
    },
    async verifiedClientCertificate(partnerFqdn, partnerAddress) {
      const re = VERIFIED_CLIENT_LOG[peer.implementation](partnerFqdn, partnerAddress);
      // The MTA may write the line a moment after the session ended.
      const lines = await poll(() => adapter.logLines(), (l) => !l.observable || l.value.some((x) => re.test(x)), 5_000);
      return lines.observable ? { observable: true, value: lines.value.filter((l) => re.test(l)) } : lines;
    },
    counters: () => peer.counters(),
    retryQueue: async () => {
      seen(await adapter.retry());
    },
    queueSnapshots: async () => seen(await adapter.queueState()),
    unhoppedDecisions: () => peer.policyRecords().map((r) => ({ ...r.decision, reason: `${peer.implementation} via the DS policy service (${r.stage}, ${r.sender ?? r.domain ?? ''}): ${r.decision.reason}` })),
    async logs() {
      const text = seen(await adapter.logLines()).join('\n');
      return text ? { [`${domain}/${peer.implementation}/maillog`]: text } : {};
    },
  };
}

/** Waits (bounded) until the party's decisions include every rule: a real MTA logs its decision a moment after it acted. */
export async function awaitDecisions(party: Party, rules: readonly string[], timeoutMs = 5_000): Promise<string[]> {
  return poll(() => party.decisions(), (seen) => rules.every((r) => seen.includes(r)), party.implementation === 'simulated' ? 0 : timeoutMs);
}
