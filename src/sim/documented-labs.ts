// The two documented labs (BEHAVIOUR §7): adatum.com ↔ treyresearch.net and Contoso ↔ Woodgrove Bank, from labs/*.yaml.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DomsecError } from '../errors.js';
import { startDefinedLab } from './defined-lab.js';
import { type LabDefinition, parseLabDefinition } from './lab-definition.js';
import { ownStrings } from './own-strings.js';
import type { Simulation, SimulationOptions } from './simulation.js';
import type { SimOrganization } from './sim-organization.js';

export type LabName = 'adatum-treyresearch' | 'contoso-woodgrove';
export const LAB_NAMES: LabName[] = ['adatum-treyresearch', 'contoso-woodgrove'];

export interface Lab {
  name: string;
  sim: Simulation;
  orgs: Record<string, SimOrganization>;
  /** The test messages the walkthrough sends, both ways. */
  probes: { from: string; to: string }[];
}

/** The shipped lab file of a documented lab: the one definition the CLI, the scenarios and the benchmarks share. */
export function documentedLabFile(name: LabName): URL {
  return new URL(`../../labs/${name}.yaml`, import.meta.url);
}

export async function startLab(name: string, o: SimulationOptions = {}): Promise<Lab> {
  if (!LAB_NAMES.includes(name as LabName)) {
    throw new DomsecError('ERR_LAB_FILE', `There is no documented lab named "${name}". Use one of: ${LAB_NAMES.join(', ')}.`);
  }
  return startDefinedLab(definitionOf(name as LabName), o);
}

const DEFINITIONS = new Map<LabName, LabDefinition>();

/** Read and checked once per process: every scenario that starts a lab would otherwise parse the file again. */
function definitionOf(name: LabName): LabDefinition {
  let d = DEFINITIONS.get(name);
  if (!d) {
    d = parseLabDefinition(ownStrings(parseYaml(readFileSync(documentedLabFile(name), 'utf8'))), `labs/${name}.yaml`);
    DEFINITIONS.set(name, d);
  }
  return d;
}
