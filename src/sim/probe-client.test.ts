// The probe client against a real simulated receiver: every reply comes back, misbehaviour included.
import { afterEach, describe, expect, it } from 'vitest';
import { addPartnerPair } from './partner-setup.js';
import { probeSmtp } from './probe-client.js';
import { Simulation } from './simulation.js';

let sim: Simulation | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

async function pair() {
  sim = await Simulation.start({ seed: 'probe-test' });
  return addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
}

describe('probeSmtp', () => {
  it('skips STARTTLS when told to and gets the DS-RECV-02 reply for a listed sender', async () => {
    const [a, b] = await pair();
    const r = await probeSmtp({ network: sim!.network, from: a.edge().address, to: b.edge().address, ehlo: 'mail.fabrikam.com', starttls: false, mailFrom: 'ann@fabrikam.com', rcptTo: ['bob@woodgrovebank.com'] });
    expect([r.starttlsOffered, r.tls, r.replyTo('MAIL FROM')?.reply, r.replyTo('QUIT')?.code]).toEqual([true, false, '530 5.7.1 Not authenticated', 221]);
  });

  it('presents a partner certificate and delivers as that partner', async () => {
    const [a, b] = await pair();
    const r = await probeSmtp({ network: sim!.network, from: a.edge().address, to: b.edge().address, ehlo: 'mail.fabrikam.com', starttls: true, certificate: a.edgeCertificate(), mailFrom: 'ann@fabrikam.com', rcptTo: ['bob@woodgrovebank.com'], data: 'Subject: hi\r\n\r\nhello' });
    expect(r.replies.map((x) => x.code)).toEqual([220, 250, 220, 250, 250, 250, 354, 250, 221]);
    expect(b.mailbox('bob@woodgrovebank.com').map((m) => [m.authAs, m.authDomain])).toEqual([['Partner', 'fabrikam.com']]);
  });

  it('reports a refused connection instead of throwing', async () => {
    const [a, b] = await pair();
    await b.stopEdge();
    const r = await probeSmtp({ network: sim!.network, from: a.edge().address, to: b.edge().address, ehlo: 'x', starttls: false, mailFrom: '', rcptTo: ['bob@woodgrovebank.com'] });
    expect(r.replies).toEqual([{ command: '(connect)', reply: 'Failed to connect. Winsock error code: 10061', code: 0 }]);
  });
});
