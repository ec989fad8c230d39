// An edge organization's transport: submission, one queue per next hop, delay notices and expiry (DS-QUEUE-01…06).
import { domainOf, type Organization } from '../orgs/index.js';
import { DeliveryQueue, type QueuedItem, queuedItem, type SettlePoint, settleItem } from './delivery-queue.js';
import type { QueueSnapshot } from './evidence.js';
import type { MailboxStore } from './mailbox-store.js';
import { buildRaw, type OutboundMessage } from './message.js';
import { NextHopSessions } from './next-hop-sessions.js';
import type { Observability } from './observability.js';
import type { ProtocolLog } from './protocol-log.js';
import type { SimContext } from './sim-context.js';
import { TransportRecords } from './transport-records.js';

export interface SubmitInput {
  from: string;
  to: string[];
  subject?: string;
  body?: string;
  headers?: [string, string][];
}

/** A queued message for one next hop, as a durable lab writes it down (queue-journal.ts). */
export interface QueuedForJournal {
  domain: string;
  message: OutboundMessage;
  recipients: string[];
  delayNotified: boolean;
}

export class TransportService {
  #queues = new Map<string, DeliveryQueue>();
  #queueNumber = 0;
  readonly #records: TransportRecords;
  readonly #sessions: NextHopSessions;
  /** Set by a durable lab (`lab up`): called with the whole queue after every change, before the change is acted on. */
  onQueueChange?: (items: QueuedForJournal[]) => void;

  constructor(
    private readonly ctx: SimContext,
    private readonly org: Organization,
    mailboxes: MailboxStore,
    obs: Observability,
    sendLogs: (edgeName: string) => ProtocolLog,
  ) {
    this.#records = new TransportRecords(ctx, org, mailboxes, obs);
    this.#sessions = new NextHopSessions(ctx, org, obs, this.#records, sendLogs, () => this.#changed());
  }

