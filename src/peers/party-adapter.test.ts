// A real MTA's party reads mailbox, queue, log and readings through the adapter contract: what its adapter cannot answer
// stops the step with the adapter's reason (ERR_NOT_OBSERVABLE), never an empty answer that could pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../sim/index.js';
import { manualAdapter } from './mta-adapter.js';
import { peerParty } from './party.js';
import type { RunningPeer } from './peer.js';

describe('peerParty over an adapter that answers nothing', () => {
  let lab: Lab;
  beforeAll(async () => { lab = await startLab('adatum-treyresearch', { seed: 'party-adapter' }); }, 30_000);
  afterAll(async () => { await lab?.sim.stop(); });

  it('mail, queues, retry, logs and decisions are not observable with the reason; the certificate check says so too', async () => {
    // Only the adapter is asked for these; the peer's own methods are never reached.
    const peer = { implementation: 'postfix', policyRecords: () => [] } as unknown as RunningPeer;
    const p = peerParty(lab.sim, lab.sim.org('treyresearch.net'), peer, manualAdapter());
    const reason = /^(the mailbox|the queue state|retrying the queue|the log|the DS outcome in your MTA's texts) is not observable through the manual adapter \(SMTP only\): \S/;
    for (const read of [() => p.mail('bob@treyresearch.net'), () => p.queueSnapshots(), () => p.retryQueue('adatum.com'), () => p.logs(), () => p.decisions()]) {
      await expect(read()).rejects.toMatchObject({ code: 'ERR_NOT_OBSERVABLE', message: expect.stringMatching(reason) });
    }
    expect(await p.verifiedClientCertificate('mail.adatum.com', '127.0.1.1')).toEqual({ observable: false, reason: 'the log is not observable through the manual adapter (SMTP only): your MTA\'s log is not visible over SMTP' });
  });
});
