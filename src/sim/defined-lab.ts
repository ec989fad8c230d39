// Builds a lab from a declarative lab file (lab-definition.ts): organizations, certificates, trust, lists, connectors, commands.
import { importPfx } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { ManagementShell, MemoryFileSystem } from '../orgs/shell/index.js';
import type { Lab } from './documented-labs.js';
import { addExternalOrganization, externalPeerOf } from './external-organization.js';
import type { CertificateDefinition, LabDefinition, OrganizationDefinition } from './lab-definition.js';
import { handOverPfx } from './handed-over-pfx.js';
import { simShellRuntime } from './shell-runtime.js';
import type { SimOrganization } from './sim-organization.js';
import { Simulation, type SimulationOptions } from './simulation.js';

export async function startDefinedLab(def: LabDefinition, o: SimulationOptions = {}): Promise<Lab> {
  const sim = await Simulation.start({ seed: def.seed ?? def.name, ...(def.keyAlgorithm ? { keyAlgorithm: def.keyAlgorithm } : {}), ...(def.edgeThreads ? { edgeThreads: def.edgeThreads } : {}), ...o });
  try {
    const orgs: Record<string, SimOrganization> = {};
    for (const d of def.organizations) {
      orgs[d.domain.toLowerCase()] = d.external
        ? (await addExternalOrganization(sim, { domain: d.domain, domains: d.domains, external: d.external })).org
        : await sim.addOrganization({ name: d.domain, domains: d.domains ?? [d.domain], edges: d.edges, bare: !!d.bare });
    }
    for (const d of def.organizations) if (!d.external) await configure(sim, orgs, d);
    return { name: def.name, sim, orgs, probes: probesOf(def) };
  } catch (e) {
    await sim.stop();
    throw e instanceof DomsecError && e.code !== 'ERR_ADDRESS_IN_USE' ? new DomsecError('ERR_LAB_FILE', `${def.name}: ${e.message}`, { cause: e.code }) : e;
  }
}

async function configure(sim: Simulation, orgs: Record<string, SimOrganization>, d: OrganizationDefinition): Promise<void> {
  const org = orgs[d.domain.toLowerCase()];
  if (d.exchangeVersion) org.model.transport.setSettings({ exchangeVersion: d.exchangeVersion });
  for (const e of d.edges) if (e.tlsVersions && !e.external) org.model.edge(e.name).tlsVersions = [...e.tlsVersions];
  // An external edge's certificate was issued with it (addExternalEdge); its connectors are its MTA's configuration.
  const simulated = org.model.edges.filter((e) => !d.edges.some((x) => x.external && x.name.toLowerCase() === e.name.toLowerCase()));
  const certs: CertificateDefinition[] = d.certificates ?? simulated.map((e) => ({ edge: e.name }));
  for (const c of certs) await installCertificate(sim, org, c);
  for (const t of d.trusts ?? []) org.trust(orgs[t.toLowerCase()]);
  org.model.transport.edit({
    ...(d.tlsSendDomainSecureList ? { send: { kind: 'replace', values: d.tlsSendDomainSecureList } } : {}),
    ...(d.tlsReceiveDomainSecureList ? { receive: { kind: 'replace', values: d.tlsReceiveDomainSecureList } } : {}),
  });
  // Names in a set: a scan of the connectors per connector made a mesh's 99 connectors per organization quadratic.
  const sendNames = new Set(org.model.sendConnectors.map((s) => s.name.toLowerCase()));
  for (const { remove, ...c } of d.sendConnectors ?? []) {
    const name = c.name.toLowerCase();
    if (remove) { org.model.removeSendConnector(c.name); sendNames.delete(name); } else if (sendNames.has(name)) org.model.setSendConnector(c.name, c);
    else { org.model.newSendConnector(c); sendNames.add(name); }
  }
  const receiveNames = new Map(org.model.edges.map((e) => [e, new Set(e.receiveConnectors.map((r) => r.name.toLowerCase()))]));
  for (const { remove, edge: edgeName, ...c } of d.receiveConnectors ?? []) {
    const ranges = Array.isArray(c.remoteIpRanges) ? (c.remoteIpRanges as string[]).flatMap((r) => addressesOf(orgs, r)) : undefined;
    for (const edge of edgeName ? [org.model.edge(edgeName)] : simulated) {
      let names = receiveNames.get(edge);
      if (!names) receiveNames.set(edge, names = new Set(edge.receiveConnectors.map((r) => r.name.toLowerCase())));
      const name = c.name.toLowerCase();
      const input = { ...c, ...(ranges ? { remoteIpRanges: ranges } : {}) };
      if (remove) { edge.removeReceiveConnector(c.name); names.delete(name); } else if (names.has(name)) edge.setReceiveConnector(c.name, input);
      else { edge.newReceiveConnector(input); names.add(name); }
    }
  }
  if (d.commands?.length) {
    const shell = new ManagementShell(org.model, { runtime: simShellRuntime(sim, org, new MemoryFileSystem()) });
    const failed = (await shell.runScript(d.commands.join('\n'))).find((r) => !r.ok);
    if (failed) throw new DomsecError('ERR_LAB_FILE', `${d.domain}: the command "${failed.line}" failed: ${failed.error?.message}`);
  }
}

/** `request` follows seed 004: a CSR from the Exchange subject string, signed by the org's CA, handed over as PFX, imported. */
async function installCertificate(sim: Simulation, org: SimOrganization, c: CertificateDefinition): Promise<void> {
  const edge = org.model.edge(c.edge);
  const commonName = c.commonName ?? edge.fqdn;
  const dnsNames = c.dnsNames ?? [commonName];
  if (c.via !== 'request') {
    await org.issueEdgeCertificate(edge.name, { commonName, dnsNames });
    return;
  }
  const pfx = await handOverPfx(org, { commonName, dnsNames, subjectName: c.subjectName ?? `CN=${commonName}` }, 'lab', sim.clock.nowMs());
  org.installEdgeCertificate(edge.name, await importPfx(pfx, 'lab'));
}

/** `adatum.com` → every edge address of that organization; `adatum.com/EX1` → that edge; anything else is an IP range. */
function addressesOf(orgs: Record<string, SimOrganization>, ref: string): string[] {
  const [domain, edge] = ref.toLowerCase().split('/');
  const org = orgs[domain];
  if (!org) return [ref];
  const external = externalPeerOf(org);
  if (external) return [external.from]; // the outside MTA's source address
  return edge ? [org.model.edge(edge).address] : org.model.edges.map((e) => e.address);
}

/** The file's messages, or one from each organization to every domain on its send list. */
function probesOf(def: LabDefinition): { from: string; to: string }[] {
  if (def.messages) return def.messages.flatMap((m) => (Array.isArray(m.to) ? m.to : m.to.split(/[,;]\s*/)).map((to) => ({ from: m.from, to })));
  return def.organizations.flatMap((o) => (o.tlsSendDomainSecureList ?? []).map((p) => ({ from: `administrator@${o.domain}`, to: `administrator@${p}` })));
}
