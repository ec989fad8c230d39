// An external organization (issue 9, docs/external-mta.md): a real MTA outside the harness plays one domain. It has the
// lab's PKI (so the lab's CA issues its certificate) but no simulated edge: its MX routes to HOST:PORT over a real socket,
// and every session it opens into a simulated edge is recorded as a hop like the simulation's own.
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { KeyedCertificate } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import type { EdgeServer, ReceiveConnectorSettings } from '../orgs/index.js';
import { receiveConnectorIdentity } from '../orgs/index.js';
import type { HopEvidence } from './evidence.js';
import { closeHop, dropHop, openHop } from './hop-record.js';
import type { SimContext } from './sim-context.js';
import type { SimOrganization } from './sim-organization.js';
import type { Simulation } from './simulation.js';

export interface ExternalSpec {
  /** Where the outside MTA listens for SMTP: an IPv4 address or a host name (resolved once at start). */
  host: string;
  port: number;
  /** The source address its connections come from; receive connectors for it admit this address (default 127.0.0.1). */
  from?: string;
  /** How the harness asks the MTA what SMTP cannot show (docs/adapter-contract.md): manual (default), cmd:…, http://…. */
  adapter?: string;
}

export interface ExternalPeer {
  org: SimOrganization;
  /** Set when the outside MTA plays one edge of an otherwise simulated organization (its edges[].external). */
  edge?: string;
  host: string;
  port: number;
  /** `host` resolved to an IPv4 address: what DNS answers for the MX and what the network dials. */
  address: string;
  from: string;
  /** The adapter SPEC (docs/adapter-contract.md); undefined: manual, SMTP only. */
  adapter?: string;
  /** The MX host name the simulated DNS gives for the domain, and the name on its certificate. */
  fqdn: string;
  /** Issued by the organization's (lab) CA for `fqdn` and the domain, for the outside MTA to install. */
  certificate: KeyedCertificate;
}

/** Real wait for a connect to an outside address that does not answer (a dropped SYN); never longer than this. */
export const EXTERNAL_CONNECT_TIMEOUT_MS = 10_000;

const PEERS = new WeakMap<SimContext, ExternalPeer[]>();
const BY_ORG = new WeakMap<SimOrganization, ExternalPeer>();
const EDGES = new WeakMap<SimOrganization, ExternalPeer[]>();
/** Hops this module opened for sessions the outside MTA opened, so only those are settled here. */
const INBOUND = new WeakSet<HopEvidence>();

export function externalPeers(ctx: SimContext): ExternalPeer[] {
  return PEERS.get(ctx) ?? [];
}

/** The outside MTA playing this organization, if it is external. */
export function externalPeerOf(org: SimOrganization): ExternalPeer | undefined {
  return BY_ORG.get(org);
}

export async function resolveExternalHost(domain: string, host: string): Promise<string> {
  if (isIP(host) === 4) return host;
  if (host === 'localhost') return '127.0.0.1';
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch (e) {
    throw new DomsecError('ERR_EXTERNAL_ADDRESS', `The external MTA of ${domain} is given as ${host}, which does not resolve to an IPv4 address (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give its IPv4 address.`, { domain, host });
  }
}

/**
 * One edge of a simulated organization played by an outside MTA: in the model (connectors that name the organization
 * admit its `from` address, the organization's MX lists its name), on the network at HOST:PORT, with a certificate from
 * the organization's CA in its store (lab up exports it like any edge's). The organization's own mail still leaves
 * through its first edge, which the lab file keeps simulated.
 */
export async function addExternalEdge(sim: Simulation, org: SimOrganization, e: { name: string; fqdn: string; external: ExternalSpec }): Promise<ExternalPeer> {
  const { host, port } = e.external;
  const from = e.external.from ?? '127.0.0.1';
  if (isIP(from) !== 4) throw new DomsecError('ERR_EXTERNAL_ADDRESS', `The source address of ${org.name}'s external edge ${e.name} must be an IPv4 address, not "${from}".`, { domain: org.name });
  const address = await resolveExternalHost(org.name, host);
  org.model.addEdge(e.name, e.fqdn, from);
  sim.dns.setA(e.fqdn, address);
  sim.network.publishExternal(address, 25, port, EXTERNAL_CONNECT_TIMEOUT_MS);
  const certificate = await org.issueEdgeCertificate(e.name);
  const peer: ExternalPeer = { org, edge: e.name, host, port, address, from, fqdn: e.fqdn, certificate, ...(e.external.adapter !== undefined ? { adapter: e.external.adapter } : {}) };
  PEERS.set(sim.ctx, [...externalPeers(sim.ctx), peer]);
  EDGES.set(org, [...(EDGES.get(org) ?? []), peer]);
  return peer;
}