  /**
   * Places a message from a user of this organization; local recipients are delivered at once, the rest queued. Resolves
   * once the sessions that carried it have closed (`settleAt: 'session'`, so their logs are complete), or as soon as its own
   * transactions were answered (`'transaction'`: what a steady sender waits for while the connection is kept for others).
   */
  async submit(input: SubmitInput, o: { settleAt?: SettlePoint } = {}): Promise<string> {
    const messageId = this.ctx.ids.messageId(domainOf(input.from) ?? this.org.primaryDomain);
    const m: OutboundMessage = {
      messageId, from: input.from, to: input.to, subject: input.subject ?? '(no subject)', submittedAt: this.ctx.clock.nowMs(),
      raw: buildRaw({ messageId, from: input.from, to: input.to, subject: input.subject ?? '(no subject)', body: input.body ?? '', date: this.ctx.clock.now(), extraHeaders: input.headers }),
    };
    this.#records.track('RECEIVE', m, m.to, { source: 'STOREDRIVER' });
    const byDomain = new Map<string, string[]>();
    for (const rcpt of m.to) {
      const d = domainOf(rcpt) ?? this.org.primaryDomain;
      if (this.org.isAcceptedDomain(d)) this.#records.deliverLocal(rcpt, m, 'mail');
      else byDomain.set(d, [...(byDomain.get(d) ?? []), rcpt]);
    }
    const items = [...byDomain].map(([d, rcpts]) => ({ q: this.#enqueue(d, queuedItem(m, rcpts, false)) }));
    this.#changed();
    const settled = items.map(({ q }) => {
      const it = q.items[q.items.length - 1];
      return new Promise<void>((resolve) => it.waiters.push({ at: o.settleAt ?? 'session', resolve }));
    });
    for (const { q } of items) void this.attempt(q);
    await Promise.all(settled);
    return messageId;
  }

  #enqueue(domain: string, item: QueuedItem): DeliveryQueue {
    const q = this.#queueFor(domain);
    const s = this.org.transport.settings;
    const m = item.message;
    if (!item.delayNotified) item.timers.push(this.ctx.clock.schedule(m.submittedAt + s.delayNotificationTimeout, () => this.#delayNotice(q, item)));
    item.timers.push(this.ctx.clock.schedule(m.submittedAt + s.messageExpirationTimeout, () => this.#expire(q, item)));
    q.items.push(item);
    return q;
  }

  /** What is queued now, per next hop and message, for the durable lab. */
  journalItems(): QueuedForJournal[] {
    return [...this.#queues.values()].flatMap((q) => q.items.map((it) => ({ domain: q.nextHopDomain, message: it.message, recipients: [...it.recipients], delayNotified: it.delayNotified })));
  }

  /**
   * Messages an earlier run of this lab had queued (queue-journal.ts), `submittedAt` already moved onto this run's
   * clock: each goes back to its queue and is tried at once; one whose lifetime has passed comes back as an NDR.
   */
  async recover(items: readonly QueuedForJournal[]): Promise<void> {
    const now = this.ctx.clock.nowMs();
    const expiry = this.org.transport.settings.messageExpirationTimeout;
    const queues = new Set<DeliveryQueue>();
    for (const r of items) {
      const item = queuedItem(r.message, [...r.recipients], r.delayNotified);
      const q = this.#enqueue(r.domain, item);
      if (r.message.submittedAt + expiry <= now) this.#expire(q, item);
      else queues.add(q);
    }
    this.#changed();
    await Promise.all([...queues].map((q) => this.attempt(q)));
  }

  #changed(): void {
    this.onQueueChange?.(this.journalItems());
  }

  queues(): QueueSnapshot[] {
    const at = this.ctx.nowIso();
    return [...this.#queues.values()].map((q) => q.snapshot(at));
  }

  messages(): { identity: string; messageId: string; from: string; to: string[]; subject: string; status: string; lastError?: string; queue: string }[] {
    return [...this.#queues.values()].flatMap((q) => q.items.map((it, n) => ({
      identity: `${q.identity}\\${n + 1}`, messageId: it.message.messageId, from: it.message.from, to: it.recipients,
      subject: it.message.subject, status: q.status === 'Retry' ? 'Retry' : 'Ready', lastError: q.lastError, queue: q.identity,
    })));
  }

  /** Retry-Queue: an attempt now, whatever the schedule says (DS-QUEUE-03). */
  async retry(identity?: string): Promise<void> {
    const targets = [...this.#queues.values()].filter((q) => !identity || q.identity.toLowerCase() === identity.toLowerCase() || q.nextHopDomain === identity.toLowerCase());
    await Promise.all(targets.map((q) => this.attempt(q)));
  }

  /** An attempt now for what the queue holds; resolves when no session to that next hop is open any more. */
  attempt(q: DeliveryQueue): Promise<void> {
    return this.#sessions.attempt(q);
  }

  #queueFor(domain: string): DeliveryQueue {
    let q = this.#queues.get(domain);
    if (!q) {
      const edge = this.org.edges[0];
      q = new DeliveryQueue(`${edge.name}\\${++this.#queueNumber}`, domain, edge.name);
      this.#queues.set(domain, q);
    }
    return q;
  }

  /** DS-QUEUE-04: one delay notice per message after DelayNotificationTimeout. */
  #delayNotice(q: DeliveryQueue, it: QueuedItem): void {
    if (!q.items.includes(it) || it.delayNotified) return;
    it.delayNotified = true;
    const reply = `400 4.4.7 Message delayed${q.lastError ? `\r\nLast error: ${q.lastError}` : ''}`;
    this.#records.ndr(it, it.recipients.map((rcpt) => ({ rcpt, reply })), 'delay');
    this.#changed();
  }

  /** DS-QUEUE-05: the message leaves the queue and comes back to the sender; nothing is dropped silently. */
  #expire(q: DeliveryQueue, it: QueuedItem): void {
    if (!q.items.includes(it)) return;
    q.remove(it);
    settleItem(it, 'session');
    const reply = `550 4.4.7 QUEUE.Expired; message expired${q.lastError ? ` [Last error: ${q.lastError}]` : ''}`;
    this.#records.track('FAIL', it.message, it.recipients, { recipientStatus: reply });
    this.#records.ndr(it, it.recipients.map((rcpt) => ({ rcpt, reply })), 'ndr');
    if (q.items.length === 0) {
      q.retryTimer?.cancel();
      q.retryTimer = undefined;
      q.status = 'Ready';
      q.nextRetryTime = undefined;
    }
    this.#changed();
  }

  /** Attempts in flight, for Simulation.settle(). */
  busy(): Promise<void>[] {
    return [...this.#queues.values()].flatMap((q) => (q.busy ? [q.busy] : []));
  }

  cancelAll(): void {
    this.#sessions.stop();
    for (const q of this.#queues.values()) {
      q.retryTimer?.cancel();
      for (const it of q.items) for (const t of it.timers) t.cancel();
    }
  }
}
