// DS-QUEUE-05 on the MTA clock when a delivery agent fails for a moment: the NDR must still reach its sender. Postfix marks a
// transport it cannot reach dead for transport_retry_time (60 s by default) and discards an NDR that outlives the queue
// lifetime (3 s here): the likeliest way the NDR of expiry-scenario.ts went missing in one CI run. Skips without
// Postfix, fails under CI=true.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningPeer } from '../peer.js';
import { mtaGate } from '../require-mta.js';
import { describeGated } from '../testing/gated-describe.js';
import { DEAD } from '../testing/expiry-scenario.js';
import { buildInteropLab, freePort } from '../testing/interop-lab.js';
import { startPostfixPeer } from './postfix-peer.js';

describeGated(mtaGate('postfix'), 'ERR_MTA_MISSING', 'postfix: a delivery agent out for a moment', () => {
  let peer: RunningPeer;
  beforeAll(async () => {
    const lab = await buildInteropLab();
    peer = await startPostfixPeer(lab.trey.org, {
      port: await freePort(lab.trey.address), routes: { [DEAD.domain]: { address: DEAD.address, port: await freePort(DEAD.address) } },
      queue: { retrySeconds: 1, lifetimeSeconds: 3 },
    });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('DS-QUEUE-05: the NDR whose first local delivery fails is delivered on the next retry, not discarded', async () => {
    // The queue manager runs unprivileged: a socket it may not open is a delivery agent it cannot reach.
    const virtual = join(peer.workDir, 'queue/private/virtual');
    chmodSync(virtual, 0);
    const id = await peer.submit({ from: 'pat@treyresearch.net', to: [`kim@${DEAD.domain}`], subject: 'will expire', body: 'expire' });
    try {
      await peer.waitFor(async () => ((await peer.log()).some((l) => l.includes('connect to transport private/virtual')) ? true : undefined), 20_000);
    } finally {
      chmodSync(virtual, 0o666);
    }
    const ndr = await peer.waitFor(async () => (await peer.mailbox('pat@treyresearch.net')).find((m) => m.raw.includes(id)), 15_000);
    expect(ndr.subject).toMatch(/Undelivered/i);
  }, 40_000);
}, { implementation: 'postfix' });
