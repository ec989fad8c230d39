// Sessions to next hops (DS-QUEUE-01…03): dealt per queue up to the connection caps, kept for follow-on messages, settled per message.
import { chooseSendConnector, type Decision, type Organization } from '../orgs/index.js';
import type { DeliveryQueue, QueuedItem } from './delivery-queue.js';
import { settleItem } from './delivery-queue.js';
import type { HopEvidence } from './evidence.js';
import { type AttemptFailure, lastError } from './last-error.js';
import type { Observability } from './observability.js';
import { attemptDelivery, type AttemptOutcome, type MessageResult } from './outbound-attempt.js';
import type { ProtocolLog } from './protocol-log.js';
import { nextRetryAt } from './retry-schedule.js';
import { dealSessions } from './session-dealing.js';
import type { SimContext } from './sim-context.js';
import type { TransportRecords } from './transport-records.js';

/** What one session carried and what it left owed. */
interface SessionState {
  carried: QueuedItem[];
  /** SmtpMaxMessagesPerConnection minus what the session took so far; 0 once it is about to QUIT. */
  spare: number;
  /** The first 4xx a recipient of this session got: the queue's LastError when it goes to Retry. */
  firstDeferral?: string;
}

export class NextHopSessions {
  /**
   * The session that took each item last. An item one session deferred (4xx) can be made ready again by a new
   * submission's attempt while that session is still open, and taken by another: only its latest taker may hand it
   * back to the queue at its end, or two sessions send it at once and the recipient gets it twice.
   */
  #takenBy = new WeakMap<QueuedItem, SessionState>();

  /** Sessions open from this server (MaxOutboundConnections). */
  #open = 0;
  #sessionNumber = 0;
  /** Queues with ready messages that met MaxOutboundConnections: dealt again as soon as any session ends. */
  #waiting = new Set<DeliveryQueue>();
  #stopped = false;

  constructor(
    private readonly ctx: SimContext,
    private readonly org: Organization,
    private readonly obs: Observability,
    private readonly records: TransportRecords,
    private readonly sendLogs: (edgeName: string) => ProtocolLog,
    private readonly changed: () => void,
  ) {}

  /** An attempt now for everything the queue holds (submission, Retry-Queue, the retry timer); resolves when the queue is idle. */
  attempt(q: DeliveryQueue): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    q.retryTimer?.cancel();
    q.retryTimer = undefined;
    for (const it of q.items) if (it.state === 'held') it.state = 'ready';
    if (q.items.length === 0) return q.busy ?? Promise.resolve();
    q.status = 'Active';
    const idle = q.markBusy();
    this.#dealSoon(q);
    return idle;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Deals on the next turn of the event loop, so every message submitted in this turn is dealt with the others. */
  #dealSoon(q: DeliveryQueue): void {
    if (q.dealDue || this.#stopped) return;
    q.dealDue = true;
    q.markBusy();
    setImmediate(() => {
      q.dealDue = false;
      this.#deal(q);
      this.#whenIdle(q);
    });
  }

