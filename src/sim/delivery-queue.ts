// A delivery queue per next-hop domain (DS-QUEUE-01): its messages, status and retry bookkeeping.
import type { ClockTimer } from './clock.js';
import type { QueueSnapshot } from './evidence.js';
import type { OutboundMessage } from './message.js';

export interface QueuedItem {
  message: OutboundMessage;
  recipients: string[];
  delayNotified: boolean;
  timers: ClockTimer[];
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
  busy?: Promise<void>;
  deliveryType: NonNullable<QueueSnapshot['deliveryType']> = 'DnsConnectorDelivery';

  constructor(readonly identity: string, readonly nextHopDomain: string, readonly edgeName: string) {}

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
