// An external organization (issue 9 item 1) played by a real SMTP server over real sockets and real STARTTLS, both
// directions: what lab send reports, what the evidence records, what doctor finds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { externalPeerOf, type Lab } from '../sim/index.js';
import { doctorCommand } from './doctor-command.js';
import { parseLabText, startLabSpec } from './lab-file.js';
import { formatOutcome, isDelivered, messageOutcome } from './lab-outcome.js';

const labText = (port: number) => `
name: external-trey
organizations:
  - domain: adatum.com
    edges: [{ name: EX1, fqdn: mail.adatum.com }]
    trusts: [treyresearch.net]
    tlsSendDomainSecureList: [treyresearch.net]
    tlsReceiveDomainSecureList: [treyresearch.net]
    sendConnectors:
      - { name: To treyresearch.net, usage: Partner, addressSpaces: ["SMTP:treyresearch.net;1"], fqdn: mail.adatum.com, protocolLoggingLevel: Verbose }
    receiveConnectors:
      - { name: From treyresearch.net, usage: Partner, remoteIpRanges: [treyresearch.net], protocolLoggingLevel: Verbose }
  - domain: treyresearch.net
    external: { host: 127.0.0.1, port: ${port} }
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

async function startLab(port: number, text = labText(port)): Promise<Lab> {
  const lab = await startLabSpec(parseLabText(text, 'external-trey.yaml'), { seed: 'external' });
  cleanups.push(() => lab.sim.stop());
  return lab;
}

/** The outside MTA of treyresearch.net: smtp-server with STARTTLS and the certificate the lab's CA issued for it. */
async function startOutsideMta(lab: Lab, port: number, mailFrom?: (address: string) => Error | undefined): Promise<{ received: string[] }> {
  const peer = externalPeerOf(lab.sim.org('treyresearch.net'))!;
  const received: string[] = [];
  const k = peer.certificate;
  const server = new SMTPServer({
    name: peer.fqdn, key: k.privateKeyPem, cert: [k.certificate.pem, ...k.chain.filter((c) => !c.isSelfSigned).map((c) => c.pem)].join('\n'),
    authOptional: true, disableReverseLookup: true, logger: false,
    onMailFrom: (a, _s, cb) => cb(mailFrom?.(a.address) ?? null),
    onData: (stream, session, cb) => {
      stream.resume();
      stream.on('end', () => { received.push(...session.envelope.rcptTo.map((r) => r.address)); cb(); });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { received };
}

async function send(lab: Lab, to: string) {
  const messageId = await lab.sim.org('adatum.com').send({ from: 'administrator@adatum.com', to: [to], subject: 'to the outside' });
  await lab.sim.settle();
  return messageOutcome(lab.sim, { messageId, from: 'administrator@adatum.com', to: [to] });
}

/** The outside MTA's client: real STARTTLS into a lab edge from 127.0.0.1, with or without its certificate. */
async function sendIntoLab(lab: Lab, withCertificate: boolean): Promise<{ ok: boolean; reply: string }> {
  const edge = lab.sim.org('adatum.com').edge('EX1');
  const k = externalPeerOf(lab.sim.org('treyresearch.net'))!.certificate;
  const c = new SMTPConnection({
    host: edge.address, port: edge.port, localAddress: '127.0.0.1', name: 'mail.treyresearch.net', requireTLS: true,
    tls: { rejectUnauthorized: false, ...(withCertificate ? { key: k.privateKeyPem, cert: [k.certificate.pem, ...k.chain.filter((x) => !x.isSelfSigned).map((x) => x.pem)].join('\n') } : {}) },
  });
  c.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => c.connect((e?: Error) => (e ? reject(e) : resolve())));
  const result = await new Promise<{ ok: boolean; reply: string }>((resolve) => {
    c.send({ from: 'administrator@treyresearch.net', to: ['administrator@adatum.com'] }, 'Subject: from outside\r\n\r\nhello\r\n', (e, info) => {
      resolve(e ? { ok: false, reply: (e as Error & { response?: string }).response ?? e.message } : { ok: true, reply: info.response });
    });
  });
  c.quit();
  await new Promise<void>((r) => c.once('end', () => r()));
  await lab.sim.settle();
  return result;
}

async function doctorOn(lab: Lab): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-external-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ hops: lab.sim.evidence, queues: [lab.sim.orgs.flatMap((o) => o.queues())] }));
  let out = '';
  const w = { write: (s: string) => { out += s; return true; } };
  const code = await doctorCommand(['--evidence', join(dir, 'evidence.json')], { cwd: dir, stdout: w, stderr: w } as never);
  return { code, out };
}

describe('an external organization played by a real SMTP server', () => {
  it('harness → external: mail the outside MTA accepted is delivered, over mutual TLS with the certificate the lab issued', async () => {
    const port = await freePort();
    const lab = await startLab(port);
    const mta = await startOutsideMta(lab, port);
    const o = await send(lab, 'bob@treyresearch.net');
    expect(mta.received).toEqual(['bob@treyresearch.net']);
    expect(isDelivered(o)).toBe(true);
    expect(o.delivered[0]).toMatchObject({ rcpt: 'bob@treyresearch.net', external: true, receivedBy: `mail.treyresearch.net at 127.0.0.1:${port}` });
    const hop = o.hops[0];
    expect(hop).toMatchObject({ result: 'delivered', to: { host: 'mail.treyresearch.net', address: '127.0.0.1' } });
    expect(hop.tls?.version).toMatch(/^TLSv1\.[23]$/);
    expect(hop.certificates.server?.subject).toContain('mail.treyresearch.net');
    expect(hop.decisive.join(' ')).toMatch(/DS-SEND-\d+ sent/);
    expect(formatOutcome(o).join('\n')).toContain('not observable');
  });

  it('harness → external: a 530 at MAIL FROM is a refusal (hop rejected, message returned), not a delivery', async () => {
    const port = await freePort();
    const lab = await startLab(port);
    const mta = await startOutsideMta(lab, port, () => Object.assign(new Error('5.7.0 Must issue a STARTTLS command first'), { responseCode: 530 }));
    const o = await send(lab, 'bob@treyresearch.net');
    expect(mta.received).toEqual([]);
    expect(isDelivered(o)).toBe(false);
    expect(o.hops.map((h) => h.result)).toEqual(['rejected']);
    expect(o.queued[0]).toMatchObject({ rcpt: 'bob@treyresearch.net', status: 'returned (rejected)' });
    expect(o.queued[0].lastError).toMatch(/^530/);
    expect(lab.sim.org('adatum.com').mailbox('administrator@adatum.com').some((m) => m.kind !== 'mail')).toBe(true); // the NDR
    const d = await doctorOn(lab);
    expect(d.code).not.toBe(0);
    expect(d.out).not.toContain('No problem found');
  });

  it('an outside MTA that does not answer: the queue LastError names its HOST:PORT, without waiting', async () => {
    const port = await freePort(); // nothing listens there
    const lab = await startLab(port);
    const o = await send(lab, 'bob@treyresearch.net');
    expect(isDelivered(o)).toBe(false);
    expect(o.queued[0].status).toBe('Retry');
    expect(o.queued[0].lastError).toContain(`The last endpoint attempted was 127.0.0.1:${port}`);
    expect(o.hops[0].reply).toContain(`127.0.0.1:${port}`);
  });

  it('external → harness: refused and accepted sessions are both hops, and doctor sees the refusal', async () => {
    const lab = await startLab(await freePort());
    const refused = await sendIntoLab(lab, false);
    expect(refused.ok).toBe(false);
    expect(refused.reply).toMatch(/^5\d\d/);
    const d = await doctorOn(lab);
    expect(d.code).not.toBe(0);
    expect(d.out).not.toContain('No problem found');
    expect(d.out).toContain('treyresearch.net');

    const accepted = await sendIntoLab(lab, true);
    expect(accepted).toMatchObject({ ok: true });
    const got = lab.sim.org('adatum.com').mailbox('administrator@adatum.com');
    expect(got.map((m) => [m.authAs, m.authDomain])).toEqual([['Partner', 'treyresearch.net']]);
    const hops = lab.sim.evidence;
    expect(hops.map((h) => [h.from.org, h.from.edge, h.to.org, h.result])).toEqual([
      ['treyresearch.net', 'external', 'adatum.com', 'rejected'],
      ['treyresearch.net', 'external', 'adatum.com', 'delivered'],
    ]);
    expect(hops[0].decisions.map((x) => x.outcome)).toContain('reject');
    expect(hops[1].certificates.client?.subject).toContain('mail.treyresearch.net');
    expect(hops[1].tls?.version).toMatch(/^TLSv1\.[23]$/);
    expect(hops[1].messageIds).toHaveLength(1);
    expect(hops[1].serverTranscript.some((l) => /^MAIL FROM/i.test(l.text))).toBe(true);
  });

  it('external → harness: a session no receive connector takes (421 at connect) is a hop too', async () => {
    const text = labText(await freePort()).replace('    edges: [{ name: EX1, fqdn: mail.adatum.com }]\n', '    edges: [{ name: EX1, fqdn: mail.adatum.com }]\n    bare: true\n')
      .replace('remoteIpRanges: [treyresearch.net]', 'remoteIpRanges: [10.0.0.0/8]');
    const lab = await startLab(0, text);
    const edge = lab.sim.org('adatum.com').edge('EX1');
    const greeting = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: edge.address, port: edge.port, localAddress: '127.0.0.1' });
      let got = '';
      s.on('data', (d) => { got += String(d); });
      s.once('close', () => resolve(got.trim()));
      s.once('error', reject);
    });
    await lab.sim.settle();
    expect(greeting).toBe('421 4.3.2 Service not available, closing transmission channel');
    expect(lab.sim.evidence.map((h) => [h.from.org, h.to.org, h.result, h.reply])).toEqual([['treyresearch.net', 'adatum.com', 'deferred', greeting]]);
    const d = await doctorOn(lab);
    expect(d.code).not.toBe(0);
    expect(d.out).toContain('421 4.3.2');
  });
});
