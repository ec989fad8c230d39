// Management shells bound to a running lab's organizations: the sim as the shell's runtime, and the lab's roots as files it can import.
import { ManagementShell, MemoryFileSystem, type ShellResult } from '../orgs/shell/index.js';
import { DomsecError } from '../errors.js';
import { type Lab, type SimOrganization, simShellRuntime } from '../sim/index.js';

/**
 * Where the shell finds the partner roots: the same paths doctor's fixes name
 * (`Import-Certificate -FilePath "C:\certs\<domain>-root.cer" -CertStoreLocation Cert:\LocalMachine\Root`).
 */
export function rootFilePath(domain: string): string {
  return `C:\\certs\\${domain}-root.cer`;
}

function labFiles(lab: Lab): MemoryFileSystem {
  const files = new MemoryFileSystem();
  for (const o of lab.sim.orgs) files.writeFile(rootFilePath(o.model.primaryDomain), o.pki.root.certificate.der);
  return files;
}

export class LabShells {
  readonly #shells = new Map<string, ManagementShell>();
  readonly #files: MemoryFileSystem;

  constructor(private readonly lab: Lab) {
    this.#files = labFiles(lab);
  }

  org(domain: string | undefined): SimOrganization {
    const orgs = this.lab.sim.orgs;
    if (domain === undefined) return orgs[0];
    const o = orgs.find((x) => x.model.domains.includes(domain.toLowerCase()) || x.name.toLowerCase() === domain.toLowerCase());
    if (!o) throw new DomsecError('ERR_USAGE', `No organization "${domain}" in lab ${this.lab.name}: use one of ${orgs.map((x) => x.model.primaryDomain).join(', ')}.`);
    return o;
  }

  /** One shell per organization and server, so variables set on one line are there on the next. */
  shell(domain?: string, server?: string): ManagementShell {
    const org = this.org(domain);
    const key = `${org.model.primaryDomain}|${server ?? ''}`;
    let s = this.#shells.get(key);
    if (!s) {
      s = new ManagementShell(org.model, { ...(server ? { server } : {}), runtime: simShellRuntime(this.lab.sim, org, this.#files) });
      this.#shells.set(key, s);
    }
    return s;
  }

  async run(line: string, domain?: string, server?: string): Promise<ShellResult> {
    return this.shell(domain, server).run(line);
  }

  prompt(domain?: string, server?: string): string {
    const org = this.org(domain);
    return `[PS] ${org.model.primaryDomain}\\${org.model.edge(server).name}> `;
  }
}
