// The two documented labs (BEHAVIOUR §7), built programmatically: adatum.com ↔ treyresearch.net and Contoso ↔ Woodgrove Bank.
import { createRequest, exportPfx, importPfx, Certificate } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { Simulation, type SimulationOptions } from './simulation.js';
import type { SimOrganization } from './sim-organization.js';

export type LabName = 'adatum-treyresearch' | 'contoso-woodgrove';
export const LAB_NAMES: LabName[] = ['adatum-treyresearch', 'contoso-woodgrove'];

export interface Lab {
  name: LabName;
  sim: Simulation;
  orgs: Record<string, SimOrganization>;
  /** The test messages the walkthrough sends, both ways. */
  probes: { from: string; to: string }[];
}

export async function startLab(name: string, o: SimulationOptions = {}): Promise<Lab> {
  if (name === 'adatum-treyresearch') return adatumTreyresearch(o);
  if (name === 'contoso-woodgrove') return contosoWoodgrove(o);
  throw new DomsecError('ERR_LAB_FILE', `There is no documented lab named "${name}". Use one of: ${LAB_NAMES.join(', ')}.`);
}

/** Seeds 001/002: each side trusts the other's root, lists the partner both ways, and has a Partner connector pair. */
async function adatumTreyresearch(o: SimulationOptions): Promise<Lab> {
  const sim = await Simulation.start({ seed: 'adatum-treyresearch', ...o });
  const adatum = await sim.addOrganization({ name: 'adatum.com', domains: ['adatum.com'], edges: [{ name: 'EX1', fqdn: 'mail.adatum.com' }] });
  const trey = await sim.addOrganization({ name: 'treyresearch.net', domains: ['treyresearch.net'], edges: [{ name: 'EX1', fqdn: 'mail.treyresearch.net' }] });
  for (const [self, partner] of [[adatum, trey], [trey, adatum]] as const) {
    await self.issueEdgeCertificate();
    self.trust(partner);
    const p = partner.model.primaryDomain;
    self.model.transport.edit({ send: { kind: 'replace', values: [p] }, receive: { kind: 'replace', values: [p] } });
    self.model.newSendConnector({ name: `To ${p}`, usage: 'Partner', addressSpaces: [`SMTP:${p};1`], fqdn: self.edge().model.fqdn, protocolLoggingLevel: 'Verbose' });
    self.edge().model.newReceiveConnector({ name: `From ${p}`, usage: 'Partner', remoteIpRanges: [partner.edge().address], protocolLoggingLevel: 'Verbose' });
  }
  return { name: 'adatum-treyresearch', sim, orgs: { 'adatum.com': adatum, 'treyresearch.net': trey }, probes: [
    { from: 'administrator@adatum.com', to: 'administrator@treyresearch.net' },
    { from: 'administrator@treyresearch.net', to: 'administrator@adatum.com' },
  ] };
}

/** Seed 004: two Contoso edges with CSR-requested, CA-signed, PFX-imported certificates; mutual TLS required with Woodgrove. */
async function contosoWoodgrove(o: SimulationOptions): Promise<Lab> {
  const sim = await Simulation.start({ seed: 'contoso-woodgrove', ...o });
  const contoso = await sim.addOrganization({ name: 'contoso.com', domains: ['contoso.com'], edges: [
    { name: 'EDGE1', fqdn: 'mail1.contoso.com' }, { name: 'EDGE2', fqdn: 'mail2.mail.contoso.com' },
  ] });
  const woodgrove = await sim.addOrganization({ name: 'woodgrovebank.com', domains: ['woodgrovebank.com'], edges: [{ name: 'EDGE1', fqdn: 'mail.woodgrovebank.com' }] });
  for (const edge of contoso.model.edges) {
    const dc = edge.fqdn === 'mail1.contoso.com' ? 'mail1.contoso.com' : 'mail2.mail.contoso.com';
    const req = await createRequest({ subjectName: `DC=com,DC=Contoso,CN=${dc}`, domainNames: ['mail.contoso.com'] });
    const cert = await contoso.pki.issuing.signRequest(req.csrPem, { notBefore: new Date(sim.clock.nowMs() - 86_400_000) });
    const pfx = await exportPfx({ certificate: cert as Certificate, privateKeyPem: req.privateKeyPem, chain: [contoso.pki.issuing.certificate, contoso.pki.root.certificate] }, 'P@ssw0rd');
    contoso.installEdgeCertificate(edge.name, await importPfx(pfx, 'P@ssw0rd'));
  }
  await woodgrove.issueEdgeCertificate(undefined, { dnsNames: ['mail.woodgrovebank.com'] });
  contoso.trust(woodgrove);
  woodgrove.trust(contoso);
  const setup = (self: SimOrganization, partner: string, fqdn: string) => {
    self.model.transport.edit({ send: { kind: 'replace', values: [partner] }, receive: { kind: 'replace', values: [partner] } });
    self.model.setSendConnector('Internet', { fqdn, domainSecureEnabled: true, protocolLoggingLevel: 'Verbose' });
    for (const e of self.model.edges) {
      // Inet takes the Internet-facing binding; a second connector with the same binding and ranges would be ambiguous
      // (Exchange refuses that pair), so the edge's default connector makes way for it.
      e.removeReceiveConnector(`Default ${e.name}`);
      // Partners too: a session authenticated by domain security needs it (DS-RECV-09), as on Exchange's Internet-facing edge connector.
      e.newReceiveConnector({ name: 'Inet', usage: 'Internet', domainSecureEnabled: true, authMechanism: ['Tls'], permissionGroups: ['AnonymousUsers', 'Partners'], protocolLoggingLevel: 'Verbose' });
    }
  };
  setup(contoso, 'woodgrovebank.com', 'mail.contoso.com');
  setup(woodgrove, 'contoso.com', 'mail.woodgrovebank.com');
  return { name: 'contoso-woodgrove', sim, orgs: { 'contoso.com': contoso, 'woodgrovebank.com': woodgrove }, probes: [
    { from: 'administrator@contoso.com', to: 'administrator@woodgrovebank.com' },
    { from: 'administrator@woodgrovebank.com', to: 'administrator@contoso.com' },
  ] };
}
