// `lab send` from a user of an external organization: the message enters through its MTA's adapter (submit), and the
// outcome is what the lab and the adapter can see. A real Postfix (the static configuration of docs/external-mta/) with
// the reference shim, and a scripted shim for the answers a Postfix run cannot be made to give on demand.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeInstanceDir, ownedDir, removeInstanceDir } from '../peers/instance-dir.js';
import { type MtaProcess, spawnMta, waitForListener } from '../peers/mta-process.js';
import { makeQueue } from '../peers/postfix/postfix-peer.js';
import { mtaGate } from '../peers/require-mta.js';
import { gidOf, uidOf } from '../peers/system-accounts.js';
import { externalPeerOf, type Lab } from '../sim/index.js';
import { callLab, type LabControl, startLabControl } from './lab-control.js';
import { parseLabText, startLabSpec } from './lab-file.js';
import { formatOutcome, isDelivered, type MessageOutcome } from './lab-outcome.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const shim = fileURLToPath(new URL('../peers/fixtures/test-shim.mjs', import.meta.url));

const labText = (port: number, adapter: string) => `
name: external-send
organizations:
  - domain: adatum.com
    edges: [{ name: EX1, fqdn: mail.adatum.com }]
    trusts: [treyresearch.net]
    tlsSendDomainSecureList: [treyresearch.net]
    tlsReceiveDomainSecureList: [treyresearch.net]
    sendConnectors:
      - { name: To treyresearch.net, usage: Partner, addressSpaces: ["SMTP:treyresearch.net;1"], fqdn: mail.adatum.com }
    receiveConnectors:
      - { name: From treyresearch.net, usage: Partner, remoteIpRanges: [treyresearch.net] }
  - domain: treyresearch.net
    external: { host: 127.0.0.1, port: ${port}, adapter: ${JSON.stringify(adapter)} }
`;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function startWithControl(port: number, adapter: string): Promise<{ lab: Lab; control: LabControl; send: (from: string, to: string) => Promise<MessageOutcome> }> {
  const lab = await startLabSpec(parseLabText(labText(port, adapter), 'external-send.yaml'), { seed: 'external-send' });
  const control = await startLabControl(lab, () => undefined);
  const send = (from: string, to: string) => callLab<MessageOutcome>({ host: '127.0.0.1', port: control.port, token: control.token }, 'POST', '/send', { from, to: [to], subject: 'lab send from outside' });
  return { lab, control, send };
}

describe('lab send from an external organization, through its adapter', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('with the manual adapter it says that submitting is not observable and how to give an adapter', async () => {
    const { lab, control, send } = await startWithControl(await freePort(), 'manual');
    stops.push(() => lab.sim.stop(), () => control.close());
    await expect(send('alice@treyresearch.net', 'administrator@adatum.com')).rejects.toMatchObject({
      message: expect.stringMatching(/^treyresearch\.net is external and submitting a message is not observable through the manual adapter \(SMTP only\): .*adapter=SPEC; docs\/adapter-contract\.md\), lab send does it\.$/),
    });
  });

  it('a message the MTA keeps queued is NOT delivered, with the LastError its adapter read', async () => {
    const { lab, control, send } = await startWithControl(await freePort(), `cmd:"${process.execPath}" "${shim}" good`);
    stops.push(() => lab.sim.stop(), () => control.close());
    const o = await send('alice@treyresearch.net', 'administrator@adatum.com');
    expect(isDelivered(o)).toBe(false);
    expect(formatOutcome(o)).toEqual([
      '✗ alice@treyresearch.net → administrator@adatum.com  id-lab send from outside@test',
      '    NOT delivered to administrator@adatum.com: queue adatum.com is Retry, LastError 451 4.4.0 try later',
    ]);
  });
});

const gate = mtaGate('postfix');
if (gate.mustFail) throw new Error(`Postfix missing on CI: ${gate.reason}`);

