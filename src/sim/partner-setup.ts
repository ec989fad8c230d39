// Domain Security between two simulated organizations as the documented labs set it up (seeds 001/002), for any pair.
import type { Simulation } from './simulation.js';
import type { SimOrganization } from './sim-organization.js';

/** An organization with one edge `EX1` (`mail.<domain>`), a certificate from its own CA and Verbose protocol logs. */
export async function addEdgeOrganization(sim: Simulation, domain: string): Promise<SimOrganization> {
  const org = await sim.addOrganization({ name: domain, domains: [domain], edges: [{ name: 'EX1', fqdn: `mail.${domain}` }] });
  await org.issueEdgeCertificate();
  org.model.setSendConnector('Internet', { protocolLoggingLevel: 'Verbose' });
  org.edge().model.setReceiveConnector('Default EX1', { protocolLoggingLevel: 'Verbose' });
  return org;
}

/**
 * `self` treats `partner` as a secure domain both ways: imports its root (DS-CERT-01), lists it on both lists
 * (added, so several partners can coexist), a Partner send connector `To <partner>` and a Partner receive connector
 * `From <partner>` limited to the partner edge's address, both Verbose.
 */
export function makePartner(self: SimOrganization, partner: SimOrganization): void {
  const p = partner.model.primaryDomain;
  self.trust(partner);
  self.model.transport.edit({ send: { kind: 'edit', add: [p] }, receive: { kind: 'edit', add: [p] } });
  self.model.newSendConnector({ name: `To ${p}`, usage: 'Partner', addressSpaces: [`SMTP:${p};1`], fqdn: self.edge().model.fqdn, protocolLoggingLevel: 'Verbose' });
  self.edge().model.newReceiveConnector({ name: `From ${p}`, usage: 'Partner', remoteIpRanges: partner.model.edges.map((e) => e.address), protocolLoggingLevel: 'Verbose' });
}

/** Two organizations configured as each other's Domain Security partner. */
export async function addPartnerPair(sim: Simulation, a: string, b: string): Promise<[SimOrganization, SimOrganization]> {
  const x = await addEdgeOrganization(sim, a);
  const y = await addEdgeOrganization(sim, b);
  makePartner(x, y);
  makePartner(y, x);
  return [x, y];
}
