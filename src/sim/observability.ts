// Per-organization counters (DS-LOG-05), application events (DS-LOG-06) and message tracking log (DS-LOG-04).
import type { CounterName } from '../orgs/index.js';
import { detached } from './own-strings.js';
import { TrackingLog } from './tracking-log.js';

export const COUNTER_CATEGORY = 'MSExchange Secure Mail Transport';

export interface TransportEvent {
  id: number;
  source: 'MSExchangeTransport';
  at: string;
  server: string;
  text: string;
}

export type TrackingEventId = 'RECEIVE' | 'SEND' | 'DEFER' | 'FAIL' | 'DSN' | 'DELIVER' | 'SUBMIT';

export interface TrackingEntry {
  dateTime: string;
  server: string;
  eventId: TrackingEventId;
  source: 'SMTP' | 'STOREDRIVER' | 'DSN' | 'QUEUE';
  messageId: string;
  sender: string;
  recipients: string[];
  connectorId?: string;
  serverIp?: string;
  recipientStatus?: string;
  messageInfo?: string;
  subject?: string;
}

/** Events kept in memory (the latest); tracking entries: tracking-log.ts. */
export const OBSERVABILITY_MEMORY_ENTRIES = 10_000;

function keepLatest<T>(list: T[]): void {
  // Trimmed in steps of a fifth, so the copy is paid once per 2,000 entries.
  if (list.length > OBSERVABILITY_MEMORY_ENTRIES * 1.2) list.splice(0, list.length - OBSERVABILITY_MEMORY_ENTRIES);
}

export class Observability {
  readonly counters: Record<CounterName, number> = {
    'Domain-Secured Messages Received': 0,
    'Domain-Secured Messages Sent': 0,
    'Domain-Secured Outbound Session Failures': 0,
  };
  readonly events: TransportEvent[] = [];
  readonly #tracking = new TrackingLog();

  /**
   * The message tracking log's entries answered for (the latest 10,000 to 12,000), oldest first: a new array each call,
   * read in part from the tracking file of a durable lab (a method, not a property, since it reads the disk).
   */
  trackingEntries(): TrackingEntry[] {
    return this.#tracking.entries();
  }

  /** A durable lab's tracking file: only the latest entries stay in memory (tracking-log.ts). */
  keepTrackingOnDisk(file: string): void {
    this.#tracking.keepOnDisk(file);
  }

  count(name: CounterName | undefined): void {
    if (name) this.counters[name] += 1;
  }

  event(e: TransportEvent): void {
    this.events.push(e);
    keepLatest(this.events);
  }

  track(e: TrackingEntry): void {
    // Kept for the lab's life (up to the cap): its strings must not hold the message they were read from.
    e.messageId = detached(e.messageId);
    e.sender = detached(e.sender);
    e.recipients = e.recipients.map(detached);
    if (e.subject !== undefined) e.subject = detached(e.subject);
    this.#tracking.add(e);
  }

  /** The tracking log as Exchange writes it (`#Log-type: Message Tracking Log`). */
  trackingLogText(): string {
    const head = ['#Software: Microsoft Exchange Server', '#Version: 15.0.0.0', '#Log-type: Message Tracking Log',
      '#Fields: date-time,server-hostname,event-id,source,message-id,sender-address,recipient-address,connector-id,server-ip,recipient-status,message-info'];
    const rows = this.trackingEntries().map((t) => [t.dateTime, t.server, t.eventId, t.source, t.messageId, t.sender, t.recipients.join(';'),
      t.connectorId ?? '', t.serverIp ?? '', t.recipientStatus ?? '', t.messageInfo ?? ''].join(','));
    return [...head, ...rows].join('\r\n');
  }
}
