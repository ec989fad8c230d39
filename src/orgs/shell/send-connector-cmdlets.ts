// Owns New-/Set-/Get-/Remove-SendConnector over the organization's send connectors (DS-CONF-02), checked by DS-CONF-03.
import { formatAddressSpace } from '../address-space.js';
import { buildSendConnector, type SendConnectorInput, type SendConnectorSettings } from '../send-connector.js';
import type { Cmdlet, CmdletContext, ParamSpec, ShellObject } from './cmdlet.js';
import { formatByteSize } from './display-value.js';
import { T } from './parameter-types.js';

const USAGES = ['Custom', 'Internal', 'Internet', 'Partner'] as const;
const LOGGING = T.enum('Microsoft.Exchange.Data.ProtocolLoggingLevel', ['None', 'Verbose']);

/** Shell parameter → model field, for every settable property (New and Set share them). */
const FIELDS: [ParamSpec, keyof SendConnectorSettings][] = [
  [{ name: 'AddressSpaces', type: T.strings }, 'addressSpaces'],
  [{ name: 'DNSRoutingEnabled', type: T.bool }, 'dnsRoutingEnabled'],
  [{ name: 'SmartHosts', type: T.strings }, 'smartHosts'],
  [{ name: 'Fqdn', type: T.string }, 'fqdn'],
  [{ name: 'DomainSecureEnabled', type: T.bool }, 'domainSecureEnabled'],
  [{ name: 'RequireTLS', type: T.bool }, 'requireTls'],
  [{ name: 'IgnoreSTARTTLS', type: T.bool }, 'ignoreStartTls'],
  [{ name: 'TlsAuthLevel', type: T.enum('Microsoft.Exchange.Data.TlsAuthLevel', ['EncryptionOnly', 'CertificateValidation', 'DomainValidation']) }, 'tlsAuthLevel'],
  [{ name: 'TlsDomain', type: T.string }, 'tlsDomain'],
  [{ name: 'TlsCertificateName', type: T.string }, 'tlsCertificateName'],
  [{ name: 'ProtocolLoggingLevel', type: LOGGING }, 'protocolLoggingLevel'],
  [{ name: 'MaxMessageSize', type: T.size }, 'maxMessageSize'],
  [{ name: 'SourceTransportServers', type: T.strings }, 'sourceServers'],
  [{ name: 'Port', type: T.int(1, 65535) }, 'port'],
  [{ name: 'SmtpMaxMessagesPerConnection', type: T.int(1, 2147483647) }, 'smtpMaxMessagesPerConnection'],
];

/** Properties that may be cleared with $null; the rest keep a value (Exchange refuses $null for them). */
const CLEARABLE = new Set<keyof SendConnectorSettings>(['fqdn', 'tlsAuthLevel', 'tlsDomain', 'tlsCertificateName', 'smartHosts', 'sourceServers']);

function patchFrom(a: Record<string, unknown>): { patch: Partial<SendConnectorInput>; cleared: (keyof SendConnectorSettings)[] } {
  const patch: Record<string, unknown> = {};
  const cleared: (keyof SendConnectorSettings)[] = [];
  for (const [spec, field] of FIELDS) {
    const v = a[spec.name];
    if (v === undefined) continue;
    if (v === null) {
      if (field === 'smartHosts' || field === 'sourceServers') patch[field] = [];
      else if (CLEARABLE.has(field)) cleared.push(field);
      else patch[field] = undefined; // a required property given $null keeps its value
      continue;
    }
    patch[field] = v;
  }
  return { patch: patch as Partial<SendConnectorInput>, cleared };
}