/** The outside MTA playing this edge of a simulated organization, if its lab file made it external. */
export function externalEdgeOf(org: SimOrganization, edge: string): ExternalPeer | undefined {
  return EDGES.get(org)?.find((p) => p.edge!.toLowerCase() === edge.toLowerCase());
}

/** Adds `domain` as an external organization: PKI and CRL as any other, DNS MX → host, network → host:port. */
export async function addExternalOrganization(sim: Simulation, o: { domain: string; domains?: string[]; external: ExternalSpec }): Promise<ExternalPeer> {
  const { host, port } = o.external;
  const from = o.external.from ?? '127.0.0.1';
  if (isIP(from) !== 4) throw new DomsecError('ERR_EXTERNAL_ADDRESS', `The source address of ${o.domain}'s external MTA must be an IPv4 address, not "${from}".`, { domain: o.domain });
  const address = await resolveExternalHost(o.domain, host);
  const org = await sim.addOrganization({ name: o.domain, domains: o.domains ?? [o.domain], edges: [], bare: true });
  const fqdn = isIP(host) === 0 && host !== 'localhost' ? host.toLowerCase() : `mail.${org.model.primaryDomain}`;
  for (const d of org.model.domains) sim.dns.setMx(d, [fqdn]);
  sim.dns.setA(fqdn, address);
  sim.network.publishExternal(address, 25, port, EXTERNAL_CONNECT_TIMEOUT_MS);
  const certificate = await org.pki.issuing.issue({
    commonName: fqdn, dnsNames: [...new Set([fqdn, ...org.model.domains])], notBefore: new Date(sim.clock.nowMs() - 86_400_000),
  });
  const peer: ExternalPeer = { org, host, port, address, from, fqdn, certificate, ...(o.external.adapter !== undefined ? { adapter: o.external.adapter } : {}) };
  PEERS.set(sim.ctx, [...externalPeers(sim.ctx), peer]);
  BY_ORG.set(org, peer);
  return peer;
}

/**
 * The hop for a session an outside MTA opened into a simulated edge (its source address is an external peer's `from`).
 * Only the server's half is observable: the client transcript stays empty.
 */
export function openInboundHop(ctx: SimContext, remote: string, to: { org: string; domain: string; edge: EdgeServer; connector?: ReceiveConnectorSettings }): HopEvidence | undefined {
  const ip = remote.slice(0, remote.lastIndexOf(':'));
  const peer = externalPeers(ctx).find((p) => p.from === ip);
  if (!peer) return undefined;
  const hop: HopEvidence = {
    id: `hop-${ctx.ids.next('hop')}`, sessionId: ctx.ids.sessionId(), at: ctx.nowIso(),
    from: { org: peer.org.name, edge: peer.edge ?? 'external', fqdn: peer.fqdn, address: remote },
    to: { org: to.org, edge: to.edge.name, host: to.edge.fqdn, address: to.edge.address, port: 25, ...(to.connector ? { connector: receiveConnectorIdentity(to.connector) } : {}) },
    nextHopDomain: to.domain, messageIds: [], clientTranscript: [], serverTranscript: [], certificates: {}, decisions: [], result: 'deferred',
  };
  INBOUND.add(hop);
  openHop(ctx, hop);
  return hop;
}

export function isInboundExternalHop(hop: HopEvidence | undefined): hop is HopEvidence {
  return !!hop && INBOUND.has(hop);
}

/**
 * Settles an inbound external hop as its session ends: delivered when a message was taken, rejected/deferred on the
 * refusal that settled it (5xx/4xx). A session that sent no mail and was refused nothing is no delivery: it is dropped.
 */
export function closeInboundHop(ctx: SimContext, hop: HopEvidence, s: { delivered: number; lastReply?: string; mailFrom: boolean; tls: boolean; tlsFacts?: { version: string; cipher: string } }): void {
  if (s.tlsFacts) hop.tls = { version: s.tlsFacts.version, cipher: s.tlsFacts.cipher };
  hop.reply = s.lastReply;
  const refused = s.lastReply && /^[45]/.test(s.lastReply);
  if (s.delivered > 0) hop.result = 'delivered';
  else if (refused) hop.result = s.lastReply!.startsWith('5') ? 'rejected' : 'deferred';
  else if (!s.mailFrom) {
    dropHop(ctx, hop);
    return;
  } else hop.result = 'deferred'; // MAIL FROM accepted, then the client gave up before DATA was accepted
  closeHop(ctx, hop);
}

/** A session from an outside MTA that no receive connector took: a hop refused at connect (421), so doctor sees it. */
export function refusedAtConnect(ctx: SimContext, remote: string, to: { org: string; domain: string; edge: EdgeServer }, reply: string): void {
  const hop = openInboundHop(ctx, remote, to);
  if (!hop) return;
  hop.serverTranscript.push({ at: ctx.nowIso(), dir: '>', text: reply });
  hop.reply = reply;
  hop.result = 'deferred';
  closeHop(ctx, hop);
}
