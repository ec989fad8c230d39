// Owns the documented labs as cmdlet scripts (BEHAVIOUR §7): what each side's admin types, and what must exist before it runs.
import { readFileSync } from 'node:fs';
import { DomsecError } from '../../errors.js';

export type LabScriptName = 'adatum' | 'treyresearch' | 'contoso' | 'woodgrovebank';

export interface LabScriptInfo {
  lab: 'adatum-treyresearch' | 'contoso-woodgrove';
  domain: string;
  /** Variables the script reads; pass them in ManagementShellOptions.variables. */
  variables: string[];
  /** Files the lab places in the shell's file system before running the script. */
  files: string[];
}

export const LAB_SCRIPTS: Record<LabScriptName, LabScriptInfo> = {
  adatum: { lab: 'adatum-treyresearch', domain: 'adatum.com', variables: ['PartnerEdgeIP', 'PfxPassword'], files: ['c:\\certificates\\mail.adatum.com.pfx', 'c:\\certificates\\partner-root.cer'] },
  treyresearch: { lab: 'adatum-treyresearch', domain: 'treyresearch.net', variables: ['PartnerEdgeIP', 'PfxPassword'], files: ['c:\\certificates\\mail.treyresearch.net.pfx', 'c:\\certificates\\partner-root.cer'] },
  contoso: { lab: 'contoso-woodgrove', domain: 'contoso.com', variables: ['PfxPassword'], files: ['c:\\certificates\\mail1.pfx', 'c:\\certificates\\mail2.pfx', 'c:\\certificates\\partner-root.cer'] },
  woodgrovebank: { lab: 'contoso-woodgrove', domain: 'woodgrovebank.com', variables: ['PfxPassword'], files: ['c:\\certificates\\mail.pfx', 'c:\\certificates\\partner-root.cer'] },
};

/** The text of scripts/<name>.ps1. */
export function labScript(name: string): string {
  if (!(name in LAB_SCRIPTS)) {
    throw new DomsecError('ERR_LAB_FILE', `There is no lab script named "${name}". Use one of: ${Object.keys(LAB_SCRIPTS).join(', ')}.`);
  }
  return readFileSync(new URL(`./scripts/${name}.ps1`, import.meta.url), 'utf8');
}
