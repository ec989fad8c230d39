// An edge organization's transport: submission, one queue per next hop, retries, delay notices and NDRs (DS-QUEUE-01…06).
import { domainOf, type Decision, type Organization } from '../orgs/index.js';
import { attemptDelivery } from './outbound-attempt.js';
import { DeliveryQueue, type QueuedItem } from './delivery-queue.js';
import type { QueueSnapshot } from './evidence.js';
import { type AttemptFailure, lastError } from './last-error.js';
import type { MailboxStore } from './mailbox-store.js';
import { rebuiltRaw, withoutAuthHeaders } from './auth-headers.js';
import { buildRaw, type OutboundMessage } from './message.js';
import type { Observability } from './observability.js';
import type { ProtocolLog } from './protocol-log.js';
import { nextRetryAt } from './retry-schedule.js';
import type { SimContext } from './sim-context.js';

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
  /** Set by a durable lab (`lab up`): called with the whole queue after every change, before the change is acted on. */
  onQueueChange?: (items: QueuedForJournal[]) => void;

  constructor(
    private readonly ctx: SimContext,
    private readonly org: Organization,
    private readonly mailboxes: MailboxStore,
    private readonly obs: Observability,
    private readonly sendLogs: (edgeName: string) => ProtocolLog,
  ) {}

  /** Places a message from a user of this organization; local recipients are delivered at once, the rest queued. */
  async submit(input: SubmitInput): Promise<string> {
    const messageId = this.ctx.ids.messageId(domainOf(input.from) ?? this.org.primaryDomain);
    const m: OutboundMessage = {
      messageId, from: input.from, to: input.to, subject: input.subject ?? '(no subject)', submittedAt: this.ctx.clock.nowMs(),
      raw: buildRaw({ messageId, from: input.from, to: input.to, subject: input.subject ?? '(no subject)', body: input.body ?? '', date: this.ctx.clock.now(), extraHeaders: input.headers }),
    };
    this.#track('RECEIVE', m, m.to, { source: 'STOREDRIVER' });
    const byDomain = new Map<string, string[]>();
    for (const rcpt of m.to) {
      const d = domainOf(rcpt) ?? this.org.primaryDomain;
      if (this.org.isAcceptedDomain(d)) this.#deliverLocal(rcpt, m, 'mail');
      else byDomain.set(d, [...(byDomain.get(d) ?? []), rcpt]);
    }
    const queues = [...byDomain].map(([d, rcpts]) => this.#enqueue(d, { message: m, recipients: rcpts, delayNotified: false, timers: [] }));
    this.#changed();
    await Promise.all(queues.map((q) => this.attempt(q)));
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
      const item: QueuedItem = { message: r.message, recipients: [...r.recipients], delayNotified: r.delayNotified, timers: [] };
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

  attempt(q: DeliveryQueue): Promise<void> {
    if (q.busy) return q.busy;
    if (q.items.length === 0) return Promise.resolve();
    q.retryTimer?.cancel();
    q.status = 'Active';
    q.busy = (async () => {
      // Messages submitted while a session was running ride the next session at once, not the retry timer.
      while (await this.#attempt(q));
    })().finally(() => { q.busy = undefined; });
    return q.busy;
  }

  /** One session for what is queued now; true when it delivered and more arrived meanwhile. */
  async #attempt(q: DeliveryQueue): Promise<boolean> {
    const edge = this.org.edge(q.edgeName);
    const items = [...q.items];
    const { outcome, hop } = await attemptDelivery({
      ctx: this.ctx, org: this.org, edge, sendLog: this.sendLogs(edge.name), domain: q.nextHopDomain,
      messages: items.map((i) => i.message), recipientsOf: (m) => items.find((i) => i.message === m)!.recipients,
      onDecision: (d) => this.#onDecision(d, edge.name),
    });
    const now = this.ctx.clock.nowMs();
    q.lastRetryTime = now;
    q.deliveryType = hop.from.connector && this.org.sendConnectors.find((c) => c.name === hop.from.connector)?.dnsRoutingEnabled === false ? 'SmartHostConnectorDelivery' : 'DnsConnectorDelivery';
    if (outcome.kind === 'deferred') {
      this.#scheduleRetry(q, hop.decisions.some((d) => d.tlsMode === 'domain-secure'), outcome.failure, now);
      for (const it of items) this.#track('DEFER', it.message, it.recipients, { recipientStatus: q.lastError, serverIp: hop.to.address });
      this.#changed();
      return false;
    }
    if (outcome.kind === 'failed') {
      for (const it of items) {
        this.#remove(q, it);
        this.#track('FAIL', it.message, it.recipients, { recipientStatus: outcome.reply, serverIp: hop.to.address });
        this.#ndr(it, it.recipients.map((rcpt) => ({ rcpt, reply: outcome.reply })), 'ndr');
      }
      this.#settled(q);
      return q.items.length > 0;
    }
    // Per recipient (issue 10): 250 → done for good, 5xx → that recipient alone in the NDR, 4xx → stays queued.
    let firstDeferral: string | undefined;
    for (const it of items) {
      const r = outcome.results.find((x) => x.messageId === it.message.messageId);
      if (!r) continue; // never reached in this session: stays queued as it is
      const has = (list: string[], rcpt: string) => list.some((a) => a.toLowerCase() === rcpt.toLowerCase());
      const ok = it.recipients.filter((rcpt) => has(r.accepted, rcpt));
      const bad = r.failed.filter((f) => has(it.recipients, f.rcpt) && !has(ok, f.rcpt));
      const later = r.deferred.filter((d) => has(it.recipients, d.rcpt) && !has(ok, d.rcpt));
      if (ok.length > 0) {
        this.#track('SEND', it.message, ok, { serverIp: hop.to.address, connectorId: hop.from.connector, recipientStatus: hop.reply });
        if (outcome.tlsDomain) this.obs.count('Domain-Secured Messages Sent');
      }
      if (bad.length > 0) {
        this.#track('FAIL', it.message, bad.map((b) => b.rcpt), { recipientStatus: bad[0].reply });
        this.#ndr(it, bad, 'ndr');
      }
      if (later.length > 0) {
        firstDeferral ??= later[0].reply;
        this.#track('DEFER', it.message, later.map((d) => d.rcpt), { recipientStatus: later[0].reply, serverIp: hop.to.address });
      }
      // Whatever neither got 250 nor a 5xx (a 4xx, or a recipient the server never answered) is still owed.
      it.recipients = it.recipients.filter((rcpt) => !has(ok, rcpt) && !bad.some((b) => b.rcpt.toLowerCase() === rcpt.toLowerCase()));
      if (it.recipients.length === 0) this.#remove(q, it);
    }
    q.tlsDomain = outcome.tlsDomain;
    const owed = items.some((it) => q.items.includes(it));
    if (owed || outcome.interrupted) {
      // Something from this session is still queued: the retry schedule takes over, never an immediate re-send.
      const failure = outcome.interrupted ?? { kind: 'reply' as const, reply: firstDeferral ?? '451 4.4.0 Recipients deferred', endpoint: hop.to.address ? `${hop.to.address}:${hop.to.port}` : undefined };
      this.#scheduleRetry(q, !!outcome.tlsDomain, failure, now);
      this.#changed();
      return false;
    }
    this.#settled(q);
    return q.items.length > 0;
  }

  /** The queue is Retry until nextRetryTime; TlsDomain names the domain while its delivery is domain-secured (DS-QUEUE-01). */
  #scheduleRetry(q: DeliveryQueue, domainSecure: boolean, failure: AttemptFailure, now: number): void {
    q.tlsDomain = domainSecure ? q.nextHopDomain : undefined;
    q.retryCount += 1;
    q.status = 'Retry';
    q.lastError = lastError(failure, this.org.transport.settings.exchangeVersion);
    q.nextRetryTime = nextRetryAt(now, q.retryCount, this.org.transport.settings);
    q.retryTimer = this.ctx.clock.schedule(q.nextRetryTime, () => this.attempt(q));
  }

  #settled(q: DeliveryQueue): void {
    q.status = q.items.length > 0 ? 'Retry' : 'Ready';
    q.retryCount = 0;
    q.lastError = undefined;
    q.nextRetryTime = undefined;
    this.#changed();
  }

  #onDecision(d: Decision, server: string): void {
    if (d.outcome !== 'defer') return;
    this.obs.count(d.counter);
    if (d.event) this.obs.event({ id: d.event, source: 'MSExchangeTransport', at: this.ctx.nowIso(), server, text: d.reason });
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

  #remove(q: DeliveryQueue, it: QueuedItem): void {
    q.items = q.items.filter((x) => x !== it);
    for (const t of it.timers) t.cancel();
  }

  /** DS-QUEUE-04: one delay notice per message after DelayNotificationTimeout. */
  #delayNotice(q: DeliveryQueue, it: QueuedItem): void {
    if (!q.items.includes(it) || it.delayNotified) return;
    it.delayNotified = true;
    const reply = `400 4.4.7 Message delayed${q.lastError ? `\r\nLast error: ${q.lastError}` : ''}`;
    this.#ndr(it, it.recipients.map((rcpt) => ({ rcpt, reply })), 'delay');
    this.#changed();
  }

  /** DS-QUEUE-05: the message leaves the queue and comes back to the sender; nothing is dropped silently. */
  #expire(q: DeliveryQueue, it: QueuedItem): void {
    if (!q.items.includes(it)) return;
    this.#remove(q, it);
    const reply = `550 4.4.7 QUEUE.Expired; message expired${q.lastError ? ` [Last error: ${q.lastError}]` : ''}`;
    this.#track('FAIL', it.message, it.recipients, { recipientStatus: reply });
    this.#ndr(it, it.recipients.map((rcpt) => ({ rcpt, reply })), 'ndr');
    if (q.items.length === 0) {
      q.retryTimer?.cancel();
      q.status = 'Ready';
      q.nextRetryTime = undefined;
    }
    this.#changed();
  }

  /** An NDR (or delay notice) naming only `failures`, each with its own reply. */
  #ndr(it: QueuedItem, failures: { rcpt: string; reply: string }[], kind: 'ndr' | 'delay'): void {
    const m = it.message;
    if (!m.from || !this.org.isAcceptedDomain(domainOf(m.from) ?? '')) return; // no bounce of a bounce, nor to outsiders
    const subject = kind === 'delay' ? `Delivery delayed:${m.subject}` : `Undeliverable: ${m.subject}`;
    const body = [
      kind === 'delay' ? 'Delivery is delayed to these recipients or groups:' : "Delivery has failed to these recipients or groups:",
      ...failures.map((f) => f.rcpt), '', 'Diagnostic information for administrators:', `Generating server: ${this.org.edges[0].fqdn}`,
      ...failures.map((f) => `${f.rcpt}\r\nRemote Server returned '${f.reply}'`), '', `Original message id: ${m.messageId}`,
    ].join('\r\n');
    const reply = failures[0]?.reply ?? '';
    const messageId = this.ctx.ids.messageId(this.org.primaryDomain);
    const raw = buildRaw({ messageId, from: `postmaster@${this.org.primaryDomain}`, to: [m.from], subject, body, date: this.ctx.clock.now() });
    const dsn: OutboundMessage = { messageId, from: '', to: [m.from], subject, raw, submittedAt: this.ctx.clock.nowMs() };
    this.#track('DSN', dsn, [m.from], { source: 'DSN', messageInfo: m.messageId, recipientStatus: reply });
    this.#deliverLocal(m.from, dsn, kind);
  }

  #deliverLocal(rcpt: string, m: OutboundMessage, kind: 'mail' | 'ndr' | 'delay'): void {
    // Intra-organization mail gets no Auth* headers of its own, and keeps none a user wrote (DS-RECV-08, issue 10).
    const { headers, body } = withoutAuthHeaders(m.raw);
    this.mailboxes.deliver(rcpt, {
      messageId: m.messageId, from: m.from, to: m.to, subject: m.subject, ...rebuiltRaw(headers, body), receivedBy: 'local', kind, at: this.ctx.nowIso(),
    });
    this.#track('DELIVER', m, [rcpt], { source: 'STOREDRIVER' });
  }

  #track(eventId: 'RECEIVE' | 'SEND' | 'DEFER' | 'FAIL' | 'DSN' | 'DELIVER', m: OutboundMessage, recipients: string[], extra: { source?: 'SMTP' | 'STOREDRIVER' | 'DSN' | 'QUEUE'; recipientStatus?: string; serverIp?: string; connectorId?: string; messageInfo?: string }): void {
    this.obs.track({
      dateTime: this.ctx.nowIso(), server: this.org.edges[0].fqdn, eventId, source: extra.source ?? 'SMTP', messageId: m.messageId,
      sender: m.from, recipients, subject: m.subject, recipientStatus: extra.recipientStatus, serverIp: extra.serverIp,
      connectorId: extra.connectorId, messageInfo: extra.messageInfo,
    });
  }

  /** Attempts in flight, for Simulation.settle(). */
  busy(): Promise<void>[] {
    return [...this.#queues.values()].flatMap((q) => (q.busy ? [q.busy] : []));
  }

  cancelAll(): void {
    for (const q of this.#queues.values()) {
      q.retryTimer?.cancel();
      for (const it of q.items) for (const t of it.timers) t.cancel();
    }
  }
}
