// What a transport writes down and hands back locally: message tracking events, NDRs and delay notices, local delivery.
import { domainOf, type Organization } from '../orgs/index.js';
import { rebuiltRaw, withoutAuthHeaders } from './auth-headers.js';
import type { QueuedItem } from './delivery-queue.js';
import type { MailboxStore } from './mailbox-store.js';
import { buildRaw, type OutboundMessage } from './message.js';
import type { Observability } from './observability.js';
import type { SimContext } from './sim-context.js';

export type TrackingEventId = 'RECEIVE' | 'SEND' | 'DEFER' | 'FAIL' | 'DSN' | 'DELIVER';

export interface TrackingExtra {
  source?: 'SMTP' | 'STOREDRIVER' | 'DSN' | 'QUEUE';
  recipientStatus?: string;
  serverIp?: string;
  connectorId?: string;
  messageInfo?: string;
}

export class TransportRecords {
  constructor(
    private readonly ctx: SimContext,
    private readonly org: Organization,
    private readonly mailboxes: MailboxStore,
    private readonly obs: Observability,
  ) {}

  /** An NDR (or delay notice) naming only `failures`, each with its own reply. */
  ndr(it: QueuedItem, failures: { rcpt: string; reply: string }[], kind: 'ndr' | 'delay'): void {
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
    this.track('DSN', dsn, [m.from], { source: 'DSN', messageInfo: m.messageId, recipientStatus: reply });
    this.deliverLocal(m.from, dsn, kind);
  }

  deliverLocal(rcpt: string, m: OutboundMessage, kind: 'mail' | 'ndr' | 'delay'): void {
    // Intra-organization mail gets no Auth* headers of its own, and keeps none a user wrote (DS-RECV-08, issue 10).
    const { headers, body } = withoutAuthHeaders(m.raw);
    this.mailboxes.deliver(rcpt, {
      messageId: m.messageId, from: m.from, to: m.to, subject: m.subject, ...rebuiltRaw(headers, body), receivedBy: 'local', kind, at: this.ctx.nowIso(),
    });
    this.track('DELIVER', m, [rcpt], { source: 'STOREDRIVER' });
  }

  track(eventId: TrackingEventId, m: OutboundMessage, recipients: string[], extra: TrackingExtra): void {
    this.obs.track({
      dateTime: this.ctx.nowIso(), server: this.org.edges[0].fqdn, eventId, source: extra.source ?? 'SMTP', messageId: m.messageId,
      sender: m.from, recipients, subject: m.subject, recipientStatus: extra.recipientStatus, serverIp: extra.serverIp,
      connectorId: extra.connectorId, messageInfo: extra.messageInfo,
    });
  }
}
