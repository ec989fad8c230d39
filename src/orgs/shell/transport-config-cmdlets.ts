// Owns Get-/Set-TransportConfig (DS-CONF-01, DS-CONF-08) and Get-/Set-TransportService, which hold the DS-QUEUE-03…05 timers.
import type { ListEdit } from '../secure-list.js';
import { MAX_RECIPIENT_ENVELOPE_LIMIT, type TransportSettings } from '../transport-config.js';
import type { Cmdlet, CmdletContext, ShellObject } from './cmdlet.js';
import { formatByteSize, formatTimeSpan } from './display-value.js';
import { T } from './parameter-types.js';
import { bindingErrors } from './ps-error.js';

const SMTP_DOMAIN_LIST = 'Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.SmtpDomain]';

/** A representative slice of Exchange's TransportConfig, alphabetical as EMS lists it; the two lists are the ones that matter. */
function transportConfigObject(ctx: CmdletContext): ShellObject {
  const t = ctx.org.transport;
  return {
    type: 'TransportConfig',
    props: {
      AddressBookPolicyRoutingEnabled: false,
      ClearCategories: true,
      DSNConversionMode: 'UseExchangeDSNs',
      ExternalDelayDsnEnabled: true,
      ExternalDsnSendHtml: true,
      GenerateCopyOfDSNFor: [],
      InternalDelayDsnEnabled: true,
      InternalSMTPServers: [],
      MaxReceiveSize: formatByteSize(10 * 1024 * 1024),
      MaxRecipientEnvelopeLimit: MAX_RECIPIENT_ENVELOPE_LIMIT,
      MaxSendSize: formatByteSize(10 * 1024 * 1024),
      ShadowRedundancyEnabled: true,
      TLSReceiveDomainSecureList: [...t.tlsReceiveDomainSecureList],
      TLSSendDomainSecureList: [...t.tlsSendDomainSecureList],
      VerifySecureSubmitEnabled: false,
      Identity: 'Transport Settings',
      OrganizationName: ctx.org.name,
    },
  };
}

const getTransportConfig: Cmdlet = {
  name: 'Get-TransportConfig',
  params: [],
  run: (_a, ctx) => [transportConfigObject(ctx)],
};

const setTransportConfig: Cmdlet = {
  name: 'Set-TransportConfig',
  params: [
    { name: 'TLSSendDomainSecureList', type: T.listEdit(SMTP_DOMAIN_LIST) },
    { name: 'TLSReceiveDomainSecureList', type: T.listEdit(SMTP_DOMAIN_LIST) },
  ],
  run: (a, ctx) => {
    // TransportConfig.edit validates both lists before it changes either (a failing command changes nothing).
    ctx.org.transport.edit({ send: a.TLSSendDomainSecureList as ListEdit | undefined, receive: a.TLSReceiveDomainSecureList as ListEdit | undefined });
    return [];
  },
};

/** Exchange's allowed ranges for the queue timers, in ms; a value outside is refused before anything changes. */
const TIMERS: { param: string; key: keyof TransportSettings; min: number; max: number }[] = [
  { param: 'TransientFailureRetryInterval', key: 'transientFailureRetryInterval', min: 1000, max: 12 * 3600_000 },
  { param: 'OutboundConnectionFailureRetryInterval', key: 'outboundConnectionFailureRetryInterval', min: 1000, max: 20 * 86400_000 },
  { param: 'DelayNotificationTimeout', key: 'delayNotificationTimeout', min: 1000, max: 30 * 86400_000 },
  { param: 'MessageExpirationTimeout', key: 'messageExpirationTimeout', min: 5000, max: 90 * 86400_000 },
];

function transportServiceObject(ctx: CmdletContext, server?: string): ShellObject {
  const edge = ctx.edge(server);
  const s = ctx.org.transport.settings;
  return {
    type: 'TransportService',
    props: {
      Name: edge.name,
      DelayNotificationTimeout: formatTimeSpan(s.delayNotificationTimeout),
      MessageExpirationTimeout: formatTimeSpan(s.messageExpirationTimeout),
      OutboundConnectionFailureRetryInterval: formatTimeSpan(s.outboundConnectionFailureRetryInterval),
      TransientFailureRetryCount: s.transientFailureRetryCount,
      TransientFailureRetryInterval: formatTimeSpan(s.transientFailureRetryInterval),
      MaxOutboundConnections: s.maxOutboundConnections,
      MaxPerDomainOutboundConnections: s.maxPerDomainOutboundConnections,
      Fqdn: edge.fqdn,
      Identity: edge.name,
    },
    table: ['Name', 'TransientFailureRetryInterval', 'OutboundConnectionFailureRetryInterval', 'MessageExpirationTimeout'],
  };
}

const getTransportService: Cmdlet = {
  name: 'Get-TransportService',
  aliases: ['Get-TransportServer'],
  params: [{ name: 'Identity', type: T.string, position: 0 }],
  run: (a, ctx) => (a.Identity ? [transportServiceObject(ctx, a.Identity as string)] : ctx.org.edges.map((e) => transportServiceObject(ctx, e.name))),
};

const setTransportService: Cmdlet = {
  name: 'Set-TransportService',
  aliases: ['Set-TransportServer'],
  params: [
    { name: 'Identity', type: T.string, position: 0 },
    { name: 'TransientFailureRetryCount', type: T.int(0, 15) },
    { name: 'MaxOutboundConnections', type: T.int(1, 2147483647) },
    { name: 'MaxPerDomainOutboundConnections', type: T.int(1, 2147483647) },
    ...TIMERS.map((t) => ({ name: t.param, type: T.timespan })),
  ],
  run: (a, ctx) => {
    ctx.edge(a.Identity as string | undefined); // an unknown server is an error, not a silent org-wide change
    const patch: Partial<TransportSettings> = {};
    if (a.TransientFailureRetryCount !== undefined) patch.transientFailureRetryCount = a.TransientFailureRetryCount as number;
    if (a.MaxOutboundConnections !== undefined) patch.maxOutboundConnections = a.MaxOutboundConnections as number;
    if (a.MaxPerDomainOutboundConnections !== undefined) patch.maxPerDomainOutboundConnections = a.MaxPerDomainOutboundConnections as number;
    const s = ctx.org.transport.settings;
    // Exchange: "The value of MaxPerDomainOutboundConnections must be less than or equal to MaxOutboundConnections".
    if ((patch.maxPerDomainOutboundConnections ?? s.maxPerDomainOutboundConnections) > (patch.maxOutboundConnections ?? s.maxOutboundConnections)) {
      throw bindingErrors.validation('MaxPerDomainOutboundConnections', `The value ${patch.maxPerDomainOutboundConnections ?? s.maxPerDomainOutboundConnections} is greater than MaxOutboundConnections (${patch.maxOutboundConnections ?? s.maxOutboundConnections}); it must be less than or equal to it.`);
    }
    for (const t of TIMERS) {
      const v = a[t.param] as number | null | undefined;
      if (v === undefined) continue;
      if (v === null || v < t.min || v > t.max) {
        throw bindingErrors.validation(t.param, `The value ${v === null ? '$null' : formatTimeSpan(v)} isn't in the allowed range ${formatTimeSpan(t.min)} to ${formatTimeSpan(t.max)}.`);
      }
      (patch as Record<string, number>)[t.key] = v;
    }
    // The model keeps one set of timers per organization: every edge of it follows the change.
    ctx.org.transport.setSettings(patch);
    return [];
  },
};

export const transportConfigCmdlets: Cmdlet[] = [getTransportConfig, setTransportConfig, getTransportService, setTransportService];
