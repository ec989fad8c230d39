// Owns New-/Set-/Get-/Remove-ReceiveConnector on an edge (DS-CONF-04) with the DS-CONF-05 checks; identity `SERVER\Name`.
import type { EdgeServer } from '../edge-server.js';
import { buildReceiveConnector, receiveConnectorIdentity, type ReceiveConnectorInput, type ReceiveConnectorSettings } from '../receive-connector.js';
import { type Cmdlet, type CmdletContext, type ParamSpec, SERVER_PARAM, type ShellObject } from './cmdlet.js';
import { formatByteSize, formatTimeSpan } from './display-value.js';
import { T } from './parameter-types.js';
import { bindingErrors } from './ps-error.js';

const AUTH = ['None', 'Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative'] as const;
const GROUPS = ['None', 'AnonymousUsers', 'ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers', 'Partners', 'Custom'] as const;

const FIELDS: [ParamSpec, keyof ReceiveConnectorSettings][] = [
  [{ name: 'Bindings', type: T.strings }, 'bindings'],
  [{ name: 'RemoteIPRanges', type: T.strings }, 'remoteIpRanges'],
  [{ name: 'AuthMechanism', type: T.flags('Microsoft.Exchange.Data.AuthMechanisms', AUTH) }, 'authMechanism'],
  [{ name: 'PermissionGroups', type: T.flags('Microsoft.Exchange.Data.PermissionGroups', GROUPS) }, 'permissionGroups'],
  [{ name: 'DomainSecureEnabled', type: T.bool }, 'domainSecureEnabled'],
  [{ name: 'RequireTLS', type: T.bool }, 'requireTls'],
  [{ name: 'Fqdn', type: T.string }, 'fqdn'],
  [{ name: 'ProtocolLoggingLevel', type: T.enum('Microsoft.Exchange.Data.ProtocolLoggingLevel', ['None', 'Verbose']) }, 'protocolLoggingLevel'],
  [{ name: 'MaxMessageSize', type: T.size }, 'maxMessageSize'],
  // Unlimited<Int32> in Exchange: a whole number or the word Unlimited (converted in patchFrom).
  [{ name: 'MaxInboundConnection', type: T.string }, 'maxInboundConnection'],
  [{ name: 'MaxInboundConnectionPerSource', type: T.string }, 'maxInboundConnectionPerSource'],
  [{ name: 'ConnectionTimeout', type: T.timespan }, 'connectionTimeout'],
  [{ name: 'ConnectionInactivityTimeout', type: T.timespan }, 'connectionInactivityTimeout'],
  [{ name: 'MaxRecipientsPerMessage', type: T.int() }, 'maxRecipientsPerMessage'],
];

const UNLIMITED_FIELDS = new Set<keyof ReceiveConnectorSettings>(['maxInboundConnection', 'maxInboundConnectionPerSource']);

function unlimited(param: string, v: unknown): number | 'Unlimited' {
  const text = String(v).trim();
  if (/^unlimited$/i.test(text)) return 'Unlimited';
  if (/^\d+$/.test(text)) return Number(text);
  throw bindingErrors.conversion(param, text, 'Microsoft.Exchange.Data.Unlimited`1[System.Int32]', 'Use a whole number or Unlimited.');
}

function patchFrom(a: Record<string, unknown>): { patch: Partial<ReceiveConnectorInput>; clearFqdn: boolean } {
  const patch: Record<string, unknown> = {};
  let clearFqdn = false;
  for (const [spec, field] of FIELDS) {
    const v = a[spec.name];
    if (v === undefined) continue;
    if (v === null) {
      if (field === 'fqdn') clearFqdn = true;
      else if (field === 'authMechanism' || field === 'permissionGroups') patch[field] = ['None'];
      continue;
    }
    if (UNLIMITED_FIELDS.has(field)) {
      patch[field] = unlimited(spec.name, v);
      continue;
    }
    // `None` in a flags list means no flag at all, as in Exchange.
    patch[field] = Array.isArray(v) && (field === 'authMechanism' || field === 'permissionGroups') && v.length > 1 ? v.filter((x) => x !== 'None') : v;
  }
  return { patch: patch as Partial<ReceiveConnectorInput>, clearFqdn };
}

/** `Inet` → the shell's server; `EDGE2\Inet` → that server; -Server wins over neither (Exchange refuses both). */
export function resolveReceiveIdentity(ctx: CmdletContext, identity: string, server?: string): { edge: EdgeServer; name: string } {
  const i = identity.indexOf('\\');
  return i >= 0 ? { edge: ctx.edge(identity.slice(0, i)), name: identity.slice(i + 1) } : { edge: ctx.edge(server), name: identity };
}

