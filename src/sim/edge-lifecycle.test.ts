// An edge that goes down refuses connections and, back up, receives again; quirks rebuild its server.
import { afterEach, describe, expect, it } from 'vitest';
import { addPartnerPair } from './partner-setup.js';
import { Simulation } from './simulation.js';

let sim: Simulation | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

describe('SimOrganization.stopEdge / startEdge', () => {
  it('queues with 10061 while the edge is down and delivers once after it is back', async () => {
    sim = await Simulation.start({ seed: 'edge-lifecycle' });
    const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
    await b.stopEdge();
    await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'] });
    expect(a.queues()[0].lastError).toContain('Winsock error code: 10061');
    await b.startEdge();
    await sim.advance(10 * 60_000);
    expect([a.queues()[0].messageCount, b.mailbox('bob@woodgrovebank.com').length]).toEqual([0, 1]);
  });

  it('with rejectUntrustedClientCertificateInHandshake, a client certificate the edge does not trust fails the handshake', async () => {
    sim = await Simulation.start({ seed: 'edge-quirk' });
    const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
    b.setEdgeQuirks(undefined, { rejectUntrustedClientCertificateInHandshake: true });
    b.distrust(a);
    await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'] });
    expect(a.queues()[0].lastError).toContain('421 4.4.1 Connection timed out');
  });
});
