// Turns what an MTA can tell about an SMTP session into the policy's ReceiveFacts, then lets src/orgs decide (DS-RECV-01…10).
import { Certificate, type ChainResult, matchDomain, validateChain } from '../../ca/index.js';
import {
  chooseReceiveConnector, decideAtMailFrom, decideRemoteCertificate, type Decision, domainOf, type Organization,
  type ReceiveConnectorSettings, receiveConnectorDefaults, type ReceiveFacts,
} from '../../orgs/index.js';
import type { PeerPlan } from '../peer-plan.js';

/**
 * The client certificate as each MTA exposes it. Postfix tells a policy service only the subject CN, and only when the
 * chain verified; Exim hands over the whole leaf (DER) plus its own verdict.
 */
export type MtaCertificateView =
  | { kind: 'none' }
  | { kind: 'verified-by-mta'; names: string[]; detail: string }
  | { kind: 'untrusted-by-mta'; detail: string }
  | { kind: 'leaf'; der: Uint8Array; mtaVerified: boolean };

export interface MtaSessionView {
  sender?: string;
  clientAddress?: string;
  tls: boolean;
  certificate: MtaCertificateView;
}

export interface PolicyEnvironment {
  plan: PeerPlan;
  organization: Organization;
  now: () => Date;
  /** CRL fetcher for DS-CERT-04; absent = RevocationOffline (lenient by default). */
  fetchCrl?: (url: string) => Promise<Uint8Array>;
  /** Issuing CAs known locally: Exim passes only the leaf, so a partner's intermediate must be known to rebuild the path. */
  intermediates?: Certificate[];
}

export interface MailFromVerdict {
  decision: Decision;
  facts: ReceiveFacts;
  /** One line saying what the MTA showed of the certificate (evidence). */
  certificate: string;
}

/** The receive connector that takes a session from this client: by RemoteIPRanges; the peer's own port stands in for Bindings. */
export function connectorFor(env: PolicyEnvironment, clientAddress: string | undefined): ReceiveConnectorSettings {
  const { edge, port, receiveList } = env.plan;
  const all = edge.receiveConnectors.map((c) => ({ ...c, bindings: [{ address: '0.0.0.0', port }] }));
  const chosen = clientAddress ? chooseReceiveConnector(all, clientAddress, port) : undefined;
  // No connector defined: behave as a Partner connector when partners are listed, else as an Internet one.
  return chosen ?? { name: 'Default', server: edge.name, ...receiveConnectorDefaults(receiveList.length > 0 ? 'Partner' : 'Internet') };
}

export async function decideMailFrom(env: PolicyEnvironment, v: MtaSessionView): Promise<MailFromVerdict> {
  const connector = connectorFor(env, v.clientAddress);
  const senderDomain = v.sender ? domainOf(v.sender) : undefined;
  const base: ReceiveFacts = {
    senderDomain,
    receiveList: env.plan.receiveList,
    connector,
    tls: v.tls,
    starttlsAdvertised: env.plan.starttlsAdvertised,
    clientCertificate: v.certificate.kind !== 'none',
  };
  const { facts, certificate } = await certificateFacts(env, base, v.certificate);
  return { decision: decideAtMailFrom(facts), facts, certificate };
}

async function certificateFacts(env: PolicyEnvironment, base: ReceiveFacts, c: MtaCertificateView): Promise<{ facts: ReceiveFacts; certificate: string }> {
  const d = base.senderDomain;
  switch (c.kind) {
    case 'none':
      return { facts: base, certificate: base.tls ? 'TLS without a client certificate' : 'no TLS' };
    case 'verified-by-mta':
      return {
        facts: { ...base, nameMatch: d ? matchDomain(c.names, d) : undefined, chain: mtaChain(true, c.detail) },
        certificate: `client certificate verified by the MTA; names seen: ${c.names.join(', ') || '(none)'}`,
      };
    case 'untrusted-by-mta':
      // The MTA withholds the names of an unverified certificate, so the name rule cannot run: the chain decides (DS-RECV-06).
      return { facts: { ...base, chain: mtaChain(false, c.detail) }, certificate: `client certificate not verified by the MTA (${c.detail})` };
    case 'leaf': {
      const leaf = Certificate.fromDer(c.der);
      const chain = await leafChain(env, leaf, c.mtaVerified);
      return {
        facts: { ...base, nameMatch: d ? matchDomain(leaf.names, d) : undefined, chain },
        certificate: `client certificate ${leaf.subject} (issuer ${leaf.issuer}; names ${leaf.names.join(', ')}); MTA verified: ${c.mtaVerified ? 'yes' : 'no'}; ${chain.status}`,
      };
    }
  }
}

/** The chain as judged by src/ca, reconciled with the MTA's own verdict (the MTA saw the intermediates; we may only see the leaf). */
async function leafChain(env: PolicyEnvironment, leaf: Certificate, mtaVerified: boolean): Promise<ChainResult> {
  const r = await validateChain({
    presented: [leaf], trustedRoots: env.plan.trustedRoots, intermediates: env.intermediates, at: env.now(),
    fetchCrl: env.fetchCrl, revocation: env.organization.transport.settings.revocationMode,
  });
  if (r.ok && !mtaVerified) return { ...r, ok: false, status: 'UntrustedRoot', rule: 'DS-CERT-01', detail: 'The MTA did not verify the client certificate chain.' };
  if (!r.ok && r.status === 'UntrustedRoot' && mtaVerified) {
    // Only the path to the root is unknown here (intermediate not seen); the MTA built it. Dates and usage still count.
    return leafOnlyChecks(leaf, env.now());
  }
  return r;
}

function leafOnlyChecks(leaf: Certificate, at: Date): ChainResult {
  const base = { info: [], chain: [leaf] };
  if (at < leaf.notBefore || at > leaf.notAfter) {
    return { ...base, ok: false, status: 'CertificateExpired', rule: 'DS-CERT-03', detail: `The certificate is valid from ${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()}.` };
  }
  if (leaf.ekus !== 'any' && !(leaf.ekus.includes('serverAuth') && leaf.ekus.includes('clientAuth'))) {
    return { ...base, ok: false, status: 'WrongUsage', rule: 'DS-CERT-05', detail: `The certificate's EKUs are ${leaf.ekus.join(', ') || 'none'}.` };
  }
  return { ...base, ok: true, status: 'Valid', rule: 'DS-CERT-06', detail: 'The MTA verified the path to a trusted root; dates and usage checked here.' };
}

function mtaChain(ok: boolean, detail: string): ChainResult {
  return ok
    ? { ok, status: 'Valid', rule: 'DS-CERT-06', detail, info: [], chain: [] }
    : { ok, status: 'UntrustedRoot', rule: 'DS-CERT-01', detail, info: [], chain: [] };
}

/**
 * Outbound name rule for MTAs whose own check is by host name (Exim): the remote leaf must cover the next-hop domain
 * (DS-CERT-02 via DS-SEND-04). The chain itself is left to the MTA's TLS library.
 */
export function decideServerName(env: PolicyEnvironment, domain: string, der: Uint8Array): MailFromVerdict['decision'] {
  const leaf = Certificate.fromDer(der);
  const route = env.plan.routes.find((r) => r.domain === domain.toLowerCase());
  return decideRemoteCertificate(
    {
      nextHopDomain: domain.toLowerCase(),
      sendList: env.plan.sendList,
      connector: { name: route?.connector ?? '(none)', domainSecureEnabled: true, requireTls: false, ignoreStartTls: false },
    },
    matchDomain(leaf.names, domain),
    mtaChain(true, 'Chain verified by the MTA.'),
  );
}
