// A full-mesh lab of N organizations (issue 12 "many organizations"): every one a domain-secure partner of every other.
import type { KeyAlgorithm } from '../ca/index.js';
import type { LabDefinition, OrganizationDefinition } from './lab-definition.js';

export interface MeshLabOptions {
  /** How many organizations (2 or more). */
  organizations: number;
  seed?: string;
  /** Default ECDSA-P256: a mesh is about numbers, and P-256 signs ~20× faster than RSA-2048 (docs/model-choices.md). */
  keyAlgorithm?: KeyAlgorithm;
  /**
   * 'per-partner' (default): one Partner send connector and one receive connector per partner, as the documented labs
   * write them for one partner; 'shared': one Partner send connector for all partners and the Default receive connector.
   */
  connectors?: 'per-partner' | 'shared';
  /**
   * Edge threads (the lab file's `edgeThreads`): default 2. A mesh's cost is both sides of every handshake, and with
   * two threads doing the TLS a 100-organization mesh delivered its 9,900 messages in less than half the time of one
   * thread on 2 cores (docs/model-choices.md). 0: every edge on the main thread.
   */
  edgeThreads?: number;
}

/** `org001.example`, `org002.example`, …: names that sort in order and give each CA its own label. */
export function meshDomain(i: number): string {
  return `org${String(i + 1).padStart(3, '0')}.example`;
}

/** The lab file of the mesh (as parsed): its probes are one message from each organization to each partner. */
export function meshLabDefinition(o: MeshLabOptions): LabDefinition {
  const domains = Array.from({ length: o.organizations }, (_, i) => meshDomain(i));
  const organizations = domains.map((domain): OrganizationDefinition => {
    const partners = domains.filter((d) => d !== domain);
    const fqdn = `mail.${domain}`;
    const perPartner = (o.connectors ?? 'per-partner') === 'per-partner';
    return {
      domain,
      edges: [{ name: 'EX1', fqdn }],
      trusts: partners,
      tlsSendDomainSecureList: partners,
      tlsReceiveDomainSecureList: partners,
      sendConnectors: perPartner
        ? partners.map((p) => ({ name: `To ${p}`, usage: 'Partner', addressSpaces: [`SMTP:${p};1`], fqdn }))
        : [{ name: 'To partners', usage: 'Partner', addressSpaces: partners.map((p) => `SMTP:${p};1`), fqdn }],
      receiveConnectors: perPartner ? partners.map((p) => ({ name: `From ${p}`, usage: 'Partner', remoteIpRanges: [p] })) : [],
    };
  });
  return {
    name: `mesh-${o.organizations}`,
    seed: o.seed ?? `mesh-${o.organizations}`,
    keyAlgorithm: o.keyAlgorithm ?? 'ECDSA-P256',
    ...((o.edgeThreads ?? 2) > 0 ? { edgeThreads: o.edgeThreads ?? 2 } : {}),
    organizations,
  };
}
