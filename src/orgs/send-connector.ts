// Send connectors (DS-CONF-02) and their validation with Exchange's messages (DS-CONF-03).
import { DomsecError } from '../errors.js';
import { type AddressSpace, matchSpecificity, parseAddressSpace } from './address-space.js';

export type ConnectorUsage = 'Custom' | 'Internet' | 'Internal' | 'Partner';
export type LoggingLevel = 'None' | 'Verbose';

export interface SendConnectorSettings {
  name: string;
  usage: ConnectorUsage;
  addressSpaces: AddressSpace[];
  dnsRoutingEnabled: boolean;
  smartHosts: string[];
  fqdn?: string;
  domainSecureEnabled: boolean;
  requireTls: boolean;
  ignoreStartTls: boolean;
  tlsAuthLevel?: 'EncryptionOnly' | 'CertificateValidation' | 'DomainValidation';
  tlsDomain?: string;
  tlsCertificateName?: string;
  protocolLoggingLevel: LoggingLevel;
  maxMessageSize: number;
  /** Edge servers (by name) this connector sends from; empty = every edge. */
  sourceServers: string[];
  port: number;
  /** -SmtpMaxMessagesPerConnection (Exchange default 20): messages one session carries before it QUITs. */
  smtpMaxMessagesPerConnection: number;
}

export type SendConnectorInput = Partial<Omit<SendConnectorSettings, 'addressSpaces'>> & {
  name: string;
  addressSpaces?: (string | AddressSpace)[];
};

export const SEND_MESSAGES = {
  dnsRouting: "The DomainSecureEnabled parameter can't be set to $True unless the DNSRoutingEnabled parameter is also set to $True.",
  ignoreStartTls: "The DomainSecureEnabled parameter can't be set to $True if the IgnoreSTARTTLS parameter is set to $True.",
  tlsAuthLevel: "The TLSAuthLevel parameter can't be set if the DomainSecureEnabled parameter is set to $true.",
  smartHost: 'You must specify a smart host if you are not using DNS to route mails.',
  addressSpace: 'The send connector must have at least one address space. Specify -AddressSpaces.',
} as const;

/** `-Usage Partner` turns domain security and DNS routing on (DS-CONF-02). */
export function sendConnectorDefaults(usage: ConnectorUsage): Omit<SendConnectorSettings, 'name' | 'addressSpaces'> {
  return {
    usage,
    dnsRoutingEnabled: true,
    smartHosts: [],
    domainSecureEnabled: usage === 'Partner',
    requireTls: false,
    ignoreStartTls: false,
    protocolLoggingLevel: 'None',
    maxMessageSize: 35 * 1024 * 1024,
    sourceServers: [],
    port: 25,
    smtpMaxMessagesPerConnection: 20,
  };
}

/** All DS-CONF-03 violations of a settings object, in Exchange's words; empty when valid. */
export function sendConnectorProblems(s: SendConnectorSettings): string[] {
  const out: string[] = [];
  if (s.domainSecureEnabled && !s.dnsRoutingEnabled) out.push(SEND_MESSAGES.dnsRouting);
  if (s.domainSecureEnabled && s.ignoreStartTls) out.push(SEND_MESSAGES.ignoreStartTls);
  if (s.domainSecureEnabled && s.tlsAuthLevel !== undefined) out.push(SEND_MESSAGES.tlsAuthLevel);
  if (!s.dnsRoutingEnabled && s.smartHosts.length === 0) out.push(SEND_MESSAGES.smartHost);
  if (s.addressSpaces.length === 0) out.push(SEND_MESSAGES.addressSpace);
  return out;
}

export function buildSendConnector(input: SendConnectorInput, base?: SendConnectorSettings): SendConnectorSettings {
  const defaults = base ?? { name: input.name, addressSpaces: [], ...sendConnectorDefaults(input.usage ?? 'Custom') };
  const spaces = input.addressSpaces?.map((a) => (typeof a === 'string' ? parseAddressSpace(a) : a));
  const s: SendConnectorSettings = {
    ...defaults,
    ...stripUndefined(input),
    addressSpaces: spaces ?? defaults.addressSpaces,
  };
  const problems = sendConnectorProblems(s);
  if (problems.length > 0) {
    throw new DomsecError('ERR_SEND_CONNECTOR_INVALID', problems[0], { problems, connector: s.name });
  }
  return Object.freeze(s) as SendConnectorSettings;
}

/** The connector that routes a domain: most specific address space, then lowest cost, then name (stable). */
export function chooseSendConnector<T extends SendConnectorSettings>(connectors: readonly T[], domain: string): T | undefined {
  let best: { c: T; spec: number; cost: number } | undefined;
  for (const c of connectors) {
    for (const a of c.addressSpaces) {
      const spec = matchSpecificity(a, domain);
      if (spec < 0) continue;
      if (!best || spec > best.spec || (spec === best.spec && (a.cost < best.cost || (a.cost === best.cost && c.name < best.c.name)))) {
        best = { c, spec, cost: a.cost };
      }
    }
  }
  return best?.c;
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