describe.skipIf(!gate.available)('lab send from treyresearch.net played by a static Postfix with postfix-shim.py', () => {
  let lab: Lab;
  let control: LabControl;
  let send: (from: string, to: string) => Promise<MessageOutcome>;
  let root: string;
  let master: MtaProcess | undefined;

  beforeAll(async () => {
    const port = await freePort();
    root = makeInstanceDir(tmpdir(), 'external-send');
    const etc = join(root, 'etc');
    ({ lab, control, send } = await startWithControl(port, `cmd:python3 ${join(repo, 'docs/external-mta/postfix-shim.py')} ${etc}`));
    const adatum = lab.sim.org('adatum.com').edge('EX1');
    const k = externalPeerOf(lab.sim.org('treyresearch.net'))!.certificate;
    mkdirSync(etc, { recursive: true });
    const fill = (file: string) => readFileSync(join(repo, 'docs/external-mta', file), 'utf8').replaceAll('@DIR@', root).replaceAll('@PORT@', String(port));
    writeFileSync(join(etc, 'main.cf'), fill('postfix-main.cf'));
    writeFileSync(join(etc, 'master.cf'), fill('postfix-master.cf'));
    writeFileSync(join(etc, 'transport'), `adatum.com smtp:[${adatum.address}]:${adatum.port}\n`);
    writeFileSync(join(etc, 'tls_policy'), `[${adatum.address}]:${adatum.port} secure match=adatum.com:.adatum.com\n`);
    writeFileSync(join(etc, 'partner_senders'), 'adatum.com partner_secure\n');
    writeFileSync(join(etc, 'external.key.pem'), k.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(etc, 'external.chain.pem'), [k.certificate, ...k.chain].map((c) => c.pem.trim()).join('\n') + '\n');
    writeFileSync(join(etc, 'roots.pem'), lab.sim.orgs.map((o) => o.pki.root.certificate.pem.trim()).join('\n') + '\n');
    makeQueue(join(root, 'queue'), uidOf('postfix'), gidOf('postdrop'));
    ownedDir(join(root, 'data'), 0o700, uidOf('postfix'), gidOf('postfix'));
    ownedDir(join(root, 'mail'), 0o755, 65534, 65534);
    ownedDir(join(root, 'log'), 0o755);
    master = spawnMta('/usr/lib/postfix/sbin/master', ['-c', etc, '-s'], { MAIL_CONFIG: etc });
    await waitForListener(master, '127.0.0.1', port, 15_000, 'Postfix', () => { try { return readFileSync(join(root, 'log/maillog'), 'utf8'); } catch { return ''; } });
  }, 40_000);

  afterAll(async () => {
    await master?.stop();
    await control?.close();
    await lab?.sim.stop();
    if (root) removeInstanceDir(root);
  });

  it('to a simulated organization: Postfix submits and delivers it, adatum.com takes it as Partner over the hop the lab recorded', async () => {
    const o = await send('alice@treyresearch.net', 'administrator@adatum.com');
    expect(o.delivered).toEqual([{ rcpt: 'administrator@adatum.com', receivedBy: 'mail.adatum.com', authAs: 'Partner', authDomain: 'treyresearch.net' }]);
    expect(o.hops.map((h) => [h.from.org, h.from.edge, h.to.org, h.result])).toEqual([['treyresearch.net', 'external', 'adatum.com', 'delivered']]);
    expect(o.hops[0].certificates.client?.subject).toContain('mail.treyresearch.net');
  }, 30_000);

  it('to a user of the external organization itself: delivered, read back through the adapter', async () => {
    const o = await send('alice@treyresearch.net', 'bob@treyresearch.net');
    expect(o.delivered).toEqual([{ rcpt: 'bob@treyresearch.net', receivedBy: `mail.treyresearch.net (read through the adapter cmd:python3 ${join(repo, 'docs/external-mta/postfix-shim.py')} ${join(root, 'etc')})`, external: true }]);
  }, 30_000);
});
