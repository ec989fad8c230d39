// SimNetwork keeps every socket the simulation opens so stop() can close it, and forgets it once its session is over:
// a socket still kept reaches its whole session (SMTP state machine, log, evidence) through its listeners.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addPartnerPair } from './partner-setup.js';
import { Simulation } from './simulation.js';

let sim: Simulation | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

describe('SimNetwork keeps no socket of a finished session', () => {
  for (const edgeThreads of [0, 1]) {
    it(`after domain-secured sessions (STARTTLS, which strips the socket's listeners) are over, ${edgeThreads ? 'on an edge thread' : 'on the main thread'}`, async () => {
      sim = await Simulation.start({ seed: 'socket-tracking', edgeThreads });
      const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
      a.model.setSendConnector('To woodgrovebank.com', { smtpMaxMessagesPerConnection: 1 });
      await Promise.all(Array.from({ length: 5 }, (_, n) => a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: `m${n}` })));
      await sim.settle();
      expect(b.mailbox('bob@woodgrovebank.com').filter((m) => m.authAs === 'Partner')).toHaveLength(5);
      // Five sessions, each a dialled and an accepted socket: none is kept once both ends have closed.
      await vi.waitFor(() => expect(sim!.network.trackedSockets).toBe(0));
    });
  }
});
