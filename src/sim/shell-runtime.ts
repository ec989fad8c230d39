// Binds the management shell to a simulated organization: its queues, tracking log, the virtual clock and CRLs.
import type { ShellFileSystem, ShellRuntime } from '../orgs/shell/index.js';
import type { SimOrganization } from './sim-organization.js';
import type { Simulation } from './simulation.js';

export function simShellRuntime(sim: Simulation, org: SimOrganization, files: ShellFileSystem): ShellRuntime {
  return {
    readFile: (p) => files.readFile(p),
    writeFile: (p, b) => files.writeFile(p, b),
    queues: () => org.queues(),
    // Retry-Queue returns once the forced attempt has finished, as the admin sees the queue change right after.
    retryQueue: async (identity) => {
      await org.retryQueue(identity);
      await sim.settle();
    },
    // Send-MailMessage, like Retry-Queue, returns once the delivery attempt it caused has finished.
    sendMessage: async (m) => {
      const id = await org.send({ from: m.from, to: m.to, subject: m.subject ?? 'Domain Security test', body: m.body ?? 'Sent with Send-MailMessage.' });
      await sim.settle();
      return id;
    },
    messages: () => org.messages(),
    trackingLog: () => org.trackingLog(),
    now: () => sim.clock.now(),
    fetchCrl: (url) => sim.ctx.fetchCrl(url, org.edge().address),
    keySeed: (kind) => org.nextKeySeed(kind),
  };
}
