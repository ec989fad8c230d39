// `lab up --external` end to end through the CLI: a real SMTP server with the certificate lab up wrote for it plays
// treyresearch.net; lab send, the evidence and doctor --lab see its sessions (the three bugs of issue 9).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HopEvidence } from '../sim/index.js';
import { parseExternalOption } from './external-option.js';
import type { Endpoints } from './lab-export.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const domsec = (args: string[]) => spawnSync(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
/** Not spawnSync: the outside MTA runs in this process and must answer while the command waits. */
function domsecAsync(args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    c.stdout!.on('data', (d) => { stdout += String(d); });
    c.once('exit', (status) => resolve({ status, stdout }));
  });
}

describe('--external', () => {
  it('reads DOMAIN=HOST:PORT[,from=IP] and names what is wrong', () => {
    expect(parseExternalOption('treyresearch.net=127.0.0.1:2525,from=127.0.0.9')).toEqual({ domain: 'treyresearch.net', external: { host: '127.0.0.1', port: 2525, from: '127.0.0.9' } });
    expect(() => parseExternalOption('treyresearch.net=127.0.0.1')).toThrow(/DOMAIN=HOST:PORT/);
    expect(() => parseExternalOption('treyresearch.net=127.0.0.1:70000')).toThrow(/port 70000/);
    expect(() => parseExternalOption('treyresearch.net=127.0.0.1:25,from=nowhere')).toThrow(/not an IPv4 address/);
    // adapter= is last and keeps its commas and blanks; a SPEC of no form is refused before anything starts.
    expect(parseExternalOption('treyresearch.net=127.0.0.1:2525,from=127.0.0.9,adapter=cmd:python3 shim.py --dirs a,b')).toEqual({
      domain: 'treyresearch.net', external: { host: '127.0.0.1', port: 2525, from: '127.0.0.9', adapter: 'cmd:python3 shim.py --dirs a,b' },
    });
    expect(parseExternalOption('treyresearch.net=mta.example:25,adapter=http://10.0.0.5:8025/shim').external).toEqual({ host: 'mta.example', port: 25, adapter: 'http://10.0.0.5:8025/shim' });
    expect(() => parseExternalOption('treyresearch.net=127.0.0.1:25,adapter=postfix')).toThrow('has an adapter that is not one ("postfix" is not an adapter)');
    const r = domsec(['lab', 'up', '--dir', mkdtempSync(join(tmpdir(), 'domsec-ext-')), '--external', 'fabrikam.com=127.0.0.1:2525']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no such organization (adatum.com, treyresearch.net)');
  });
});

/** A scripted adapter (its submit hands nothing to the SMTP server; its queue says adatum.com is retrying). */
const ADAPTER = 'cmd:node src/peers/fixtures/test-shim.mjs good';

describe('domsec lab up adatum-treyresearch --external treyresearch.net=127.0.0.1:PORT with a real SMTP server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-labup-ext-'));
  let child: ChildProcess;
  let output = '';
  let e: Endpoints;
  let server: SMTPServer;
  const received: string[] = [];

  beforeAll(async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir, '--seed', 'ext', '--external', `treyresearch.net=127.0.0.1:${port},adapter=${ADAPTER}`], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c) => { output += String(c); });
    child.stderr!.on('data', (c) => { output += String(c); });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`lab up did not come up:\n${output}`)), 30_000);
      const check = setInterval(() => {
        if (output.includes('Press Ctrl-C') && output.includes('warning: the external MTA')) { clearInterval(check); clearTimeout(t); resolve(); }
      }, 50);
      child.once('exit', (code) => { clearInterval(check); clearTimeout(t); reject(new Error(`lab up exited ${code}:\n${output}`)); });
    });
    e = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints;
    const trey = e.organizations.find((o) => o.name === 'treyresearch.net')!.external!;
    // The outside MTA installs what lab up wrote for it, as a vendor would.
    server = new SMTPServer({
      name: trey.fqdn, key: readFileSync(join(dir, trey.key)), cert: readFileSync(join(dir, trey.chain)), authOptional: true, disableReverseLookup: true, logger: false,
      onMailFrom: (a, _s, cb) => cb(a.address.startsWith('refuse') ? Object.assign(new Error('5.7.0 Must issue a STARTTLS command first'), { responseCode: 530 }) : null),
      onData: (stream, session, cb) => { stream.resume(); stream.on('end', () => { received.push(...session.envelope.rcptTo.map((r) => r.address)); cb(); }); },
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  }, 40_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const down = new Promise((r) => child.once('exit', r));
      domsec(['lab', 'down', '--dir', dir]);
      await down;
    }
    await new Promise<void>((r) => server?.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('has no simulated edge for the external organization, and writes its certificate (key mode 600)', () => {
    const trey = e.organizations.find((o) => o.name === 'treyresearch.net')!;
    expect(trey.edges).toEqual([]);
    expect(trey.external).toMatchObject({ host: '127.0.0.1', from: '127.0.0.1', fqdn: 'mail.treyresearch.net', adapter: ADAPTER });
    expect(statSync(join(dir, trey.external!.key)).mode & 0o777).toBe(0o600);
    expect(output).toMatch(/warning: the external MTA of treyresearch\.net: 127\.0\.0\.1:\d+ does not answer \(ECONNREFUSED\)/);
  });

  it('lab send: mail the outside MTA accepted exits 0; a 530 at MAIL FROM exits 1 as returned, not delivered', async () => {
    const ok = await domsecAsync(['lab', 'send', '--dir', dir, '--from', 'administrator@adatum.com', '--to', 'bob@treyresearch.net']);
    expect(ok.stdout).toContain('delivered to bob@treyresearch.net by mail.treyresearch.net at 127.0.0.1:');
    expect(ok.status).toBe(0);
    expect(received).toEqual(['bob@treyresearch.net']);
    const refused = await domsecAsync(['lab', 'send', '--dir', dir, '--from', 'refuse@adatum.com', '--to', 'bob@treyresearch.net']);
    expect(refused.stdout).toMatch(/NOT delivered to bob@treyresearch\.net: queue \(none\) is returned \(rejected\), LastError 530/);
    expect(refused.stdout).toMatch(/→ mail\.treyresearch\.net: rejected {2}530/);
    expect(refused.status).toBe(1);
  }, 30_000);

  it('lab send from a user of the external organization goes through its adapter: here queued, with the LastError the adapter read', async () => {
    const r = await domsecAsync(['lab', 'send', '--dir', dir, '--from', 'alice@treyresearch.net', '--to', 'administrator@adatum.com', '--subject', 'via adapter']);
    expect(r.stdout).toContain('NOT delivered to administrator@adatum.com: queue adatum.com is Retry, LastError 451 4.4.0 try later');
    expect(r.status).toBe(1);
  }, 30_000);

  it('sessions the outside MTA opens are hops, and doctor --lab reports its refusals', async () => {
    const adatum = e.organizations.find((o) => o.name === 'adatum.com')!.edges[0];
    for (let i = 0; i < 3; i++) {
      // No client certificate: adatum's Partner connector refuses treyresearch.net at MAIL FROM.
      const c = new SMTPConnection({ host: adatum.address, port: adatum.port, localAddress: '127.0.0.1', name: 'mail.treyresearch.net', requireTLS: true, tls: { rejectUnauthorized: false } });
      c.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => c.connect((err?: Error) => (err ? reject(err) : resolve())));
      const reply = await new Promise<string>((resolve) => c.send({ from: 'administrator@treyresearch.net', to: ['administrator@adatum.com'] }, 'Subject: x\r\n\r\nx\r\n', (err, info) => resolve(err ? String((err as Error & { response?: string }).response) : info.response)));
      expect(reply).toMatch(/^5\d\d /);
      c.quit();
      await new Promise<void>((r) => c.once('end', () => r()));
    }
    // evidence.json is written by lab up's poll; wait (wall clock) until it holds the three inbound hops.
    let hops: HopEvidence[] = [];
    const settled = () => hops.filter((h) => h.from.edge === 'external' && h.reply !== undefined).length >= 3;
    for (let i = 0; i < 200 && !settled(); i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        hops = (JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')) as { hops: HopEvidence[] }).hops;
      } catch {
        // lab up rewrites the file in place: a read in the middle of a write is tried again
      }
    }
    const inbound = hops.filter((h) => h.from.edge === 'external');
    expect(inbound.map((h) => [h.from.org, h.to.org, h.result])).toEqual(Array(3).fill(['treyresearch.net', 'adatum.com', 'rejected']));
    expect(inbound[0].tls).toBeDefined();
    const doctor = domsec(['doctor', '--lab', dir]);
    expect(doctor.stdout).not.toContain('No problem found');
    expect(doctor.stdout).toContain('treyresearch.net');
    expect(doctor.status).toBe(1);
  }, 30_000);
});
