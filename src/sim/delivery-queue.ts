// A delivery queue per next-hop domain (DS-QUEUE-01): its messages, status, retry bookkeeping and the sessions open to it.
import type { ClockTimer } from './clock.js';
import type { QueueSnapshot } from './evidence.js';
import type { OutboundMessage } from './message.js';

/** Ready to be dealt to a session; riding one now; or waiting for the queue's next retry (a deferral). */
export type ItemState = 'ready' | 'sending' | 'held';

/** When a submitter hears back: its message's own transaction answered, or the session that carried it closed. */
export type SettlePoint = 'transaction' | 'session';

export interface QueuedItem {
  message: OutboundMessage;
  recipients: string[];
  delayNotified: boolean;
  timers: ClockTimer[];
  state: ItemState;
  waiters: { at: SettlePoint; resolve: () => void }[];
}

export function queuedItem(message: OutboundMessage, recipients: string[], delayNotified: boolean): QueuedItem {
  return { message, recipients, delayNotified, timers: [], state: 'ready', waiters: [] };
}

/** Wakes whoever waits for `at` (a session's end also settles those waiting for the transaction). */
export function settleItem(it: QueuedItem, at: SettlePoint): void {
  const due = it.waiters.filter((w) => w.at === at || at === 'session');
  it.waiters = it.waiters.filter((w) => !due.includes(w));
  for (const w of due) w.resolve();
}

export class DeliveryQueue {
  status: QueueSnapshot['status'] = 'Ready';
  items: QueuedItem[] = [];
  lastError?: string;
  retryCount = 0;
  lastRetryTime?: number;
  nextRetryTime?: number;
  tlsDomain?: string;
  retryTimer?: ClockTimer;
  deliveryType: NonNullable<QueueSnapshot['deliveryType']> = 'DnsConnectorDelivery';
  /** Sessions open to this next hop now, with how many more messages each may still take (SmtpMaxMessagesPerConnection). */
  readonly sessions = new Map<number, { spare: number }>();
  /** A dealing is due on the next turn of the event loop (senders of this turn join it). */
  dealDue = false;
  #idle?: { promise: Promise<void>; resolve: () => void };

  constructor(readonly identity: string, readonly nextHopDomain: string, readonly edgeName: string) {}

  /** The item leaves the queue for good (delivered, returned or expired): its timers stop. */
  remove(it: QueuedItem): void {
    this.items = this.items.filter((x) => x !== it);
    for (const t of it.timers) t.cancel();
  }

  /** The first `limit` messages ready to be dealt, in queue order (a long queue is not scanned past what is needed). */
  ready(limit = Number.POSITIVE_INFINITY): QueuedItem[] {
    const out: QueuedItem[] = [];
    for (const it of this.items) {
      if (out.length >= limit) break;
      if (it.state === 'ready') out.push(it);
    }
    return out;
  }

  /** Resolves when no session is open and no dealing is due; undefined when idle already. */
  get busy(): Promise<void> | undefined {
    return this.#idle?.promise;
  }

  markBusy(): Promise<void> {
    if (!this.#idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => { resolve = r; });
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }

  /** True when the queue just went idle. */
  checkIdle(): boolean {
    if (!this.#idle || this.sessions.size > 0 || this.dealDue) return false;
    const { resolve } = this.#idle;
    this.#idle = undefined;
    resolve();
    return true;
  }

  snapshot(at: string): QueueSnapshot {
    return {
      at, identity: this.identity, deliveryType: this.deliveryType, nextHopDomain: this.nextHopDomain, status: this.status, messageCount: this.items.length,
      lastError: this.lastError, retryCount: this.retryCount,
      lastRetryTime: this.lastRetryTime === undefined ? undefined : new Date(this.lastRetryTime).toISOString(),
      nextRetryTime: this.nextRetryTime === undefined ? undefined : new Date(this.nextRetryTime).toISOString(),
      tlsDomain: this.tlsDomain,
    };
  }
}
