// What a real MTA must be told to play an organization's edge: derived once, purely, from the Organization model; both renderers read it.
import type { Certificate, KeyedCertificate } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import {
  chooseSendConnector, decideBeforeConnect, type EdgeServer, listContains, type Organization, type SendConnectorSettings,
} from '../orgs/index.js';
import { DEFAULT_QUEUE_KNOBS, type Endpoint, type MtaQueueKnobs, type PeerOptions } from './peer.js';

/** How one partner domain leaves this edge (BEHAVIOUR §4). */
export interface OutboundRoute {
  domain: string;
  nextHop: Endpoint;
  /** domain-secure = DS-SEND-02…06; disallowed = DS-SEND-01 (listed, but the connector is not DomainSecureEnabled). */
  mode: 'domain-secure' | 'opportunistic' | 'require-tls' | 'none' | 'disallowed';
  connector?: string;
  /** EHLO name: the send connector's Fqdn, else the edge FQDN (DS-CONF-02). */
  heloName: string;
  /** The DS rule that chose the mode. */
  rule: string;
}

export interface PeerPlan {
  organization: string;
  domains: string[];
  edge: EdgeServer;
  fqdn: string;
  address: string;
  port: number;
  certificate?: KeyedCertificate;
  trustedRoots: readonly Certificate[];
  /** STARTTLS is offered only with a certificate for the FQDN (DS-CONF-07 / §3). */
  starttlsAdvertised: boolean;
  /** A client certificate is requested when a connector is DomainSecureEnabled and the receive list is not empty (§3). */
  askClientCertificate: boolean;
  receiveList: readonly string[];
  sendList: readonly string[];
  routes: OutboundRoute[];
  /** Where every other non-local domain goes; undefined = nowhere (the message stays queued, never dropped). */
  defaultRoute?: OutboundRoute;
  queue: MtaQueueKnobs;
}

const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function planPeer(org: Organization, o: PeerOptions): PeerPlan {
  const edge = org.edge(o.edge);
  const address = o.address ?? edge.address;
  if (!LOOPBACK.test(address)) {
    throw new DomsecError('ERR_ORG_INVALID', `A real MTA peer may only listen on a loopback address (127.0.0.0/8); ${address} is not one.`, { address });
  }
  const selected = edge.certificates.selectForFqdn(edge.fqdn);
  const stored = selected.ok ? selected.stored : undefined;
  const certificate = o.certificate ?? (stored?.privateKeyPem ? { certificate: stored.certificate, privateKeyPem: stored.privateKeyPem, chain: stored.chain } : undefined);
  const receiveList = org.transport.tlsReceiveDomainSecureList;
  const sendList = org.transport.tlsSendDomainSecureList;
  const connectors = edge.receiveConnectors;
  const tlsOnSomeConnector = connectors.length === 0 || connectors.some((c) => c.authMechanism.includes('Tls'));
  const dsOnSomeConnector = connectors.length === 0 ? receiveList.length > 0 : connectors.some((c) => c.domainSecureEnabled);
  const starttlsAdvertised = certificate !== undefined && tlsOnSomeConnector;

  const hopOf = (domain: string): Endpoint | undefined => o.routes?.[domain] ?? o.relayHost;
  const partnerDomains = [...new Set([...sendList, ...Object.keys(o.routes ?? {}).map((d) => d.toLowerCase())])]
    .filter((d) => !org.isAcceptedDomain(d));
  const routes: OutboundRoute[] = [];
  for (const domain of partnerDomains) {
    const hop = hopOf(domain);
    if (hop) routes.push(routeFor(org, edge, domain, hop));
  }
  const defaultRoute = o.relayHost ? routeFor(org, edge, '*', o.relayHost) : undefined;
  return {
    organization: org.name, domains: [...org.domains], edge, fqdn: edge.fqdn, address, port: o.port, certificate,
    trustedRoots: o.trustedRoots ?? org.trustedRoots.list(), starttlsAdvertised,
    askClientCertificate: starttlsAdvertised && dsOnSomeConnector && receiveList.length > 0,
    receiveList, sendList, routes, defaultRoute, queue: { ...DEFAULT_QUEUE_KNOBS, ...o.queue },
  };
}

function routeFor(org: Organization, edge: EdgeServer, domain: string, nextHop: Endpoint): OutboundRoute {
  const probe = domain === '*' ? 'unlisted.invalid' : domain;
  const connector = usableConnectors(org.sendConnectors, edge).length > 0 ? chooseSendConnector(usableConnectors(org.sendConnectors, edge), probe) : undefined;
  const heloName = connector?.fqdn ?? edge.fqdn;
  if (domain === '*' || !listContains(org.transport.tlsSendDomainSecureList, domain)) {
    const mode = connector?.ignoreStartTls ? 'none' : connector?.requireTls ? 'require-tls' : 'opportunistic';
    return { domain, nextHop, mode, connector: connector?.name, heloName, rule: 'DS-CONF-01' };
  }
  // A listed domain without any send connector is treated as domain-secure: the lists alone express intent here.
  const d = decideBeforeConnect({
    nextHopDomain: domain,
    sendList: org.transport.tlsSendDomainSecureList,
    connector: connector ?? { name: '(none)', domainSecureEnabled: true, requireTls: false, ignoreStartTls: false },
  });
  return { domain, nextHop, mode: d.outcome === 'defer' ? 'disallowed' : 'domain-secure', connector: connector?.name, heloName, rule: d.rule };
}

function usableConnectors(all: readonly SendConnectorSettings[], edge: EdgeServer): SendConnectorSettings[] {
  return all.filter((c) => c.sourceServers.length === 0 || c.sourceServers.some((s) => s.toLowerCase() === edge.name.toLowerCase()));
}

/** Certificates as one PEM bundle, leaf first (what both MTAs expect in their certificate file). */
export function pemBundle(certs: readonly Certificate[]): string {
  return certs.map((c) => c.pem.trim()).join('\n') + (certs.length > 0 ? '\n' : '');
}
