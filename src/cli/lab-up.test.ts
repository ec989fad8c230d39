// `domsec lab up` with outside tools: swaks and openssl s_client talk to the simulated edges and see the documented replies.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoints } from './lab-export.js';
import { labUp, repo } from './lab-up-fixture.js';

const tools = ['swaks', 'openssl'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
// swaks only recommends its TLS module: without it --tls fails, so a machine without it lacks a tool too.
if (!tools.includes('swaks') && spawnSync('perl', ['-MNet::SSLeay', '-e', '1']).status !== 0) tools.push('libnet-ssleay-perl (swaks --tls)');
// CI installs them from .ci/apt-packages.txt; a developer without them gets a plain skip.
if (tools.length > 0 && process.env.CI === 'true') throw new Error(`${tools.join(' and ')} missing on CI: .ci/apt-packages.txt must install them.`);
if (tools.length > 0) console.log(`skipping the lab up tests: ${tools.join(' and ')} not installed (apt-get install swaks openssl)`);

function domsec(args: string[]) {
  return spawnSync(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
}

describe.skipIf(tools.length > 0)('domsec lab up (adatum-treyresearch) with swaks and openssl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-labup-'));
  let child: ChildProcess;
  let readOutput = () => '';
  let e: Endpoints;
  let trey: Endpoints['organizations'][number]['edges'][number];
  let adatum: Endpoints['organizations'][number]['edges'][number];
  const file = (rel: string | undefined) => join(dir, rel ?? '');

  beforeAll(async () => {
    const up = await labUp(['--dir', dir, '--seed', 'swaks']);
    child = up.child;
    readOutput = up.output;
    e = up.endpoints;
    adatum = e.organizations.find((o) => o.domains.includes('adatum.com'))!.edges[0];
    trey = e.organizations.find((o) => o.domains.includes('treyresearch.net'))!.edges[0];
  }, 40_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
  });

  it('writes endpoints.json readable by its owner only, with the control token', () => {
    expect(statSync(join(dir, 'endpoints.json')).mode & 0o777).toBe(0o600);
    expect(e.control.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('prints every edge address and port and writes roots, certificates, keys and PFX files', () => {
    expect(readOutput()).toContain(`${adatum.address}:${adatum.port}`);
    expect(readOutput()).toContain(`${trey.address}:${trey.port}`);
    for (const f of [e.roots, adatum.certificate, adatum.key, adatum.pfx, adatum.chain, 'ca/treyresearch.net-root.pem']) expect(existsSync(file(f))).toBe(true);
    const pfx = spawnSync('openssl', ['pkcs12', '-in', file(adatum.pfx), '-nokeys', '-passin', `pass:${e.pfxPassword}`], { encoding: 'utf8' });
    expect(pfx.stdout).toContain('subject=CN = mail.adatum.com');
  });

  const swaks = (...extra: string[]) => spawnSync('swaks', ['--server', `${trey.address}:${trey.port}`, '--tls', '--from', 'kim@adatum.com', '--to', 'administrator@treyresearch.net', ...extra],
    { encoding: 'utf8', timeout: 20_000 }).stdout;

  it('swaks with the adatum edge certificate is accepted as Partner', async () => {
    const out = swaks('--tls-cert', file(adatum.certificate), '--tls-key', file(adatum.key), '--ehlo', 'mail.adatum.com', '--header', 'Subject: swaks partner');
    expect(out).toMatch(/<~ {2}250 2\.6\.0 .* Queued mail for delivery/);
    const mailbox = await (await fetch(`http://${e.control.host}:${e.control.port}/mailbox?address=administrator@treyresearch.net`, { headers: { authorization: `Bearer ${e.control.token}` } })).json() as { subject: string; authAs: string; authDomain: string }[];
    expect(mailbox.find((m) => m.subject === 'swaks partner')).toMatchObject({ authAs: 'Partner', authDomain: 'adatum.com' });
  });

  it('swaks without a client certificate from a listed domain gets 530 5.7.1', () => {
    expect(swaks()).toContain('<~* 530 5.7.1 Not authenticated');
  });

  const s_client = (...extra: string[]) => spawnSync('openssl', ['s_client', '-starttls', 'smtp', '-connect', `${trey.address}:${trey.port}`, '-CAfile', file(e.roots), '-brief', '-ign_eof', ...extra],
    { input: 'EHLO mail.adatum.com\r\nMAIL FROM:<kim@adatum.com>\r\nQUIT\r\n', encoding: 'utf8', timeout: 20_000 });

  it('openssl s_client with certificate and chain: TLS verified both ways, MAIL FROM accepted', () => {
    const r = s_client('-cert', file(adatum.certificate), '-cert_chain', file(adatum.chain), '-key', file(adatum.key));
    expect(r.stderr).toContain('Verification: OK');
    expect(r.stderr).toMatch(/Protocol version: TLSv1\.[23]/);
    expect(r.stdout).toMatch(/^250 2\.1\.0 Sender OK/m);
  });

  it('the CertificateRequest names no CA, as Exchange sends none (SendTrustedIssuerList 0), and the certificate is still sent and checked', () => {
    const r = spawnSync('openssl', ['s_client', '-starttls', 'smtp', '-connect', `${trey.address}:${trey.port}`, '-CAfile', file(e.roots), '-ign_eof',
      '-cert', file(adatum.certificate), '-cert_chain', file(adatum.chain), '-key', file(adatum.key)],
    { input: 'EHLO mail.adatum.com\r\nMAIL FROM:<kim@adatum.com>\r\nQUIT\r\n', encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toContain('No client certificate CA names sent');
    expect(r.stdout).toMatch(/^250 2\.1\.0 Sender OK/m);
  });

  it('openssl s_client without a client certificate gets 530 5.7.1; lab up prints the session with its DS rule', async () => {
    expect(s_client().stdout).toMatch(/^530 5\.7\.1 Not authenticated/m);
    const line = /^session 127\.0\.0\.1:\d+ mail\.adatum\.com → treyresearch\.net\/EX1 "EX1\\From adatum\.com" TLS, no client cert: DS-RECV-04 reject → 530 5\.7\.1 Not authenticated$/m;
    for (let i = 0; i < 100 && !line.test(readOutput()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readOutput()).toMatch(line);
  });

  it('lab send injects a message that arrives Domain Secured; doctor finds nothing wrong', () => {
    const sent = domsec(['lab', 'send', '--dir', dir, '--from', 'administrator@treyresearch.net', '--to', 'administrator@adatum.com']);
    expect(sent.status).toBe(0);
    expect(sent.stdout).toContain('as Partner (AuthDomain treyresearch.net): Domain Secured');
    const doctor = domsec(['doctor', '--lab', dir]);
    expect(doctor.status).toBe(0);
    expect(doctor.stdout).toContain('No problem found');
  });

  it('a one-sided change made with domsec shell: lab send fails, doctor names it, the fix it prints delivers the message', async () => {
    const trey = ['shell', '--dir', dir, '--org', 'treyresearch.net', '-c'];
    expect(domsec([...trey, 'Set-ReceiveConnector "EX1\\From adatum.com" -DomainSecureEnabled:$false']).status).toBe(0);
    const sent = domsec(['lab', 'send', '--dir', dir, '--from', 'kim@adatum.com', '--to', 'pat@treyresearch.net', '--subject', 'one-sided']);
    expect(sent.status).toBe(1);
    expect(sent.stdout).toContain('451 4.7.3 The admin has temporarily disallowed this secure domain');
    const doctor = domsec(['doctor', '--lab', dir]);
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toContain('[DS-RECV-01] one-sided configuration: fix in treyresearch.net');
    const fix = /Fix: (Set-ReceiveConnector .*)$/m.exec(doctor.stdout)?.[1];
    expect(fix).toBe('Set-ReceiveConnector "EX1\\From adatum.com" -AuthMechanism Tls -DomainSecureEnabled:$true');
    expect(domsec([...trey, fix!]).status).toBe(0);
    const retry = domsec(['shell', '--dir', dir, '--org', 'adatum.com', '-c', 'Retry-Queue -Identity "EX1\\1"']);
    expect(retry.status).toBe(0);
    const mailbox = await (await fetch(`http://${e.control.host}:${e.control.port}/mailbox?address=pat@treyresearch.net`, { headers: { authorization: `Bearer ${e.control.token}` } })).json() as { subject: string; authAs: string }[];
    expect(mailbox.find((m) => m.subject === 'one-sided')?.authAs).toBe('Partner');
  }, 60_000);

  it('stops on SIGTERM with exit 0, leaving evidence and protocol logs', async () => {
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    const evidence = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')) as { hops: unknown[] };
    expect(evidence.hops.length).toBeGreaterThanOrEqual(1);
    const recvDir = join(dir, trey.logDir, 'ProtocolLog', 'SmtpReceive');
    const log = readdirSync(recvDir).map((f) => readFileSync(join(recvDir, f), 'utf8')).join('');
    expect(log).toContain('530 5.7.1 Not authenticated');
    expect(log).toContain('Validated received certificate');
  });
});
