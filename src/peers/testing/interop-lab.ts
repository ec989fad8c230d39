// Test fixture: the adatum.com ↔ treyresearch.net lab (BEHAVIOUR §7) as two Organizations with real CAs, plus the faulty partners outbound tests need.
import { createServer } from 'node:net';
import { CertificateAuthority, type KeyedCertificate } from '../../ca/index.js';
import { Organization } from '../../orgs/index.js';

export interface LabOrg {
  org: Organization;
  root: CertificateAuthority;
  issuing: CertificateAuthority;
  edgeCertificate: KeyedCertificate;
  address: string;
}

export interface InteropLab {
  adatum: LabOrg;
  trey: LabOrg;
  /** Trusted by treyresearch (Adatum's CA) but named for another domain: DS-CERT-02 failures. */
  wrongName: KeyedCertificate;
  /** mail.adatum.com from a root nobody trusts: DS-CERT-01 failures. */
  untrusted: KeyedCertificate;
  /** Extra partners on treyresearch's send list, one per outbound failure (see OUTBOUND_FAULTS). */
  faults: Record<OutboundFault, { domain: string; address: string; certificate: KeyedCertificate; hideStartTls: boolean }>;
}

export type OutboundFault = 'untrusted' | 'wrong-name' | 'no-starttls' | 'disallowed' | 'unlisted';

/** Domain per outbound fault: each is a separate next hop, so one Postfix/Exim instance shows every DS-SEND outcome. */
export const OUTBOUND_FAULTS: Record<OutboundFault, { domain: string; address: string; rule: string }> = {
  untrusted: { domain: 'contoso.com', address: '127.0.1.11', rule: 'DS-SEND-05' },
  'wrong-name': { domain: 'woodgrovebank.com', address: '127.0.1.12', rule: 'DS-SEND-04' },
  'no-starttls': { domain: 'fabrikam.com', address: '127.0.1.13', rule: 'DS-SEND-02' },
  disallowed: { domain: 'litware.com', address: '127.0.1.14', rule: 'DS-SEND-01' },
  unlisted: { domain: 'tailspintoys.com', address: '127.0.1.15', rule: 'DS-CONF-01' },
};

async function labOrg(name: string, fqdn: string, address: string, caName: string): Promise<LabOrg> {
  const org = new Organization({ name, domains: [name] });
  const root = await CertificateAuthority.createRoot({ name: `${caName} Root CA`, serialSeed: name });
  const issuing = await root.createSubordinate({ name: `${caName} Issuing CA`, serialSeed: `${name}-issuing` });
  const edgeCertificate = await issuing.issue({ commonName: fqdn, dnsNames: [fqdn] });
  const edge = org.addEdge('EDGE1', fqdn, address);
  edge.certificates.import(edgeCertificate);
  edge.certificates.enable(edgeCertificate.certificate.thumbprint, ['SMTP']);
  org.trustedRoots.add(root.certificate);
  return { org, root, issuing, edgeCertificate, address };
}

/** The lab of seeds 001/002: each side trusts the other's root; both lists name the partner; Partner connectors both ways. */
export async function buildInteropLab(): Promise<InteropLab> {
  const adatum = await labOrg('adatum.com', 'mail.adatum.com', '127.0.1.1', 'Adatum');
  const trey = await labOrg('treyresearch.net', 'mail.treyresearch.net', '127.0.2.1', 'Trey Research');
  const evil = await CertificateAuthority.createRoot({ name: 'Untrusted Root CA', serialSeed: 'evil' });
  for (const [self, other] of [[adatum, trey], [trey, adatum]] as const) {
    self.org.trustedRoots.add(other.root.certificate);
    const partner = other.org.primaryDomain;
    self.org.transport.edit({ send: { kind: 'replace', values: [partner] }, receive: { kind: 'replace', values: [partner] } });
    self.org.newSendConnector({ name: `To ${partner}`, usage: 'Partner', addressSpaces: [`SMTP:${partner};1`] });
    const edge = self.org.edge();
    // Exchange Edge's default connector is DomainSecureEnabled too; the Partner one is limited to the partner edge's IP.
    edge.newReceiveConnector({ name: 'Default internal receive connector', usage: 'Internet', domainSecureEnabled: true, bindings: ['0.0.0.0:25'] });
    edge.newReceiveConnector({ name: `From ${partner}`, usage: 'Partner', remoteIpRanges: [other.address], bindings: ['0.0.0.0:25'] });
  }
  const faults = {} as InteropLab['faults'];
  for (const [kind, f] of Object.entries(OUTBOUND_FAULTS) as [OutboundFault, (typeof OUTBOUND_FAULTS)[OutboundFault]][]) {
    const fqdn = `mail.${f.domain}`;
    const certificate = kind === 'untrusted' ? await evil.issue({ commonName: fqdn, dnsNames: [fqdn] })
      : kind === 'wrong-name' ? await adatum.issuing.issue({ commonName: 'mail.fabrikam.net', dnsNames: ['mail.fabrikam.net'] })
        : await adatum.issuing.issue({ commonName: fqdn, dnsNames: [fqdn] });
    faults[kind] = { domain: f.domain, address: f.address, certificate, hideStartTls: kind === 'no-starttls' };
  }
  return {
    adatum, trey, faults,
    wrongName: await adatum.issuing.issue({ commonName: 'mail.fabrikam.net', dnsNames: ['mail.fabrikam.net'] }),
    untrusted: await evil.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'] }),
  };
}

/** Puts every outbound fault partner on treyresearch's send list (except 'unlisted'), each with its connector. */
export function addOutboundFaults(lab: InteropLab): void {
  const org = lab.trey.org;
  const listed = Object.values(lab.faults).map((f) => f.domain).filter((d) => d !== OUTBOUND_FAULTS.unlisted.domain);
  org.transport.edit({ send: { kind: 'edit', add: listed } });
  for (const f of Object.values(lab.faults)) {
    const disallowed = f.domain === OUTBOUND_FAULTS.disallowed.domain;
    org.newSendConnector({ name: `To ${f.domain}`, usage: disallowed ? 'Custom' : 'Partner', domainSecureEnabled: !disallowed, addressSpaces: [`SMTP:${f.domain};1`] });
  }
}

/** A free TCP port on a loopback address (the MTA binds it right after; collisions are retried by the caller). */
export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, address, () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}