export function receiveConnectorObject(c: ReceiveConnectorSettings): ShellObject {
  const flags = (v: readonly string[]) => (v.length ? v.join(', ') : 'None');
  return {
    type: 'ReceiveConnector',
    props: {
      AuthMechanism: flags(c.authMechanism),
      Bindings: c.bindings.map((b) => `${b.address}:${b.port}`),
      ConnectionInactivityTimeout: formatTimeSpan(c.connectionInactivityTimeout),
      ConnectionTimeout: formatTimeSpan(c.connectionTimeout),
      DomainSecureEnabled: c.domainSecureEnabled,
      Enabled: true,
      Fqdn: c.fqdn,
      Identity: receiveConnectorIdentity(c),
      MaxInboundConnection: c.maxInboundConnection,
      MaxInboundConnectionPerSource: c.maxInboundConnectionPerSource,
      MaxMessageSize: formatByteSize(c.maxMessageSize),
      MaxRecipientsPerMessage: c.maxRecipientsPerMessage,
      Name: c.name,
      PermissionGroups: flags(c.permissionGroups),
      ProtocolLoggingLevel: c.protocolLoggingLevel,
      RemoteIPRanges: c.remoteIpRanges.map((r) => r.text),
      RequireTLS: c.requireTls,
      Server: c.server,
      TransportRole: 'HubTransport',
    },
    table: ['Identity', 'Bindings', 'Enabled'],
    server: c.server,
  };
}

const newReceiveConnector: Cmdlet = {
  name: 'New-ReceiveConnector',
  params: [
    { name: 'Name', type: T.string, position: 0, mandatory: true },
    { name: 'Usage', type: T.enum('Microsoft.Exchange.Management.SystemConfigurationTasks.NewReceiveConnector+UsageType', ['Custom', 'Internet', 'Internal', 'Client', 'Partner']) },
    SERVER_PARAM,
    ...FIELDS.map(([p]) => p),
  ],
  run: (a, ctx) => {
    const { patch } = patchFrom(a);
    const edge = ctx.edge(a.Server as string | undefined);
    const c = edge.newReceiveConnector({ ...patch, name: a.Name as string, usage: a.Usage as ReceiveConnectorSettings['usage'] | undefined });
    ctx.onUndo(() => edge.removeReceiveConnector(c.name));
    return [receiveConnectorObject(c)];
  },
};

const setReceiveConnector: Cmdlet = {
  name: 'Set-ReceiveConnector',
  params: [{ name: 'Identity', type: T.string, position: 0, mandatory: true }, { name: 'Name', type: T.string }, ...FIELDS.map(([p]) => p)],
  run: (a, ctx) => {
    const { edge, name } = resolveReceiveIdentity(ctx, a.Identity as string);
    const { patch, clearFqdn } = patchFrom(a);
    if (a.Name) patch.name = a.Name as string;
    if (!clearFqdn) {
      edge.setReceiveConnector(name, patch);
      return [];
    }
    // Clearing Fqdn: rebuild without it, validated before the old connector goes.
    const current = edge.receiveConnector(name);
    const { fqdn: _dropped, ...rest } = { ...current, ...patch };
    buildReceiveConnector(rest as ReceiveConnectorInput);
    edge.removeReceiveConnector(name);
    edge.newReceiveConnector({ ...rest, fqdn: undefined } as ReceiveConnectorInput);
    return [];
  },
};

const getReceiveConnector: Cmdlet = {
  name: 'Get-ReceiveConnector',
  params: [{ name: 'Identity', type: T.string, position: 0 }, SERVER_PARAM],
  run: (a, ctx) => {
    if (a.Identity) {
      const { edge, name } = resolveReceiveIdentity(ctx, a.Identity as string, a.Server as string | undefined);
      return [receiveConnectorObject(edge.receiveConnector(name))];
    }
    const edges = a.Server ? [ctx.edge(a.Server as string)] : ctx.org.edges;
    return edges.flatMap((e) => e.receiveConnectors.map(receiveConnectorObject));
  },
};

const removeReceiveConnector: Cmdlet = {
  name: 'Remove-ReceiveConnector',
  params: [{ name: 'Identity', type: T.string, position: 0, mandatory: true, fromPipeline: 'Identity' }, { name: 'Confirm', type: T.switch }],
  run: (a, ctx) => {
    const { edge, name } = resolveReceiveIdentity(ctx, a.Identity as string);
    edge.removeReceiveConnector(name);
    return [];
  },
};

export const receiveConnectorCmdlets: Cmdlet[] = [newReceiveConnector, setReceiveConnector, getReceiveConnector, removeReceiveConnector];
