// A hand-written static Postfix (docs/external-mta/postfix-*.cf via testing/static-postfix.ts, not rendered by src/peers) plays treyresearch.net as an
// external organization: both directions over real STARTTLS with the certificate the lab's CA issued for it.
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalPeerOf, type Lab, parseLabDefinition, startDefinedLab } from '../sim/index.js';
import { mailboxOf, readMaildir } from './maildir.js';
import { pollUntil, runCommand } from './mta-process.js';
import { mtaGate } from './require-mta.js';
import { type StaticPostfix, startStaticPostfix } from './testing/static-postfix.js';

const gate = mtaGate('postfix');
if (gate.mustFail) throw new Error(`Postfix missing on CI: ${gate.reason}`);
if (!gate.available) console.log(`skipping the external Postfix test: ${gate.reason}`);

const LAB = (port: number) => ({
  name: 'external-postfix',
  organizations: [
    {
      domain: 'adatum.com', edges: [{ name: 'EX1', fqdn: 'mail.adatum.com' }], trusts: ['treyresearch.net'],
      tlsSendDomainSecureList: ['treyresearch.net'], tlsReceiveDomainSecureList: ['treyresearch.net'],
      sendConnectors: [{ name: 'To treyresearch.net', usage: 'Partner', addressSpaces: ['SMTP:treyresearch.net;1'], fqdn: 'mail.adatum.com' }],
      receiveConnectors: [{ name: 'From treyresearch.net', usage: 'Partner', remoteIpRanges: ['treyresearch.net'] }],
    },
    { domain: 'treyresearch.net', external: { host: '127.0.0.1', port } },
  ],
});

describe.skipIf(!gate.available)('a static Postfix as the external organization treyresearch.net', () => {
  let lab: Lab;
  let root: string;
  let postfix: StaticPostfix | undefined;
  let etc: string;

  beforeAll(async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    lab = await startDefinedLab(parseLabDefinition(LAB(port), 'external-postfix'), { seed: 'external-postfix' });
    const adatum = lab.sim.org('adatum.com').edge('EX1');
    const k = externalPeerOf(lab.sim.org('treyresearch.net'))!.certificate;
    postfix = await startStaticPostfix({
      port, partnerEdge: { address: adatum.address, port: adatum.port }, keyPem: k.privateKeyPem,
      chainPem: [k.certificate, ...k.chain].map((c) => c.pem.trim()).join('\n') + '\n',
      rootsPem: lab.sim.orgs.map((o) => o.pki.root.certificate.pem.trim()).join('\n') + '\n',
    });
    root = postfix.root;
    etc = postfix.etc;
  }, 40_000);

  afterAll(async () => {
    await postfix?.stop();
    await lab?.sim.stop();
  });

  it('harness → Postfix: delivered over TLS, Postfix presenting the certificate the lab issued for it', async () => {
    const messageId = await lab.sim.org('adatum.com').send({ from: 'administrator@adatum.com', to: ['bob@treyresearch.net'], subject: 'to postfix' });
    await lab.sim.settle();
    const hop = lab.sim.evidence.filter((h) => h.messageIds.includes(messageId)).at(-1)!;
    expect(hop).toMatchObject({ result: 'delivered', from: { org: 'adatum.com' }, to: { host: 'mail.treyresearch.net' } });
    expect(hop.tls?.version).toMatch(/^TLSv1\.[23]$/);
    expect(hop.certificates.server?.subject).toContain('mail.treyresearch.net');
    expect(hop.decisions.map((d) => d.outcome)).toContain('sent');
    const got = await pollUntil(async () => mailboxOf(readMaildir(join(root, 'mail/inbox'), 'mail.treyresearch.net'), 'bob@treyresearch.net')[0], 15_000, 'the message in Postfix\'s Maildir');
    expect(got.subject).toBe('to postfix');
  }, 30_000);

  it('Postfix → harness: its session is a hop, and adatum.com takes the mail as Partner', async () => {
    const r = await runCommand('/usr/sbin/sendmail', ['-C', etc, '-f', 'alice@treyresearch.net', '-i', '--', 'administrator@adatum.com'], 'Subject: from postfix\n\nhello\n', { MAIL_CONFIG: etc });
    expect(r.code).toBe(0);
    const got = await pollUntil(async () => {
      await lab.sim.settle();
      return lab.sim.org('adatum.com').mailbox('administrator@adatum.com').find((m) => m.subject === 'from postfix');
    }, 20_000, 'the message from Postfix in adatum.com\'s mailbox');
    expect([got.authAs, got.authDomain]).toEqual(['Partner', 'treyresearch.net']);
    const hop = await pollUntil(async () => lab.sim.evidence.find((h) => h.from.edge === 'external' && h.result === 'delivered'), 5_000, 'the inbound hop');
    expect(hop).toMatchObject({ from: { org: 'treyresearch.net' }, to: { org: 'adatum.com', edge: 'EX1' } });
    expect(hop.certificates.client?.subject).toContain('mail.treyresearch.net');
    expect(hop.decisions.map((d) => d.outcome)).toEqual(['partner']);
  }, 30_000);
});
