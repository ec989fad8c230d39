import { describe, expect, it } from 'vitest';
import { CertificateAuthority, exportPfx } from '../../ca/index.js';
import { Organization } from '../organization.js';
import { LAB_SCRIPTS, labScript, type LabScriptName } from './lab-scripts.js';
import { ManagementShell } from './shell.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const PASSWORD = 'P@ssw0rd';

/** An organization as the lab builds it before the admin types anything: edges with their default connectors and a CA. */
async function side(domain: string, edges: [string, string, string][], partnerRoot: CertificateAuthority, receiveName = (edge: string) => `Default ${edge}`) {
  const org = new Organization({ name: domain, domains: [domain] });
  for (const [name, fqdn, ip] of edges) org.addEdge(name, fqdn, ip).newReceiveConnector({ name: receiveName(name), usage: 'Internet', permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'Partners'] });
  org.newSendConnector({ name: 'Internet', usage: 'Internet', addressSpaces: ['SMTP:*;100'] });
  const ca = await CertificateAuthority.createRoot({ name: `${domain} Root CA`, now: NOW, serialSeed: domain });
  org.trustedRoots.add(ca.certificate);
  return { org, ca, partnerRoot };
}

async function run(name: LabScriptName, org: Organization, ca: CertificateAuthority, partnerRoot: CertificateAuthority, pfx: Record<string, string>, vars: Record<string, string> = {}) {
  const sh = new ManagementShell(org, { runtime: { now: () => NOW }, variables: { PfxPassword: PASSWORD, ...vars } });
  sh.files.writeFile('c:\\certificates\\partner-root.cer', partnerRoot.certificate.der);
  for (const [file, fqdn] of Object.entries(pfx)) {
    const names = fqdn.startsWith('mail') && fqdn.endsWith('contoso.com') ? [fqdn, 'mail.contoso.com'] : [fqdn];
    sh.files.writeFile(file, await exportPfx(await ca.issue({ commonName: fqdn, dnsNames: names, now: NOW }), PASSWORD));
  }
  const results = await sh.runScript(labScript(name));
  const failed = results.filter((r) => !r.ok).map((r) => r.output);
  expect(failed, name).toEqual([]);
  return results;
}

describe('lab scripts (BEHAVIOUR §7)', () => {
  it('adatum.ps1 and treyresearch.ps1: partner lists, Partner connectors, partner-only receive, logging, trust', async () => {
    const adatumCa = await CertificateAuthority.createRoot({ name: 'Adatum Root CA', now: NOW, serialSeed: 'a' });
    const treyCa = await CertificateAuthority.createRoot({ name: 'Trey Root CA', now: NOW, serialSeed: 't' });
    const adatum = (await side('adatum.com', [['EX1', 'mail.adatum.com', '127.0.1.1']], treyCa)).org;
    const trey = (await side('treyresearch.net', [['EX1', 'mail.treyresearch.net', '127.0.2.1']], adatumCa)).org;
    await run('adatum', adatum, adatumCa, treyCa, { 'c:\\certificates\\mail.adatum.com.pfx': 'mail.adatum.com' }, { PartnerEdgeIP: '127.0.2.1' });
    await run('treyresearch', trey, treyCa, adatumCa, { 'c:\\certificates\\mail.treyresearch.net.pfx': 'mail.treyresearch.net' }, { PartnerEdgeIP: '127.0.1.1' });
    for (const [org, partner, partnerIp, partnerCa] of [[adatum, 'treyresearch.net', '127.0.2.1', treyCa], [trey, 'adatum.com', '127.0.1.1', adatumCa]] as const) {
      expect(org.transport.tlsSendDomainSecureList).toEqual([partner]); // not seed 002's slip
      expect(org.transport.tlsReceiveDomainSecureList).toEqual([partner]);
      expect(org.sendConnector(`To ${partner}`)).toMatchObject({ domainSecureEnabled: true, dnsRoutingEnabled: true, protocolLoggingLevel: 'Verbose' });
      expect(org.edge().receiveConnector(`From ${partner}`)).toMatchObject({
        domainSecureEnabled: true, permissionGroups: ['Partners'], authMechanism: ['Tls'], protocolLoggingLevel: 'Verbose',
        remoteIpRanges: [expect.objectContaining({ text: partnerIp })],
      });
      expect(org.trustedRoots.has(partnerCa.certificate.thumbprint)).toBe(true);
      expect(org.edge().certificates.selectForFqdn(org.edge().fqdn).ok).toBe(true);
    }
  });

  // Seed 004's edges already have their single Internet receive connector, Inet: the scripts only switch it to domain security.
  it('contoso.ps1 and woodgrovebank.ps1: both Contoso edges get their certificate and a domain-secure Inet', async () => {
    const contosoCa = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW, serialSeed: 'c' });
    const woodCa = await CertificateAuthority.createRoot({ name: 'Woodgrove Root CA', now: NOW, serialSeed: 'w' });
    const contoso = (await side('contoso.com', [['EDGE1', 'mail1.contoso.com', '127.0.3.1'], ['EDGE2', 'mail2.mail.contoso.com', '127.0.3.2']], woodCa, () => 'Inet')).org;
    const wood = (await side('woodgrovebank.com', [['EDGE1', 'mail.woodgrovebank.com', '127.0.4.1']], contosoCa, () => 'Inet')).org;
    await run('contoso', contoso, contosoCa, woodCa, { 'c:\\certificates\\mail1.pfx': 'mail1.contoso.com', 'c:\\certificates\\mail2.pfx': 'mail2.mail.contoso.com' });
    await run('woodgrovebank', wood, woodCa, contosoCa, { 'c:\\certificates\\mail.pfx': 'mail.woodgrovebank.com' });
    expect(contoso.sendConnector('Internet')).toMatchObject({ fqdn: 'mail.contoso.com', domainSecureEnabled: true });
    for (const edge of contoso.edges) {
      expect(edge.receiveConnector('Inet')).toMatchObject({ domainSecureEnabled: true, authMechanism: ['Tls'], protocolLoggingLevel: 'Verbose' });
      expect(edge.certificates.selectForFqdn('mail.contoso.com')).toMatchObject({ ok: true });
    }
    expect(wood.transport.tlsReceiveDomainSecureList).toEqual(['contoso.com']);
    expect(wood.edge().receiveConnector('Inet').domainSecureEnabled).toBe(true);
  });

  it('lists its scripts and refuses an unknown name', () => {
    expect(Object.keys(LAB_SCRIPTS)).toEqual(['adatum', 'treyresearch', 'contoso', 'woodgrovebank']);
    expect(labScript('adatum')).toContain('Set-TransportConfig –TLSReceiveDomainSecureList treyresearch.net');
    expect(() => labScript('fabrikam')).toThrow(/no lab script named "fabrikam"/);
  });
});
