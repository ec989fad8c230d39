// DS-QUEUE-05 with the MTA's own clock: a short queue lifetime instead of virtual "two days later"; the sender must get the message back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningPeer } from '../peer.js';
import { freePort } from './interop-lab.js';
import type { StartPeer, SuiteContext } from './peer-suite.js';

/** Nothing ever listens here: every attempt is refused until the message expires. */
export const DEAD = { domain: 'wingtiptoys.com', address: '127.0.1.17' };
const LIFETIME_S = 3;

export function defineExpiryScenario(ctx: SuiteContext, start: StartPeer): void {
  let peer: RunningPeer;
  beforeAll(async () => {
    const dead = await freePort(DEAD.address);
    peer = await start(ctx.lab.trey.org, {
      port: await freePort(ctx.lab.trey.address), routes: { [DEAD.domain]: { address: DEAD.address, port: dead } },
      queue: { retrySeconds: 1, lifetimeSeconds: LIFETIME_S },
    });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it(`DS-QUEUE-05 (MTA time, lifetime ${LIFETIME_S} s): an undeliverable message is returned to its sender, never dropped`, async () => {
    const id = await peer.submit({ from: 'pat@treyresearch.net', to: [`kim@${DEAD.domain}`], subject: 'will expire', body: 'expire' });
    const ndr = await peer.waitFor(async () => (await peer.mailbox('pat@treyresearch.net')).find((m) => m.raw.includes(id)), 20_000);
    const left = (await peer.queue()).filter((e) => e.recipients.some((r) => r.address === `kim@${DEAD.domain}`));
    const ok = left.length === 0 && /MAILER-DAEMON|Mail Delivery/i.test(ndr.raw);
    ctx.record({ role: 'sender', rule: 'DS-QUEUE-05', scenario: 'queue lifetime expired', ok, mtaTime: true, expected: 'NDR to the sender, queue empty', actual: `NDR "${ndr.subject}"; ${left.length} left in queue` });
    expect(left).toHaveLength(0);
    expect(ndr.subject).toMatch(/Undelivered|delivery failed/i);
  }, 30_000);
}