  #perConnection(q: DeliveryQueue): number {
    const edge = q.edgeName;
    const c = chooseSendConnector(this.org.sendConnectors.filter((x) => x.sourceServers.length === 0 || x.sourceServers.includes(edge)), q.nextHopDomain);
    return c?.smtpMaxMessagesPerConnection ?? 20;
  }

  #deal(q: DeliveryQueue): void {
    if (this.#stopped) return;
    const s = this.org.transport.settings;
    const per = this.#perConnection(q);
    const spare = [...q.sessions.values()].reduce((n, x) => n + x.spare, 0);
    const globalFree = s.maxOutboundConnections - this.#open;
    // No more than the new sessions could take: a queue of thousands is not scanned whole for each session that ends.
    const ready = q.ready(spare + per * Math.max(0, Math.min(s.maxPerDomainOutboundConnections - q.sessions.size, globalFree)) + 1);
    if (ready.length === 0) return;
    const sizes = dealSessions(ready.length, { perConnection: per, perDomainFree: s.maxPerDomainOutboundConnections - q.sessions.size, globalFree, spare });
    let at = 0;
    for (const n of sizes) this.#open1(q, ready.slice(at, (at += n)), per);
    if (this.#open >= s.maxOutboundConnections && at < ready.length - spare) this.#waiting.add(q);
  }

  #open1(q: DeliveryQueue, batch: QueuedItem[], per: number): void {
    const id = ++this.#sessionNumber;
    const state: SessionState = { carried: [...batch], spare: per - batch.length };
    for (const it of batch) { it.state = 'sending'; this.#takenBy.set(it, state); }
    q.sessions.set(id, state);
    this.#open += 1;
    q.markBusy();
    void this.#session(q, state, per)
      .catch((e: unknown) => {
        // A harness fault, not a delivery outcome: what the session carried waits for the retry, nothing is lost.
        this.#hold(q, state.carried.filter((it) => this.#takenBy.get(it) === state));
        this.#scheduleRetry(q, false, { kind: 'local', reply: `451 4.4.0 ${e instanceof Error ? e.message : String(e)}` }, this.ctx.clock.nowMs());
      })
      .finally(() => {
        q.sessions.delete(id);
        this.#open -= 1;
        for (const it of state.carried) settleItem(it, 'session');
        if (q.ready(1).length > 0) this.#dealSoon(q);
        const waiting = [...this.#waiting];
        this.#waiting.clear();
        for (const w of waiting) this.#dealSoon(w);
        this.#whenIdle(q);
      });
  }

  async #session(q: DeliveryQueue, state: SessionState, per: number): Promise<void> {
    const edge = this.org.edge(q.edgeName);
    const itemOf = (m: { messageId: string }) => state.carried.find((it) => it.message === m || it.message.messageId === m.messageId)!;
    const { outcome, hop } = await attemptDelivery({
      ctx: this.ctx, org: this.org, edge, sendLog: this.sendLogs(edge.name), domain: q.nextHopDomain,
      messages: state.carried.map((i) => i.message), recipientsOf: (m) => itemOf(m).recipients,
      onDecision: (d) => this.#onDecision(d, edge.name),
      onResult: (r, h) => this.#applyResult(q, itemOf(r), r, h, state),
      more: (carried) => this.#followOns(q, state, per, carried),
    });
    this.#finish(q, state, outcome, hop);
  }

  /** The kept connection's next messages: after this turn's submissions, what is ready, up to SmtpMaxMessagesPerConnection. */
  async #followOns(q: DeliveryQueue, state: SessionState, per: number, carried: number): Promise<QueuedItem['message'][]> {
    if (carried < per && !this.#stopped) await new Promise<void>((resolve) => setImmediate(resolve));
    const take = this.#stopped || carried >= per ? [] : q.ready(per - carried);
    for (const it of take) { it.state = 'sending'; this.#takenBy.set(it, state); }
    state.carried.push(...take);
    // No messages: the session QUITs now (no idle connections), so it promises no more room.
    state.spare = take.length === 0 ? 0 : per - carried - take.length;
    return take.map((it) => it.message);
  }

  /** Per recipient (issue 10): 250 → done for good, 5xx → that recipient alone in the NDR, 4xx → held for the retry. */
  #applyResult(q: DeliveryQueue, it: QueuedItem, r: MessageResult, hop: HopEvidence, state: SessionState): void {
    if (!q.items.includes(it)) return;
    const has = (list: string[], rcpt: string) => list.some((a) => a.toLowerCase() === rcpt.toLowerCase());
    const ok = it.recipients.filter((rcpt) => has(r.accepted, rcpt));
    const bad = r.failed.filter((f) => has(it.recipients, f.rcpt) && !has(ok, f.rcpt));
    const later = r.deferred.filter((d) => has(it.recipients, d.rcpt) && !has(ok, d.rcpt));
    if (ok.length > 0) {
      this.records.track('SEND', it.message, ok, { serverIp: hop.to.address, connectorId: hop.from.connector, recipientStatus: hop.reply });
      if (hop.decisions.some((d) => d.outcome === 'sent')) this.obs.count('Domain-Secured Messages Sent');
    }
    if (bad.length > 0) {
      this.records.track('FAIL', it.message, bad.map((b) => b.rcpt), { recipientStatus: bad[0].reply });
      this.records.ndr(it, bad, 'ndr');
    }
    if (later.length > 0) {
      state.firstDeferral ??= later[0].reply;
      this.records.track('DEFER', it.message, later.map((d) => d.rcpt), { recipientStatus: later[0].reply, serverIp: hop.to.address });
    }
    // Whatever neither got 250 nor a 5xx (a 4xx, or a recipient the server never answered) is still owed.
    it.recipients = it.recipients.filter((rcpt) => !has(ok, rcpt) && !has(bad.map((b) => b.rcpt), rcpt));
    if (it.recipients.length === 0) q.remove(it);
    else if (later.length > 0) it.state = 'held';
    settleItem(it, 'transaction');
    this.changed();
  }

  #finish(q: DeliveryQueue, state: SessionState, outcome: AttemptOutcome, hop: HopEvidence): void {
    const now = this.ctx.clock.nowMs();
    q.lastRetryTime = now;
    q.deliveryType = hop.from.connector && this.org.sendConnectors.find((c) => c.name === hop.from.connector)?.dnsRoutingEnabled === false ? 'SmartHostConnectorDelivery' : 'DnsConnectorDelivery';
    const unsettled = state.carried.filter((it) => q.items.includes(it) && it.state === 'sending' && this.#takenBy.get(it) === state);
    if (outcome.kind === 'deferred') {
      this.#hold(q, unsettled);
      this.#scheduleRetry(q, hop.decisions.some((d) => d.tlsMode === 'domain-secure'), outcome.failure, now);
      for (const it of unsettled) this.records.track('DEFER', it.message, it.recipients, { recipientStatus: q.lastError, serverIp: hop.to.address });
    } else if (outcome.kind === 'failed') {
      for (const it of unsettled) {
        q.remove(it);
        this.records.track('FAIL', it.message, it.recipients, { recipientStatus: outcome.reply });
        this.records.ndr(it, it.recipients.map((rcpt) => ({ rcpt, reply: outcome.reply })), 'ndr');
      }
      this.#succeeded(q);
    } else {
      q.tlsDomain = outcome.tlsDomain;
      const progress = outcome.results.some((r) => r.accepted.length > 0);
      if (outcome.interrupted && !progress) {
        // Dropped before anything was accepted: the retry schedule takes over, never an immediate re-send.
        this.#hold(q, unsettled);
        this.#scheduleRetry(q, !!outcome.tlsDomain, outcome.interrupted, now);
      } else {
        // A kept connection dropped after progress, or a follow-on the configuration turned away: a new session at once.
        for (const it of unsettled) it.state = 'ready';
      }
      if (state.firstDeferral) {
        this.#scheduleRetry(q, !!outcome.tlsDomain, { kind: 'reply', reply: state.firstDeferral, endpoint: hop.to.address ? `${hop.to.address}:${hop.to.port}` : undefined }, now);
      } else if (!outcome.interrupted || progress) this.#succeeded(q);
    }
    this.changed();
  }

  #hold(q: DeliveryQueue, items: QueuedItem[]): void {
    for (const it of items) if (q.items.includes(it)) it.state = 'held';
  }

  /** The queue is Retry until nextRetryTime; TlsDomain names the domain while its delivery is domain-secured (DS-QUEUE-01). */
  #scheduleRetry(q: DeliveryQueue, domainSecure: boolean, failure: AttemptFailure, now: number): void {
    q.tlsDomain = domainSecure ? q.nextHopDomain : undefined;
    q.lastError = lastError(failure, this.org.transport.settings.exchangeVersion);
    q.status = 'Retry';
    // Several sessions of one attempt may fail: the attempt counts once and keeps the one timer.
    if (q.retryTimer || this.#stopped) return;
    q.retryCount += 1;
    q.nextRetryTime = nextRetryAt(now, q.retryCount, this.org.transport.settings);
    q.retryTimer = this.ctx.clock.schedule(q.nextRetryTime, () => this.attempt(q));
  }

  /** A session settled everything it carried: unless another session of this attempt deferred, the retry bookkeeping resets. */
  #succeeded(q: DeliveryQueue): void {
    if (q.retryTimer) return;
    q.retryCount = 0;
    q.lastError = undefined;
    q.nextRetryTime = undefined;
  }

  #whenIdle(q: DeliveryQueue): void {
    if (q.sessions.size > 0 || q.dealDue) return;
    if (q.items.length === 0) {
      q.retryTimer?.cancel();
      q.retryTimer = undefined;
      q.nextRetryTime = undefined;
    }
    q.status = q.retryTimer ? 'Retry' : 'Ready';
    q.checkIdle();
  }

  #onDecision(d: Decision, server: string): void {
    if (d.outcome !== 'defer') return;
    this.obs.count(d.counter);
    if (d.event) this.obs.event({ id: d.event, source: 'MSExchangeTransport', at: this.ctx.nowIso(), server, text: d.reason });
  }
}
