// The documented adatum ↔ treyresearch lab on the real simulation, with treyresearch.net played by Postfix and then by Exim, both directions.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Lab, startLab } from '../sim/index.js';
import type { PeerImplementation, RunningPeer } from './peer.js';
import { startPeer } from './profile.js';
import { mtaGate } from './require-mta.js';
import { freePort } from './testing/interop-lab.js';
import { describeGated } from './testing/gated-describe.js';

for (const kind of ['postfix', 'exim'] as const satisfies readonly PeerImplementation[]) {
  const gate = mtaGate(kind);
  describeGated(gate, 'ERR_MTA_MISSING', `lab adatum-treyresearch, treyresearch.net = ${kind}`, () => {
    let lab: Lab;
    let peer: RunningPeer;
    beforeAll(async () => {
      // Certificates are issued on the virtual clock but checked by the MTA on the wall clock: start the lab now.
      lab = await startLab('adatum-treyresearch', { now: new Date() });
      const trey = lab.orgs['treyresearch.net'];
      const adatum = lab.orgs['adatum.com'].edge();
      await trey.stopEdge(); // the simulated treyresearch edge leaves its address to the MTA
      peer = await startPeer(kind, trey.model, {
        port: await freePort(trey.edge().address),
        relayHost: { address: adatum.address, port: adatum.port },
        fetchCrl: (url) => lab.sim.ctx.fetchCrl(url, trey.edge().address),
      });
      lab.sim.network.publish(trey.edge().address, 25, peer.port); // adatum dials mail.treyresearch.net:25 → the MTA
    });
    afterAll(async () => {
      await peer?.stop();
      await lab?.sim.stop();
    });

    it('adatum.com → treyresearch.net: the simulated edge delivers over mutual TLS; the MTA marks it Domain Secured', async () => {
      const adatum = lab.orgs['adatum.com'];
      await adatum.send({ from: 'administrator@adatum.com', to: ['administrator@treyresearch.net'], subject: 'lab inbound', body: 'hello' });
      await lab.sim.settle();
      const got = await peer.waitFor(async () => (await peer.mailbox('administrator@treyresearch.net')).find((m) => m.subject === 'lab inbound'));
      expect(got).toMatchObject({ authAs: 'Partner', authDomain: 'adatum.com', domainSecured: true });
      expect(peer.policyRecords().at(-1)?.decision.rule).toBe('DS-RECV-07');
      expect(adatum.counters()['Domain-Secured Messages Sent']).toBe(1);
    });

    it('treyresearch.net → adatum.com: the MTA delivers over mutual TLS; the simulated side shows Domain Secured', async () => {
      const adatum = lab.orgs['adatum.com'];
      await peer.submit({ from: 'administrator@treyresearch.net', to: ['administrator@adatum.com'], subject: 'lab outbound', body: 'hello' });
      const got = await peer.waitFor(async () => adatum.mailbox('administrator@adatum.com').find((m) => m.subject === 'lab outbound'));
      expect(got).toMatchObject({ authAs: 'Partner', authDomain: 'treyresearch.net' });
      expect(adatum.counters()['Domain-Secured Messages Received']).toBe(1);
      // The partner may have the message a moment before the MTA writes its delivery line.
      const sent = await peer.waitFor(async () => (await peer.readings()).find((r) => r.rule === 'DS-SEND-06'));
      expect(sent.outcome).toBe('delivered');
    });
  });
}
