// Owns Get-Queue, Retry-Queue, Get-Message and Get-MessageTrackingLog, read from the injected runtime (DS-QUEUE-01, DS-LOG-04).
import { DomsecError } from '../../errors.js';
import type { Cmdlet, CmdletContext, ShellObject } from './cmdlet.js';
import { T } from './parameter-types.js';
import type { ShellRuntime } from './runtime.js';

/** The queue cmdlets read a running transport; the model alone has none, so say so instead of printing nothing. */
function need<K extends 'queues' | 'retryQueue' | 'messages' | 'trackingLog'>(ctx: CmdletContext, cmdlet: string, key: K): NonNullable<ShellRuntime[K]> {
  const f = ctx.runtime?.[key];
  if (!f) {
    throw new DomsecError('ERR_SHELL_RUNTIME', `${cmdlet} needs a running organization, and this shell only has its configuration. Run it in a lab shell (domsec lab) where queues and logs exist.`);
  }
  return f.bind(ctx.runtime) as NonNullable<ShellRuntime[K]>;
}

const matches = (identity: string, q: { identity: string; nextHopDomain: string }) =>
  q.identity.toLowerCase() === identity.toLowerCase() || q.nextHopDomain.toLowerCase() === identity.toLowerCase();

const getQueue: Cmdlet = {
  name: 'Get-Queue',
  params: [{ name: 'Identity', type: T.string, position: 0 }, { name: 'Server', type: T.string }],
  run: (a, ctx) => {
    const queues = need(ctx, 'Get-Queue', 'queues')().filter((q) => !a.Identity || matches(a.Identity as string, q));
    if (a.Identity && queues.length === 0) throw notFound(a.Identity as string);
    return queues.map((q): ShellObject => ({
      type: 'ExtensibleQueueInfo',
      props: {
        Identity: q.identity, DeliveryType: q.deliveryType ?? 'DnsConnectorDelivery', Status: q.status, MessageCount: q.messageCount,
        Velocity: 0, RiskLevel: 'Normal', OutboundIPPool: 0, NextHopDomain: q.nextHopDomain, LastError: q.lastError,
        RetryCount: q.retryCount ?? 0, NextRetryTime: q.nextRetryTime ? new Date(q.nextRetryTime) : undefined, TlsDomain: q.tlsDomain,
      },
      table: ['Identity', 'DeliveryType', 'Status', 'MessageCount', 'Velocity', 'RiskLevel', 'OutboundIPPool', 'NextHopDomain'],
    }));
  },
};

function notFound(identity: string): DomsecError {
  return new DomsecError('ERR_CONNECTOR_NOT_FOUND', `The queue "${identity}" couldn't be found. Run Get-Queue to list the queues.`, { identity });
}

const retryQueue: Cmdlet = {
  name: 'Retry-Queue',
  params: [{ name: 'Identity', type: T.string, position: 0, mandatory: true, fromPipeline: 'Identity' }, { name: 'Resubmit', type: T.bool }],
  run: async (a, ctx) => {
    const retry = need(ctx, 'Retry-Queue', 'retryQueue');
    const identity = a.Identity as string;
    if (!need(ctx, 'Retry-Queue', 'queues')().some((q) => matches(identity, q))) throw notFound(identity);
    await retry(identity);
    return [];
  },
};

const getMessage: Cmdlet = {
  name: 'Get-Message',
  params: [{ name: 'Identity', type: T.string, position: 0 }, { name: 'Queue', type: T.string }],
  run: (a, ctx) => need(ctx, 'Get-Message', 'messages')()
    .filter((m) => (!a.Queue || m.queue.toLowerCase() === (a.Queue as string).toLowerCase()) && (!a.Identity || m.identity.toLowerCase() === (a.Identity as string).toLowerCase()))
    .map((m): ShellObject => ({
      type: 'ExtensibleMessageInfo',
      props: { Identity: m.identity, FromAddress: m.from, Status: m.status, Queue: m.queue, Subject: m.subject, LastError: m.lastError, Recipients: m.to ?? [], InternetMessageId: m.messageId },
      table: ['Identity', 'FromAddress', 'Status', 'Queue', 'Subject'],
    })),
};

const getMessageTrackingLog: Cmdlet = {
  name: 'Get-MessageTrackingLog',
  params: [
    { name: 'Sender', type: T.string }, { name: 'Recipients', type: T.strings }, { name: 'EventId', type: T.string },
    { name: 'MessageId', type: T.string }, { name: 'MessageSubject', type: T.string }, { name: 'Server', type: T.string },
    { name: 'Start', type: T.string }, { name: 'End', type: T.string }, { name: 'ResultSize', type: T.string },
  ],
  run: (a, ctx) => {
    const eq = (x: string | undefined, y: unknown) => y === undefined || (x ?? '').toLowerCase() === String(y).toLowerCase();
    const start = a.Start ? Date.parse(a.Start as string) : -Infinity;
    const end = a.End ? Date.parse(a.End as string) : Infinity;
    const recipients = (a.Recipients as string[] | undefined)?.map((r) => r.toLowerCase());
    return need(ctx, 'Get-MessageTrackingLog', 'trackingLog')()
      .filter((t) => eq(t.sender, a.Sender) && eq(t.eventId, a.EventId) && eq(t.messageId, a.MessageId) && eq(t.server, a.Server)
        && (a.MessageSubject === undefined || (t.subject ?? '').toLowerCase().includes(String(a.MessageSubject).toLowerCase()))
        && (!recipients || t.recipients.some((r) => recipients.includes(r.toLowerCase())))
        && Date.parse(t.dateTime) >= start && Date.parse(t.dateTime) <= end)
      .map((t): ShellObject => ({
        type: 'MessageTrackingEvent',
        props: {
          Timestamp: new Date(t.dateTime), ServerHostname: t.server, ConnectorId: t.connectorId, Source: t.source, EventId: t.eventId,
          MessageId: t.messageId, Recipients: t.recipients, RecipientStatus: t.recipientStatus ? [t.recipientStatus] : [],
          Sender: t.sender, MessageSubject: t.subject, MessageInfo: t.messageInfo,
        },
        table: ['EventId', 'Source', 'Sender', 'Recipients', 'MessageSubject'],
      }));
  },
};

export const queueCmdlets: Cmdlet[] = [getQueue, retryQueue, getMessage, getMessageTrackingLog];
