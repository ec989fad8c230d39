// Receive connectors (DS-CONF-04), their validation (DS-CONF-05) and the most-specific-match selection by client IP.
import { DomsecError } from '../errors.js';
import { ANY_IPV4, type IpRange, ipv4Number, parseIpRange, rangeSizeIfContains } from './ip-range.js';
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
  /** Concurrent sessions the connector takes (Exchange default 5000); 'Unlimited' as in Exchange. */
  maxInboundConnection: Unlimited;
  /** Concurrent sessions from one source IP address (Exchange default 20). */
  maxInboundConnectionPerSource: Unlimited;
  /** Longest session, in ms, busy or not (Edge Transport default 5 minutes). */
  connectionTimeout: number;
  /** Longest silence from the client, in ms (Edge Transport default 1 minute). */
  connectionInactivityTimeout: number;
  /** RCPT commands accepted per message (Exchange default 200); more get `452 4.5.3 Too many recipients`. */
  maxRecipientsPerMessage: number;
}

export type Unlimited = number | 'Unlimited';

/**
 * The largest MaxMessageSize an edge can serve: it holds a message in memory as one string, and V8 strings stop at
 * 512 MiB (a bigger message crashed the process). 256 MB leaves room for the headers the edge adds and for UTF-8.
 * Exchange's own range starts at 64 KB; below that, or 0, is refused rather than read as "no limit".
 */
export const MESSAGE_SIZE_RANGE = { min: 64 * 1024, max: 256 * 1024 * 1024 } as const;
/** Exchange's ranges for the receive connector limits (Set-ReceiveConnector reference). */
export const CONNECTION_LIMIT_RANGE = { min: 1, max: 2147483647 } as const;
export const RECIPIENT_LIMIT_RANGE = { min: 1, max: 512000 } as const;
/** Exchange: ConnectionTimeout 00:00:01 to 1.00:00:00, ConnectionInactivityTimeout 00:00:01 to 1.00:00:00. */
export const TIMEOUT_RANGE = { min: 1000, max: 86_400_000 } as const;

export type ReceiveConnectorInput = Partial<Omit<ReceiveConnectorSettings, 'remoteIpRanges' | 'bindings'>> & {
  name: string;
  server: string;
  remoteIpRanges?: (string | IpRange)[];
  bindings?: (string | { address: string; port: number })[];
};

export const RECEIVE_MESSAGES = {
  domainSecure: "The DomainSecureEnabled parameter can't be set to $True unless Transport Layer Security (TLS) is set on the AuthMechanism parameter.",
  requireTls: 'If RequireTLS is set, TLS must also be set as an authentication mechanism.',
  timeouts: 'The ConnectionTimeout value must be greater than the ConnectionInactivityTimeout value.',
} as const;

export function receiveConnectorIdentity(c: Pick<ReceiveConnectorSettings, 'server' | 'name'>): string {
  return `${c.server}\\${c.name}`;
}

/** Every connector's default range, parsed once (ranges are never changed in place, only replaced). */
const ANY_RANGE: IpRange = Object.freeze(parseIpRange(ANY_IPV4));

const inRange = (v: number, r: { min: number; max: number }) => Number.isInteger(v) && v >= r.min && v <= r.max;

/** `-Usage Partner`: Partners permission group, Tls auth, DomainSecureEnabled (DS-CONF-04). Internet: anonymous + Tls. */
export function receiveConnectorDefaults(usage: ReceiveConnectorSettings['usage']): Omit<ReceiveConnectorSettings, 'name' | 'server'> {
  const partner = usage === 'Partner';
  return {
    usage,
    bindings: [{ address: '0.0.0.0', port: 25 }],
    remoteIpRanges: [ANY_RANGE],
    authMechanism: partner || usage === 'Internet' ? ['Tls'] : ['Tls'],
    permissionGroups: partner ? ['Partners'] : ['AnonymousUsers'],
    domainSecureEnabled: partner,
    requireTls: false,
    protocolLoggingLevel: 'None',
    maxMessageSize: 36 * 1024 * 1024,
    // Exchange's defaults on an Edge Transport server (a Mailbox server has 10 and 5 minutes).
    maxInboundConnection: 5000,
    maxInboundConnectionPerSource: 20,
    connectionTimeout: 5 * 60_000,
    connectionInactivityTimeout: 60_000,
    maxRecipientsPerMessage: 200,
  };
}

