// Steps that start labs and organizations.
import { Given } from '@cucumber/cucumber';
import type { DomsecWorld } from '../support/world.js';

Given('the documented lab {string} is running', async function (this: DomsecWorld, name: string) {
  await this.startLab(name);
});

Given('organizations {string} and {string} with edge certificates from their own CAs', async function (this: DomsecWorld, a: string, b: string) {
  const sim = await this.simulation();
  for (const d of [a, b]) {
    const org = await sim.addOrganization({ name: d, domains: [d], edges: [{ name: 'EX1', fqdn: `mail.${d}` }] });
    await org.issueEdgeCertificate();
    org.model.setSendConnector('Internet', { protocolLoggingLevel: 'Verbose' });
    org.edge().model.setReceiveConnector(`Default EX1`, { protocolLoggingLevel: 'Verbose' });
  }
});
