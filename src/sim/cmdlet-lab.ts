// The documented labs built purely by cmdlets: each admin runs its lab script (src/orgs/shell/scripts) in the shell.
import { DomsecError } from '../errors.js';
import { labScript, type LabScriptName, ManagementShell, MemoryFileSystem, type ShellResult } from '../orgs/shell/index.js';
import type { Lab } from './documented-labs.js';
import { handOverPfx } from './handed-over-pfx.js';
import { simShellRuntime } from './shell-runtime.js';
import type { SimOrganization } from './sim-organization.js';
import { Simulation, type SimulationOptions } from './simulation.js';

export const PFX_PASSWORD = 'P@ssw0rd';

export interface CmdletLab extends Lab {
  shells: Record<string, ManagementShell>;
  transcripts: Record<string, ShellResult[]>;
}

interface Side {
  script: LabScriptName;
  org: SimOrganization;
  files: MemoryFileSystem;
  variables: Record<string, string>;
}

/** What the admins start from: edges, their CAs, DNS, and each edge's certificate handed over as a PFX file. */
export async function startCmdletLab(name: string, o: SimulationOptions = {}): Promise<CmdletLab> {
  if (name !== 'adatum-treyresearch' && name !== 'contoso-woodgrove') {
    throw new DomsecError('ERR_LAB_FILE', `There is no documented lab named "${name}". Use adatum-treyresearch or contoso-woodgrove.`);
  }
  const sim = await Simulation.start({ seed: `${name}-cmdlets`, ...o });
  const sides = name === 'adatum-treyresearch' ? await adatumSides(sim) : await contosoSides(sim);
  const [a, b] = sides;
  for (const [self, partner] of [[a, b], [b, a]]) self.files.writeFile('c:\\certificates\\partner-root.cer', partner.org.pki.root.certificate.der);
  const shells: Record<string, ManagementShell> = {};
  const transcripts: Record<string, ShellResult[]> = {};
  for (const s of sides) {
    const domain = s.org.model.primaryDomain;
    shells[domain] = new ManagementShell(s.org.model, { runtime: simShellRuntime(sim, s.org, s.files), variables: { ...s.variables, PfxPassword: PFX_PASSWORD } });
    transcripts[domain] = await shells[domain].runScript(labScript(s.script));
    const failed = transcripts[domain].find((r) => !r.ok);
    if (failed) {
      await sim.stop();
      throw new DomsecError('ERR_LAB_FILE', `The ${s.script} lab script failed at "${failed.line}": ${failed.error?.message ?? failed.output}`);
    }
  }
  const orgs = Object.fromEntries(sides.map((s) => [s.org.model.primaryDomain, s.org]));
  const probes = [
    { from: `administrator@${a.org.model.primaryDomain}`, to: `administrator@${b.org.model.primaryDomain}` },
    { from: `administrator@${b.org.model.primaryDomain}`, to: `administrator@${a.org.model.primaryDomain}` },
  ];
  return { name, sim, orgs, probes, shells, transcripts };
}

async function adatumSides(sim: Simulation): Promise<Side[]> {
  const sides: Side[] = [];
  for (const [script, domain] of [['adatum', 'adatum.com'], ['treyresearch', 'treyresearch.net']] as const) {
    const org = await sim.addOrganization({ name: domain, domains: [domain], edges: [{ name: 'EX1', fqdn: `mail.${domain}` }] });
    const files = new MemoryFileSystem();
    const fqdn = `mail.${domain}`;
    files.writeFile(`c:\\certificates\\${fqdn}.pfx`, await handOverPfx(org, { commonName: fqdn, dnsNames: [fqdn] }, PFX_PASSWORD, sim.clock.nowMs()));
    sides.push({ script, org, files, variables: {} });
  }
  sides[0].variables.PartnerEdgeIP = sides[1].org.edge().address;
  sides[1].variables.PartnerEdgeIP = sides[0].org.edge().address;
  return sides;
}

/** Contoso's certificates come from the seed's requests (CN plus SAN mail.contoso.com), signed by Contoso's CA. */
async function contosoSides(sim: Simulation): Promise<Side[]> {
  const contoso = await sim.addOrganization({ name: 'contoso.com', domains: ['contoso.com'], edges: [{ name: 'EDGE1', fqdn: 'mail1.contoso.com' }, { name: 'EDGE2', fqdn: 'mail2.mail.contoso.com' }], bare: true });
  const woodgrove = await sim.addOrganization({ name: 'woodgrovebank.com', domains: ['woodgrovebank.com'], edges: [{ name: 'EDGE1', fqdn: 'mail.woodgrovebank.com' }], bare: true });
  const cFiles = new MemoryFileSystem();
  for (const [file, cn] of [['mail1.pfx', 'mail1.contoso.com'], ['mail2.pfx', 'mail2.mail.contoso.com']]) {
    const spec = { commonName: cn, dnsNames: ['mail.contoso.com'], subjectName: `DC=com,DC=Contoso,CN=${cn}` };
    cFiles.writeFile(`c:\\certificates\\${file}`, await handOverPfx(contoso, spec, PFX_PASSWORD, sim.clock.nowMs()));
  }
  const wFiles = new MemoryFileSystem();
  const wSpec = { commonName: 'mail.woodgrovebank.com', dnsNames: ['mail.woodgrovebank.com'] };
  wFiles.writeFile('c:\\certificates\\mail.pfx', await handOverPfx(woodgrove, wSpec, PFX_PASSWORD, sim.clock.nowMs()));
  // Before the walkthrough starts (seed 004) each edge has its default DNS-routed Internet send connector and its single
  // Internet receive connector "Inet" (with the Partners group an Edge's Internet connector carries, DS-RECV-09).
  for (const org of [contoso, woodgrove]) {
    org.model.newSendConnector({ name: 'Internet', usage: 'Internet', addressSpaces: ['SMTP:*;100'] });
    for (const e of org.model.edges) e.newReceiveConnector({ name: 'Inet', usage: 'Internet', permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'Partners'] });
  }
  return [
    { script: 'contoso', org: contoso, files: cFiles, variables: {} },
    { script: 'woodgrovebank', org: woodgrove, files: wFiles, variables: {} },
  ];
}
