// Receive connectors (DS-CONF-04), their validation (DS-CONF-05) and the most-specific-match selection by client IP.
import { DomsecError } from '../errors.js';
import { ANY_IPV4, type IpRange, parseIpRange, rangeSizeIfContains } from './ip-range.js';
import { type ConnectorUsage, type LoggingLevel, stripUndefined } from './send-connector.js';

export type AuthMechanism = 'None' | 'Tls' | 'Integrated' | 'BasicAuth' | 'BasicAuthRequireTLS' | 'ExchangeServer' | 'ExternalAuthoritative';
export type PermissionGroup = 'None' | 'AnonymousUsers' | 'ExchangeUsers' | 'ExchangeServers' | 'ExchangeLegacyServers' | 'Partners' | 'Custom';

export interface ReceiveConnectorSettings {
  name: string;
  server: string;
  usage: ConnectorUsage | 'Client';
  bindings: { address: string; port: number }[]; // address '0.0.0.0' = the edge's own address
  remoteIpRanges: IpRange[];
  authMechanism: AuthMechanism[];
  permissionGroups: PermissionGroup[];
  domainSecureEnabled: boolean;
  requireTls: boolean;
  fqdn?: string;
  protocolLoggingLevel: LoggingLevel;
  maxMessageSize: number;
}

export type ReceiveConnectorInput = Partial<Omit<ReceiveConnectorSettings, 'remoteIpRanges' | 'bindings'>> & {
  name: string;
  server: string;
  remoteIpRanges?: (string | IpRange)[];
  bindings?: (string | { address: string; port: number })[];
};

export const RECEIVE_MESSAGES = {
  domainSecure: "The DomainSecureEnabled parameter can't be set to $True unless Transport Layer Security (TLS) is set on the AuthMechanism parameter.",
  requireTls: 'If RequireTLS is set, TLS must also be set as an authentication mechanism.',
} as const;

export function receiveConnectorIdentity(c: Pick<ReceiveConnectorSettings, 'server' | 'name'>): string {
  return `${c.server}\\${c.name}`;
}

/** `-Usage Partner`: Partners permission group, Tls auth, DomainSecureEnabled (DS-CONF-04). Internet: anonymous + Tls. */
export function receiveConnectorDefaults(usage: ReceiveConnectorSettings['usage']): Omit<ReceiveConnectorSettings, 'name' | 'server'> {
  const partner = usage === 'Partner';
  return {
    usage,
    bindings: [{ address: '0.0.0.0', port: 25 }],
    remoteIpRanges: [parseIpRange(ANY_IPV4)],
    authMechanism: partner || usage === 'Internet' ? ['Tls'] : ['Tls'],
    permissionGroups: partner ? ['Partners'] : ['AnonymousUsers'],
    domainSecureEnabled: partner,
    requireTls: false,
    protocolLoggingLevel: 'None',
    maxMessageSize: 36 * 1024 * 1024,
  };
}

export function receiveConnectorProblems(s: ReceiveConnectorSettings): string[] {
  const out: string[] = [];
  const tls = s.authMechanism.includes('Tls');
  if (s.domainSecureEnabled && !tls) out.push(RECEIVE_MESSAGES.domainSecure);
  if (s.requireTls && !tls) out.push(RECEIVE_MESSAGES.requireTls);
  return out;
}

export function parseBinding(b: string | { address: string; port: number }): { address: string; port: number } {
  if (typeof b !== 'string') return b;
  const m = /^(.*):(\d+)$/.exec(b.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new DomsecError('ERR_RECEIVE_CONNECTOR_INVALID', `"${b}" isn't a valid binding. Use IP:port, for example 0.0.0.0:25.`, { value: b });
  }
  return { address: m[1] || '0.0.0.0', port };
}

export function buildReceiveConnector(input: ReceiveConnectorInput, base?: ReceiveConnectorSettings): ReceiveConnectorSettings {
  const defaults = base ?? { name: input.name, server: input.server, ...receiveConnectorDefaults(input.usage ?? 'Custom') };
  const s: ReceiveConnectorSettings = {
    ...defaults,
    ...stripUndefined(input),
    remoteIpRanges: input.remoteIpRanges?.map((r) => (typeof r === 'string' ? parseIpRange(r) : r)) ?? defaults.remoteIpRanges,
    bindings: input.bindings?.map(parseBinding) ?? defaults.bindings,
  };
  const problems = receiveConnectorProblems(s);
  if (problems.length > 0) {
    throw new DomsecError('ERR_RECEIVE_CONNECTOR_INVALID', problems[0], { problems, connector: receiveConnectorIdentity(s) });
  }
  return Object.freeze(s) as ReceiveConnectorSettings;
}

/** The connector that takes a session from `ip` on `port`: the most specific RemoteIPRanges match wins (DS-CONF-04). */
export function chooseReceiveConnector<T extends ReceiveConnectorSettings>(connectors: readonly T[], ip: string, port: number): T | undefined {
  let best: { c: T; size: number } | undefined;
  for (const c of connectors) {
    if (!c.bindings.some((b) => b.port === port)) continue;
    for (const r of c.remoteIpRanges) {
      const size = rangeSizeIfContains(r, ip);
      if (size !== undefined && (!best || size < best.size)) best = { c, size };
    }
  }
  return best?.c;
}