export function sendConnectorObject(c: SendConnectorSettings, ctx: CmdletContext): ShellObject {
  return {
    type: 'SmtpSendConnectorConfig',
    props: {
      AddressSpaces: c.addressSpaces.map(formatAddressSpace),
      ConnectedDomains: [],
      DNSRoutingEnabled: c.dnsRoutingEnabled,
      DomainSecureEnabled: c.domainSecureEnabled,
      Enabled: true,
      Fqdn: c.fqdn,
      Identity: c.name,
      IgnoreSTARTTLS: c.ignoreStartTls,
      MaxMessageSize: formatByteSize(c.maxMessageSize),
      Name: c.name,
      Port: c.port,
      ProtocolLoggingLevel: c.protocolLoggingLevel,
      RequireTLS: c.requireTls,
      SmartHosts: c.smartHosts,
      SmtpMaxMessagesPerConnection: c.smtpMaxMessagesPerConnection,
      SourceTransportServers: c.sourceServers.length ? c.sourceServers : ctx.org.edges.map((e) => e.name),
      TlsAuthLevel: c.tlsAuthLevel,
      TlsCertificateName: c.tlsCertificateName,
      TlsDomain: c.tlsDomain,
    },
    table: ['Identity', 'AddressSpaces', 'Enabled'],
  };
}

/** Exchange's New-SendConnector also takes -Internet / -Partner … switches instead of -Usage. */
const USAGE_SWITCHES: ParamSpec[] = USAGES.map((u) => ({ name: u, type: T.switch }));

const newSendConnector: Cmdlet = {
  name: 'New-SendConnector',
  params: [
    { name: 'Name', type: T.string, position: 0, mandatory: true },
    { name: 'Usage', type: T.enum('Microsoft.Exchange.Management.SystemConfigurationTasks.NewSendConnector+UsageType', USAGES) },
    ...USAGE_SWITCHES,
    ...FIELDS.map(([p]) => p),
  ],
  run: (a, ctx) => {
    const usage = (a.Usage as SendConnectorSettings['usage'] | undefined) ?? USAGES.find((u) => a[u] === true);
    const { patch } = patchFrom(a);
    const c = ctx.org.newSendConnector({ ...patch, name: a.Name as string, usage });
    ctx.onUndo(() => ctx.org.removeSendConnector(c.name));
    return [sendConnectorObject(c, ctx)];
  },
};

const setSendConnector: Cmdlet = {
  name: 'Set-SendConnector',
  params: [
    { name: 'Identity', type: T.string, position: 0, mandatory: true },
    { name: 'Name', type: T.string },
    ...FIELDS.map(([p]) => p),
  ],
  run: (a, ctx) => {
    const identity = a.Identity as string;
    const { patch, cleared } = patchFrom(a);
    if (a.Name) patch.name = a.Name as string;
    if (cleared.length === 0) {
      ctx.org.setSendConnector(identity, patch);
      return [];
    }
    // The model's patch cannot unset a field, so the connector is rebuilt without it — validated before the old one goes.
    const current = ctx.org.sendConnector(identity);
    const base: Record<string, unknown> = { ...current, ...patch };
    for (const f of cleared) delete base[f];
    const input = base as SendConnectorInput;
    buildSendConnector(input);
    ctx.org.removeSendConnector(identity);
    ctx.org.newSendConnector(input);
    return [];
  },
};

const getSendConnector: Cmdlet = {
  name: 'Get-SendConnector',
  params: [{ name: 'Identity', type: T.string, position: 0 }],
  run: (a, ctx) => (a.Identity ? [ctx.org.sendConnector(a.Identity as string)] : ctx.org.sendConnectors).map((c) => sendConnectorObject(c, ctx)),
};

const removeSendConnector: Cmdlet = {
  name: 'Remove-SendConnector',
  params: [{ name: 'Identity', type: T.string, position: 0, mandatory: true, fromPipeline: 'Identity' }, { name: 'Confirm', type: T.switch }],
  run: (a, ctx) => {
    ctx.org.removeSendConnector(a.Identity as string);
    return [];
  },
};

export const sendConnectorCmdlets: Cmdlet[] = [newSendConnector, setSendConnector, getSendConnector, removeSendConnector];
