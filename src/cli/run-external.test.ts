// `domsec run --external`: its option, and the bad inputs that must stop it before any check (issue 9 item 5).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Certificate, validateChain } from '../ca/index.js';
import { type PartnerReceiver, startPartnerReceiver } from '../peers/partner-receiver.js';
import type { RunResult } from '../report/run-result.js';
import { parseExternalRunOption } from './external-run-option.js';
import { repo } from './lab-up-fixture.js';
import { main } from './main.js';

const root = mkdtempSync(join(tmpdir(), 'domsec-run-ext-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function domsec(args: string[]): Promise<{ code: number; out: string; ms: number }> {
  let out = '';
  const w = new Writable({ write: (c, _e, done) => { out += String(c); done(); } });
  const t = performance.now();
  const code = await main(args, { stdout: w, stderr: w, cwd: root, env: {}, now: () => new Date() });
  return { code, out, ms: performance.now() - t };
}

describe('--external for run', () => {
  it('reads DOMAIN=HOST:PORT[,from=IP][,submit=HOST:PORT] and refuses unknown or repeated keys', () => {
    expect(parseExternalRunOption('treyresearch.net=127.0.0.1:2525,submit=127.0.0.1:2526')).toEqual({ domain: 'treyresearch.net', external: { host: '127.0.0.1', port: 2525 }, submit: { host: '127.0.0.1', port: 2526 } });
    expect(parseExternalRunOption('adatum.com=mx.example:25,from=127.0.0.9').external).toEqual({ host: 'mx.example', port: 25, from: '127.0.0.9' });
    expect(parseExternalRunOption('treyresearch.net=127.0.0.1:2525,submit=127.0.0.1:2526,adapter=cmd:./shim.py --x,y').external.adapter).toBe('cmd:./shim.py --x,y');
    expect(() => parseExternalRunOption('treyresearch.net=127.0.0.1:2525,relay=x')).toThrow(/unknown key "relay" \(known: from, submit, adapter\)/);
    expect(() => parseExternalRunOption('treyresearch.net=127.0.0.1:2525,submit=1:2,submit=1:3')).toThrow(/gives submit twice/);
    expect(() => parseExternalRunOption('treyresearch.net=127.0.0.1:2525,submit=nowhere')).toThrow(/submit=nowhere, which is not HOST:PORT/);
    expect(() => parseExternalRunOption('treyresearch.net=127.0.0.1')).toThrow(/DOMAIN=HOST:PORT/);
  });

  it('the sender role without --port-base is a usage error', async () => {
    const r = await domsec(['run', '--external', 'treyresearch.net=127.0.0.1:2525', '--dir', join(root, 'a')]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('the sender role needs --port-base');
  });

  it('an MTA that does not answer stops the run at once with ERR_EXTERNAL_ADDRESS naming it, and the vendor\'s files stay as they were', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const dir = join(root, 'lab');
    mkdirSync(join(dir, 'treyresearch.net'), { recursive: true });
    writeFileSync(join(dir, 'treyresearch.net/external.chain.pem'), 'the vendor installed this\n');
    const r = await domsec(['run', '--external', `treyresearch.net=127.0.0.1:${port}`, '--role', 'receiver', '--dir', dir, '--out', join(root, 'reports')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(new RegExp(`the external MTA of treyresearch\\.net at its SMTP address: 127\\.0\\.0\\.1:${port} does not answer \\(ECONNREFUSED\\).*\\[ERR_EXTERNAL_ADDRESS\\]`));
    expect(r.ms).toBeLessThan(10_000);
    expect(readFileSync(join(dir, 'treyresearch.net/external.chain.pem'), 'utf8')).toBe('the vendor installed this\n');
  }, 30_000);
});

/** The MTA under test: an SMTP server as adatum.com that wants a partner certificate which chains, names treyresearch.net and is not on the CRL its CDP names. */
async function fakeAdatum(dir: string, port: number): Promise<PartnerReceiver> {
  const chain = Certificate.fromPemBundle(readFileSync(join(dir, 'adatum.com/external.chain.pem'), 'utf8'));
  const roots = Certificate.fromPemBundle(readFileSync(join(dir, 'ca/roots.pem'), 'utf8'));
  return startPartnerReceiver({
    address: '127.0.0.1', port, fqdn: 'mail.adatum.com',
    mode: {
      kind: 'good', certificate: { certificate: chain[0], chain: chain.slice(1), privateKeyPem: readFileSync(join(dir, 'adatum.com/external.key.pem'), 'utf8') },
      judgeClient: async (presented, from) => {
        if (!from.endsWith('@treyresearch.net')) return { ok: true, reply: '' };
        if (presented.length === 0) return { ok: false, reply: '530 5.7.1 Not authenticated' };
        // The lab CAs' own CDP names (pki.<domain>) resolve nowhere outside the lab: offline at once (lenient), not a DNS wait.
        const fetchCrl = async (url: string) => {
          if (!url.startsWith('http://127.')) throw new Error(`${url} is not reachable from here`);
          return new Uint8Array(await (await fetch(url)).arrayBuffer());
        };
        const v = await validateChain({ presented, trustedRoots: roots, at: new Date(), domain: 'treyresearch.net', revocation: 'lenient', fetchCrl });
        return v.ok ? { ok: true, reply: '' } : { ok: false, reply: `454 4.7.5 ${v.status}` };
      },
    },
  });
}

describe('run --external as adatum.com, the other organization of the lab', () => {
  it('plays treyresearch.net against it: a receiver that checks chain, names and the CRL the certificates point to passes every receiver check', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const dir = join(root, 'as-adatum');
    const args = ['run', '--external', `adatum.com=127.0.0.1:${port}`, '--role', 'receiver', '--dir', dir, '--out', join(root, 'reports-adatum')];
    // A first run with nothing listening leaves the PKI and the MTA's files in --dir, then stops before any check.
    expect((await domsec(args)).code).toBe(2);
    const mta = await fakeAdatum(dir, port);
    try {
      const r = await domsec(args);
      expect(r.out).toContain('the harness plays treyresearch.net (mail.treyresearch.net');
      const run = JSON.parse(readFileSync(join(root, 'reports-adatum/latest/results.json'), 'utf8')) as RunResult;
      expect(run.scenarios.filter((x) => x.outcome === 'fail').map((x) => x.id)).toEqual([]);
      expect(run.scenarios.filter((x) => x.outcome === 'pass')).toHaveLength(11);
      expect(r.code).toBe(0);
      const crl = run.scenarios.find((x) => x.id.endsWith('receiver/revoked'))!.evidence.logs;
      expect(Object.entries(crl).find(([k]) => k.includes('CRL http://'))?.[1].join('\n')).toMatch(/GET \/treyresearch\.net-issuing\.crl/);
      const [hop] = run.scenarios[0].evidence.hops;
      expect(hop).toMatchObject({ from: { org: 'treyresearch.net', fqdn: 'mail.treyresearch.net' }, to: { org: 'adatum.com', port }, result: 'delivered' });
      expect(hop.clientTranscript.map((l) => `${l.dir} ${l.text}`)).toContain('> EHLO mail.treyresearch.net');
    } finally {
      await mta.close();
    }
  }, 60_000);

  it('the sender role through an adapter that fails: every sender check is not observable with the adapter\'s message, none passes', async () => {
    const dir = join(root, 'as-adatum');
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const mta = await fakeAdatum(dir, port);
    try {
      const out = join(root, 'reports-failing-adapter');
      // cmd:false: a shim that exits 1 at every call (no submit=, so the adapter is the only way to make the MTA send).
      const r = await domsec(['run', '--external', `adatum.com=127.0.0.1:${port},adapter=cmd:false`, '--role', 'sender', '--port-base', String(21000 + (process.pid % 9000)), '--dir', dir, '--out', out]);
      const run = JSON.parse(readFileSync(join(out, 'latest/results.json'), 'utf8')) as RunResult;
      const checked = run.scenarios.filter((x) => x.outcome !== 'skipped');
      expect(checked.map((x) => x.outcome).every((o) => o === 'not-observable'), r.out).toBe(true);
      expect(checked.map((x) => x.id.split('/').slice(1).join('/'))).toContain('sender/good-partner');
      const baseline = checked.find((x) => x.id.endsWith('sender/good-partner'))!;
      expect(baseline.notes.join(' ')).toMatch(/submitting a message is not observable: the adapter cmd:false .*exit.*1.*and no submit=HOST:PORT was given/);
      expect(checked.find((x) => x.id.endsWith('sender/queue-state'))!.notes.join(' ')).toMatch(/the queue state is not observable: the adapter cmd:false/);
      expect(r.code).toBe(0);
    } finally {
      await mta.close();
    }
  }, 60_000);

  it('Ctrl-C ends the run after the running check and writes the report of the finished ones, exit 130', async () => {
    const dir = join(root, 'as-adatum');
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const mta = await fakeAdatum(dir, port);
    try {
      const out = join(root, 'reports-interrupted');
      const child = spawn(process.execPath, ['bin/domsec.mjs', 'run', '--external', `adatum.com=127.0.0.1:${port}`, '--role', 'receiver', '--dir', dir, '--out', out], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOMSEC_TSX: '1' } });
      let text = '';
      child.stdout!.on('data', (c) => { text += String(c); if (/^ {2}pass /m.test(text) && !child.killed) child.kill('SIGINT'); });
      child.stderr!.on('data', (c) => { text += String(c); });
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code, text).toBe(130);
      expect(text).toMatch(/SIGINT: stopping after the running check/);
      const run = JSON.parse(readFileSync(join(out, 'latest/results.json'), 'utf8')) as RunResult;
      expect(run.interrupted).toMatchObject({ signal: 'SIGINT', planned: 16 });
      expect(run.interrupted!.finished).toBe(run.scenarios.length);
      expect(run.scenarios.length).toBeLessThan(16);
    } finally {
      await mta.close();
    }
  }, 60_000);
});
