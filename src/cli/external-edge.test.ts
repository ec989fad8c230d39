// edges[].external: one edge of an otherwise simulated organization played by an outside MTA (here smtp-server with the
// certificate the organization's CA issued for that edge), over real sockets and STARTTLS, both directions.
import net from 'node:net';
import { Writable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { externalEdgeOf, type Lab } from '../sim/index.js';
import { reportExternals } from './external-option.js';
import { parseLabText, startLabSpec } from './lab-file.js';
import { messageOutcome } from './lab-outcome.js';

const labText = (port: number) => `
name: external-edge
organizations:
  - domain: adatum.com
    edges:
      - { name: EX1, fqdn: mail.adatum.com }
      - { name: EX2, fqdn: mail2.adatum.com, external: { host: 127.0.0.1, port: ${port}, from: 127.0.0.1, adapter: manual } }
    trusts: [treyresearch.net]
    tlsSendDomainSecureList: [treyresearch.net]
    tlsReceiveDomainSecureList: [treyresearch.net]
    sendConnectors:
      - { name: To treyresearch.net, usage: Partner, addressSpaces: ["SMTP:treyresearch.net;1"], fqdn: mail.adatum.com }
    receiveConnectors:
      - { name: From treyresearch.net, usage: Partner, remoteIpRanges: [treyresearch.net] }
  - domain: treyresearch.net
    edges: [{ name: EX1, fqdn: mail.treyresearch.net }]
    trusts: [adatum.com]
    tlsSendDomainSecureList: [adatum.com]
    tlsReceiveDomainSecureList: [adatum.com]
    sendConnectors:
      - { name: To adatum.com, usage: Partner, addressSpaces: ["SMTP:adatum.com;1"] }
    receiveConnectors:
      - { name: From adatum.com, usage: Partner, remoteIpRanges: [adatum.com/EX2, adatum.com/EX1] }
`;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(): Promise<{ lab: Lab; received: string[]; port: number }> {
  const port = await freePort();
  const lab = await startLabSpec(parseLabText(labText(port), 'external-edge.yaml'), { seed: 'external-edge' });
  cleanups.push(() => lab.sim.stop());
  const k = externalEdgeOf(lab.sim.org('adatum.com'), 'EX2')!.certificate;
  const received: string[] = [];
  const server = new SMTPServer({
    name: 'mail2.adatum.com', key: k.privateKeyPem, cert: [k.certificate.pem, ...k.chain.filter((c) => !c.isSelfSigned).map((c) => c.pem)].join('\n'),
    authOptional: true, disableReverseLookup: true, logger: false,
    onData: (stream, session, cb) => {
      stream.resume();
      stream.on('end', () => { received.push(...session.envelope.rcptTo.map((r) => r.address)); cb(); });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { lab, received, port };
}

describe('an organization with one external edge', () => {
  it('harness → external edge: delivered to the outside MTA, which presented the certificate the organization\'s CA issued for the edge', async () => {
    const { lab, received, port } = await start();
    const messageId = await lab.sim.org('treyresearch.net').send({ from: 'administrator@treyresearch.net', to: ['bob@adatum.com'], subject: 'to the external edge' });
    await lab.sim.settle();
    expect(received).toEqual(['bob@adatum.com']);
    const o = messageOutcome(lab.sim, { messageId, from: 'administrator@treyresearch.net', to: ['bob@adatum.com'] });
    expect(o.delivered).toEqual([{ rcpt: 'bob@adatum.com', receivedBy: `mail2.adatum.com at 127.0.0.1:${port}`, external: true }]);
    expect(o.hops[0].certificates.server).toMatchObject({ subject: expect.stringContaining('mail2.adatum.com'), issuer: expect.stringContaining('Adatum') });
  });

  it('external edge → harness: its session is a hop from adatum.com/EX2, taken as Partner; the organization\'s own mail still leaves through EX1', async () => {
    const { lab } = await start();
    const edge = lab.sim.org('treyresearch.net').edge('EX1');
    const k = externalEdgeOf(lab.sim.org('adatum.com'), 'EX2')!.certificate;
    const c = new SMTPConnection({
      host: edge.address, port: edge.port, localAddress: '127.0.0.1', name: 'mail2.adatum.com', requireTLS: true,
      tls: { rejectUnauthorized: false, key: k.privateKeyPem, cert: [k.certificate.pem, ...k.chain.filter((x) => !x.isSelfSigned).map((x) => x.pem)].join('\n') },
    });
    c.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => c.connect((e?: Error) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve, reject) => c.send({ from: 'ann@adatum.com', to: ['pat@treyresearch.net'] }, 'Subject: from the external edge\r\n\r\nhi\r\n', (e) => (e ? reject(e) : resolve())));
    c.quit();
    await lab.sim.settle();
    const got = lab.sim.org('treyresearch.net').mailbox('pat@treyresearch.net').find((m) => m.subject === 'from the external edge')!;
    expect([got.authAs, got.authDomain]).toEqual(['Partner', 'adatum.com']);
    expect(lab.sim.evidence.map((h) => [h.from.org, h.from.edge, h.to.org, h.result])).toEqual([['adatum.com', 'EX2', 'treyresearch.net', 'delivered']]);
    const messageId = await lab.sim.org('adatum.com').send({ from: 'administrator@adatum.com', to: ['pat@treyresearch.net'], subject: 'from EX1' });
    await lab.sim.settle();
    expect(lab.sim.evidence.filter((h) => h.messageIds.includes(messageId)).map((h) => [h.from.edge, h.result])).toEqual([['EX1', 'delivered']]);
  });

  it('lab up names the external edge, where it routes and its certificate files', async () => {
    const { lab, port } = await start();
    let out = '';
    const w = new Writable({ write: (c, _e, done) => { out += String(c); done(); } });
    await reportExternals({ stdout: w, stderr: w, cwd: '/srv', env: {}, now: () => new Date(0) }, lab, '/srv/lab');
    expect(out).toBe(`  adatum.com/EX2 is external: mail2.adatum.com (first in the MX) routes to 127.0.0.1:${port}; sessions from 127.0.0.1 are its MTA's. Its certificate: lab/adatum.com/EX2.{crt.pem,chain.pem,key.pem,pfx}\n`);
  });

  it.each([
    ['edges[0] external', (t: string) => t.replace('{ name: EX1, fqdn: mail.adatum.com }', '{ name: EX1, fqdn: mail.adatum.com, external: { host: 127.0.0.1, port: 2525 } }'), 'organizations[0].edges[0].external: the first edge of adatum.com sends its mail in the simulation, so it cannot be external'],
    ['port on an external edge', (t: string) => t.replace('fqdn: mail2.adatum.com,', 'fqdn: mail2.adatum.com, port: 2600,'), 'organizations[0].edges[1].port: EX2 is external'],
    ['a certificate for it', (t: string) => t.replace('    trusts: [treyresearch.net]', '    certificates: [{ edge: EX2 }]\n    trusts: [treyresearch.net]'), 'organizations[0].certificates[0].edge: EX2 is external'],
    ['an unknown key under it', (t: string) => t.replace('adapter: manual', 'adaptr: manual'), 'organizations[0].edges[1].external.adaptr: unknown key (did you mean adapter?)'],
    ['an adapter of no form', (t: string) => t.replace('adapter: manual', 'adapter: "smtp:x"'), 'organizations[0].edges[1].external.adapter: "smtp:x" is not an adapter'],
  ])('%s is ERR_LAB_FILE naming the path', (_what, change, message) => {
    expect(() => parseLabText(change(labText(2525)), 'external-edge.yaml')).toThrow(expect.objectContaining({ code: 'ERR_LAB_FILE', message: expect.stringContaining(`external-edge.yaml: ${message}`) }));
  });
});