export function receiveConnectorProblems(s: ReceiveConnectorSettings): string[] {
  const out: string[] = [];
  const tls = s.authMechanism.includes('Tls');
  if (s.domainSecureEnabled && !tls) out.push(RECEIVE_MESSAGES.domainSecure);
  if (s.requireTls && !tls) out.push(RECEIVE_MESSAGES.requireTls);
  if (s.connectionTimeout <= s.connectionInactivityTimeout) out.push(RECEIVE_MESSAGES.timeouts);
  if (!inRange(s.maxMessageSize, MESSAGE_SIZE_RANGE)) {
    out.push(`MaxMessageSize ${s.maxMessageSize} bytes can't be served: use a size from 64KB to 256MB (this edge keeps a message in memory, and 0 is not "unlimited").`);
  }
  for (const [name, v] of [['MaxInboundConnection', s.maxInboundConnection], ['MaxInboundConnectionPerSource', s.maxInboundConnectionPerSource]] as const) {
    if (v !== 'Unlimited' && !inRange(v, CONNECTION_LIMIT_RANGE)) out.push(`${name} must be a whole number from 1 to 2147483647, or Unlimited.`);
  }
  if (!inRange(s.maxRecipientsPerMessage, RECIPIENT_LIMIT_RANGE)) out.push('MaxRecipientsPerMessage must be a whole number from 1 to 512000.');
  for (const [name, v] of [['ConnectionTimeout', s.connectionTimeout], ['ConnectionInactivityTimeout', s.connectionInactivityTimeout]] as const) {
    if (!inRange(v, TIMEOUT_RANGE)) out.push(`${name} must be from 00:00:01 to 1.00:00:00.`);
  }
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

/** A connector list's ranges on one port, in the order the choice reads them (connectors, then their ranges). */
interface PortIndex<T> {
  /** Single addresses: the first connector that names the address. */
  singles: Map<number, T>;
  /** Every wider range, in order. */
  wide: { c: T; range: IpRange; size: number }[];
}

/**
 * Made once per connector list and port (an edge replaces its list on every change, and connectors are frozen): a mesh
 * edge has a connector per partner, each partner's session comes once, and scanning all 99 per session was 3% of a
 * busy mesh's main thread.
 */
const INDEXES = new WeakMap<readonly ReceiveConnectorSettings[], Map<number, PortIndex<ReceiveConnectorSettings>>>();

function portIndex<T extends ReceiveConnectorSettings>(connectors: readonly T[], port: number): PortIndex<T> {
  let byPort = INDEXES.get(connectors);
  if (!byPort) INDEXES.set(connectors, (byPort = new Map()));
  let index = byPort.get(port) as PortIndex<T> | undefined;
  if (index) return index;
  index = { singles: new Map(), wide: [] };
  for (const c of connectors) {
    if (!c.bindings.some((b) => b.port === port)) continue;
    for (const range of c.remoteIpRanges) {
      const size = range.last - range.first + 1;
      if (size > 1) index.wide.push({ c, range, size });
      else if (!index.singles.has(range.first)) index.singles.set(range.first, c);
    }
  }
  byPort.set(port, index as PortIndex<ReceiveConnectorSettings>);
  return index;
}

/** The connector that takes a session from `ip` on `port`: the most specific RemoteIPRanges match wins (DS-CONF-04). */
export function chooseReceiveConnector<T extends ReceiveConnectorSettings>(connectors: readonly T[], ip: string, port: number): T | undefined {
  const index = portIndex(connectors, port);
  const v = ipv4Number(ip);
  // Nothing is more specific than a single address; among equals the first connector wins, as it did in a scan.
  const single = index.singles.get(v);
  if (single) return single;
  let best: { c: T; size: number } | undefined;
  for (const { c, range, size } of index.wide) {
    if (rangeSizeIfContains(range, v) !== undefined && (!best || size < best.size)) best = { c, size };
  }
  return best?.c;
}
