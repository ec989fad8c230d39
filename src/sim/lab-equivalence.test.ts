// The documented labs reach the same state whether built from labs/*.yaml or purely by the admins' cmdlet scripts.
import { afterEach, describe, expect, it } from 'vitest';
import { startCmdletLab } from './cmdlet-lab.js';
import { type Lab, startLab } from './documented-labs.js';
import { isDomainSecured } from './message.js';

/** What an administrator could read back with Get-* cmdlets, minus keys and serials (fresh per build). */
function state(lab: Lab): unknown {
  return Object.fromEntries(lab.sim.orgs.map((o) => [o.model.primaryDomain, {
    send: o.model.transport.tlsSendDomainSecureList,
    receive: o.model.transport.tlsReceiveDomainSecureList,
    roots: o.model.trustedRoots.list().map((r) => r.subject).sort(),
    sendConnectors: o.model.sendConnectors.map((c) => ({ ...c })),
    edges: o.model.edges.map((e) => ({
      fqdn: e.fqdn,
      receiveConnectors: e.receiveConnectors.map((c) => ({ ...c, remoteIpRanges: c.remoteIpRanges.map((r) => r.text) })),
      smtpCertificates: e.certificates.list().filter((c) => c.services.has('SMTP')).map((c) => ({ subject: c.certificate.subject, names: c.certificate.names, issuer: c.certificate.issuer })),
    })),
  }]));
}

const running: Lab[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.sim.stop()));
});

describe.each(['adatum-treyresearch', 'contoso-woodgrove'])('%s', (name) => {
  it('the lab file and the cmdlet scripts build the same configuration', async () => {
    const fromFile = await startLab(name);
    const byCmdlets = await startCmdletLab(name);
    running.push(fromFile, byCmdlets);
    expect(state(byCmdlets)).toEqual(state(fromFile));
  });

  it('both deliver the test messages Domain Secured', async () => {
    for (const lab of [await startLab(name), await startCmdletLab(name)]) {
      running.push(lab);
      for (const p of lab.probes) await lab.sim.org(p.from.split('@')[1]).send({ from: p.from, to: [p.to], subject: 'probe' });
      await lab.sim.settle();
      const secured = lab.probes.map((p) => lab.sim.org(p.to.split('@')[1]).mailbox(p.to).map(isDomainSecured));
      expect(secured).toEqual(lab.probes.map(() => [true]));
    }
  });
});
