// The edges' CRL cache: one fetch serves every session while the distribution point would serve the same CRL; a
// revocation, the hourly re-publication or a distribution point that became unreachable take effect at once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { REVOCATION_OFFLINE_INFO } from '../ca/index.js';
import { addPartnerPair } from './partner-setup.js';
import type { SimOrganization } from './sim-organization.js';
import { Simulation } from './simulation.js';

let sim: Simulation;
let a: SimOrganization;
let b: SimOrganization;
beforeEach(async () => {
  sim = await Simulation.start({ seed: 'crl-cache' });
  [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
});
afterEach(async () => {
  await sim.stop();
});

/** One message a → b in a session of its own; what b's edge decided about a's certificate. */
async function send(subject: string) {
  await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject });
  await sim.settle();
  const hop = sim.evidence.at(-1)!;
  const received = b.mailbox('bob@woodgrovebank.com').find((m) => m.subject === subject);
  return { authAs: received?.authAs, decisions: hop.decisions.map((d) => `${d.rule} ${d.outcome} ${d.reason}`).join(' | '), transcript: hop.serverTranscript.map((t) => t.text).join('\n') };
}

it('fetches a partner CRL once for many sessions, and again once it was re-published (hourly)', async () => {
  expect((await send('one')).authAs).toBe('Partner');
  // Two CRLs per chain: the issuing CA's (for the edge certificate) and the root's (for the issuing CA).
  const perChain = a.crl.requestsServed;
  expect(perChain).toBe(2);
  for (const s of ['two', 'three', 'four']) expect((await send(s)).authAs).toBe('Partner');
  expect(a.crl.requestsServed).toBe(perChain);
  await sim.advance(61 * 60_000);
  expect((await send('after an hour')).authAs).toBe('Partner');
  expect(a.crl.requestsServed).toBe(2 * perChain);
});

it('a certificate revoked while the lab runs is refused in the very next session', async () => {
  expect((await send('before')).authAs).toBe('Partner');
  a.pki.issuing.revoke(a.edgeCertificate()!.certificate.serialNumber, sim.clock.now());
  const after = await send('after');
  expect(after.authAs).toBeUndefined();
  expect(after.decisions).toContain('was revoked');
  expect(a.crl.requestsServed).toBe(3); // the issuing CA's CRL again; the root's has not changed
});

it('a distribution point that became unreachable is offline at once, however fresh the cached CRL', async () => {
  expect((await send('before')).transcript).not.toContain(REVOCATION_OFFLINE_INFO);
  sim.network.add({ kind: 'drop', to: a.crl.address, port: 80 });
  const after = await send('after');
  expect(after.authAs).toBe('Partner'); // lenient: RevocationOffline is treated as success, and says so
  expect(after.transcript).toContain(REVOCATION_OFFLINE_INFO);
  expect(a.crl.requestsServed).toBe(2);
});
