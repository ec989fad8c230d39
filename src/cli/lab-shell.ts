// Management shells bound to a running lab's organizations: the sim as the shell's runtime, and the lab's roots as files it can import.
import { HostFileSystem, ManagementShell, type MemoryFileSystem, type ShellResult } from '../orgs/shell/index.js';
import { DomsecError } from '../errors.js';
import { type Lab, type SimOrganization, simShellRuntime } from '../sim/index.js';
import { type MessageOutcome, messageOutcome } from './lab-outcome.js';

/** A shell line's result, plus the outcome of every message it caused an attempt for (Retry-Queue, Send-MailMessage). */
export type LabShellResult = ShellResult & { deliveries: MessageOutcome[] };

/**
 * Where the shell finds the partner roots: the same paths doctor's fixes name
 * (`Import-Certificate -FilePath "C:\certs\<domain>-root.cer" -CertStoreLocation Cert:\LocalMachine\Root`).
 */
export function rootFilePath(domain: string): string {
  return `C:\\certs\\${domain}-root.cer`;
}

/** The lab's roots as C:\certs\… files, and absolute host paths read from disk (a vendor's own root or PFX). */
function labFiles(lab: Lab): MemoryFileSystem {
  const files = new HostFileSystem();
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

  async run(line: string, domain?: string, server?: string): Promise<LabShellResult> {
    const sim = this.lab.sim;
    const before = sim.hopsRecorded;
    // Queued messages leave the queue when delivered: note their envelopes first.
    const envelopes = new Map(sim.orgs.flatMap((o) => o.messages()).map((m) => [m.messageId, { from: m.from, to: m.to }]));
    const result = await this.shell(domain, server).run(line);
    return { ...result, deliveries: this.#attempted(before, envelopes) };
  }

  /** Messages the line's hops carried, each with what became of it and only the hops of this attempt. */
  #attempted(before: number, envelopes: Map<string, { from: string; to: string[] }>): MessageOutcome[] {
    const sim = this.lab.sim;
    const hops = sim.hopsSince(before);
    const ids = [...new Set(hops.flatMap((h) => h.messageIds))];
    for (const m of sim.orgs.flatMap((o) => o.messages())) {
      if (ids.includes(m.messageId) && !envelopes.has(m.messageId)) envelopes.set(m.messageId, { from: m.from, to: m.to });
    }
    // Looked up by id, not by reading every mailbox: a durable lab's older mail is on disk.
    for (const id of ids.filter((x) => !envelopes.has(x))) {
      for (const o of sim.orgs) {
        const m = o.mailboxes.find(undefined, (x) => x.messageId === id, id);
        if (m) {
          envelopes.set(id, { from: m.from, to: m.to });
          break;
        }
      }
    }
    const hopIds = new Set(hops.map((h) => h.id));
    return ids.flatMap((messageId) => {
      const env = envelopes.get(messageId);
      if (!env || !env.from) return []; // a DSN (null sender) is reported with the message it is about
      const o = messageOutcome(sim, { messageId, from: env.from, to: env.to });
      return [{ ...o, hops: o.hops.filter((h) => hopIds.has(h.id)) }];
    });
  }

  prompt(domain?: string, server?: string): string {
    const org = this.org(domain);
    return `[PS] ${org.model.primaryDomain}\\${org.model.edge(server).name}> `;
  }
}
