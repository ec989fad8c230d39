// Receiving-edge throughput (issue 12 item 5): one `domsec lab up` edge against a private Postfix receiver and one
// openssl s_server/s_time pair, in alternated rounds of the same run, so a busy machine slows all of them alike.
// The load generator (bench/session-load.mjs) is a process of its own, the same one for domsec and Postfix, with the
// same client certificate (adatum.com's edge) and the same session (EHLO, STARTTLS, MAIL, RCPT, DATA, QUIT).
// openssl s_time cannot speak SMTP: it does full mutual-TLS handshakes only, one at a time (its own client).
// Each round also runs a second lab with `--edge-threads N` (BENCH_EDGE_THREADS or --edge-threads, default 1; 0: not run).
// Part of `npm run bench`; alone: `node --import tsx bench/edge-receive.ts [--rounds N] [--sessions N] [--edge-threads N] [--compare OTHER-CHECKOUT]`.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Endpoints, EdgeEndpoint } from '../src/cli/lab-export.js';
import { makeInstanceDir, ownedDir, removeInstanceDir } from '../src/peers/instance-dir.js';
import { type MtaProcess, spawnMta, waitForListener } from '../src/peers/mta-process.js';
import { makeQueue } from '../src/peers/postfix/postfix-peer.js';
import { mtaGate } from '../src/peers/require-mta.js';
import { gidOf, uidOf } from '../src/peers/system-accounts.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const TICK_MS = 10; // /proc/<pid>/stat counts CPU in clock ticks of 1/100 s (CLK_TCK on Linux)

interface Target {
  name: string;
  /** CPU time of the receiver so far, in ms (every process of it). */
  cpuMs(): number;
}

interface Round {
  rate: number;
  cpuPerSessionMs: number;
  failed: number;
  firstError?: string;
}

function statFields(pid: string | number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on: state is [0]
  } catch {
    return undefined;
  }
}

/** utime+stime of one process (and of its reaped children when `children`). */
function cpuOfProcess(pid: number, children = false): number {
  const f = statFields(pid);
  if (!f) return 0;
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return ticks * TICK_MS;
}

/** Every process of a process group (Postfix's master and its smtpd, cleanup, qmgr, virtual…), reaped ones included. */
function cpuOfGroup(pgid: number): number {
  let ticks = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const f = statFields(p);
    if (f && Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks * TICK_MS;
}

function freePort(address: string): Promise<number> {
  const probe = net.createServer();
  return new Promise((resolve, reject) => probe.once('error', reject).listen(0, address, () => {
    const port = (probe.address() as net.AddressInfo).port;
    probe.close(() => resolve(port));
  }));
}

function labUp(dir: string, checkout = repo, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir, '--seed', 'bench-edge-receive', ...extra], { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (out.includes('Press Ctrl-C')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep reading the session lines, or the lab blocks on a full pipe
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('exit', (code) => reject(new Error(`lab up exited ${code} before it was up: ${out}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

/** Leaf and intermediates, without the root: what a sending edge presents. */
function presentedChain(pem: string): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.filter((b) => { const c = new X509Certificate(b); return c.subject !== c.issuer; }).join('\n');
}

function load(job: object): Promise<{ seconds: number; failed: number; firstError?: string; cpuMs: number }> {
  const child = spawn(process.execPath, [join(repo, 'bench/session-load.mjs'), JSON.stringify(job)], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}: ${out}`)))));
}

async function startPostfix(dir: string, e: Endpoints, trey: EdgeEndpoint): Promise<{ port: number; master: MtaProcess; root: string }> {
  const port = await freePort('127.0.0.1');
  const root = makeInstanceDir(tmpdir(), 'bench-postfix');
  const etc = join(root, 'etc');
  mkdirSync(etc, { recursive: true });
  // The hand-written static Postfix of docs/external-mta (no domsec policy service): Postfix's own TLS and delivery only.
  const fill = (file: string) => readFileSync(join(repo, 'docs/external-mta', file), 'utf8').replaceAll('@DIR@', root).replaceAll('@PORT@', String(port));
  writeFileSync(join(etc, 'main.cf'), fill('postfix-main.cf'));
  writeFileSync(join(etc, 'master.cf'), fill('postfix-master.cf'));
  writeFileSync(join(etc, 'transport'), '');
  writeFileSync(join(etc, 'tls_policy'), '');
  writeFileSync(join(etc, 'partner_senders'), '');
  writeFileSync(join(etc, 'external.key.pem'), readFileSync(join(dir, trey.key!)), { mode: 0o600 });
  writeFileSync(join(etc, 'external.chain.pem'), presentedChain(readFileSync(join(dir, trey.chain!), 'utf8')) + '\n');
  writeFileSync(join(etc, 'roots.pem'), readFileSync(join(dir, e.roots)));
  makeQueue(join(root, 'queue'), uidOf('postfix'), gidOf('postdrop'));
  ownedDir(join(root, 'data'), 0o700, uidOf('postfix'), gidOf('postfix'));
  ownedDir(join(root, 'mail'), 0o755, 65534, 65534);
  ownedDir(join(root, 'log'), 0o755);
  const master = spawnMta('/usr/lib/postfix/sbin/master', ['-c', etc, '-s'], { MAIL_CONFIG: etc }, { folder: root });
  await waitForListener(master, '127.0.0.1', port, 15_000, 'Postfix', () => (existsSync(join(root, 'log/maillog')) ? readFileSync(join(root, 'log/maillog'), 'utf8') : ''));
  return { port, master, root };
}

function startSServer(port: number, files: { key: string; chain: string; roots: string }): ChildProcess {
  // -Verify 1 asks for the client certificate (and checks it), as the receiving edge does; TLS 1.2 as domsec's edges speak.
  return spawn('openssl', ['s_server', '-quiet', '-accept', `127.0.0.1:${port}`, '-key', files.key, '-cert', files.chain, '-CAfile', files.roots, '-verify', '1', '-no_tls1_3'], { stdio: ['pipe', 'ignore', 'ignore'] });
}

/** openssl s_time: full handshakes (-new), one at a time, for `seconds`; the rate is counted against the wall clock. */
function sTime(port: number, files: { cert: string; key: string; roots: string }, seconds: number): Promise<{ count: number; seconds: number }> {
  const t0 = performance.now();
  const child = spawn('openssl', ['s_time', '-connect', `127.0.0.1:${port}`, '-new', '-time', String(seconds), '-cert', files.cert, '-key', files.key, '-CAfile', files.roots], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => child.once('exit', () => {
    const m = /(\d+) connections in [\d.]+s/.exec(out);
    if (!m) return reject(new Error(`s_time printed no count: ${out}`));
    resolve({ count: Number(m[1]), seconds: (performance.now() - t0) / 1000 });
  }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `compare`: another checkout of domsec (built, with node_modules), whose `lab up` runs beside this one's in the same
 * alternated rounds, as "domsec before": how a change is measured side by side on a busy machine.
 */
export async function edgeReceiveFigures(o: { rounds?: number; sessions?: number; concurrency?: number; compare?: string; edgeThreads?: number } = {}): Promise<string[]> {
  const edgeThreads = o.edgeThreads ?? Number(process.env.BENCH_EDGE_THREADS ?? 1);
  const rounds = o.rounds ?? 3;
  const total = o.sessions ?? 600;
  const concurrency = o.concurrency ?? 16;
  // The installed command (what `npm ci` compiles), never the tsx fallback.
  spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: repo, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'domsec-bench-edge-'));
  const lab = await labUp(dir);
  const cleanup: (() => Promise<void> | void)[] = [() => stopChild(lab), () => rmSync(dir, { recursive: true, force: true })];
  try {
    const e = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints;
    const edges = e.organizations.flatMap((x) => x.edges);
    const adatum = edges.find((x) => x.domain === 'adatum.com')!;
    const trey = edges.find((x) => x.domain === 'treyresearch.net')!;
    const client = { key: readFileSync(join(dir, adatum.key!), 'utf8'), cert: presentedChain(readFileSync(join(dir, adatum.chain!), 'utf8')) };
    const job = (address: string, port: number) => ({
      address, port, localAddress: '127.0.0.1', helo: adatum.fqdn, from: 'administrator@adatum.com', to: 'administrator@treyresearch.net', total, concurrency, ...client,
    });
    const targets: { target: Target; run: () => Promise<Round> }[] = [];
    const sessionRound = (target: Target, address: string, port: number) => async (): Promise<Round> => {
      const c0 = target.cpuMs();
      const r = await load(job(address, port));
      return { rate: total / r.seconds, cpuPerSessionMs: (target.cpuMs() - c0) / total, failed: r.failed, firstError: r.firstError };
    };
    const labPid = lab.pid!;
    const domsec: Target = { name: 'domsec lab up', cpuMs: () => cpuOfProcess(labPid) };
    targets.push({ target: domsec, run: sessionRound(domsec, trey.address, trey.port) });
    if (edgeThreads > 0) {
      // The same lab with its edges' sockets and TLS on worker threads (`lab up --edge-threads N`), its own folder and ports.
      const threadedDir = mkdtempSync(join(tmpdir(), 'domsec-bench-threads-'));
      const threadedLab = await labUp(threadedDir, repo, ['--edge-threads', String(edgeThreads)]);
      cleanup.unshift(() => stopChild(threadedLab), () => rmSync(threadedDir, { recursive: true, force: true }));
      const te = JSON.parse(readFileSync(join(threadedDir, 'endpoints.json'), 'utf8')) as Endpoints;
      const tTrey = te.organizations.flatMap((x) => x.edges).find((x) => x.domain === 'treyresearch.net')!;
      const threaded: Target = { name: `domsec threads ${edgeThreads}`, cpuMs: () => cpuOfProcess(threadedLab.pid!) };
      targets.push({ target: threaded, run: sessionRound(threaded, tTrey.address, tTrey.port) });
    }
    if (o.compare) {
      spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: o.compare, stdio: 'ignore' });
      const beforeDir = mkdtempSync(join(tmpdir(), 'domsec-bench-before-'));
      const before = await labUp(beforeDir, o.compare);
      cleanup.unshift(() => stopChild(before), () => rmSync(beforeDir, { recursive: true, force: true }));
      const be = JSON.parse(readFileSync(join(beforeDir, 'endpoints.json'), 'utf8')) as Endpoints;
      const beTrey = be.organizations.flatMap((x) => x.edges).find((x) => x.domain === 'treyresearch.net')!;
      const beforeTarget: Target = { name: 'domsec before', cpuMs: () => cpuOfProcess(before.pid!) };
      // Same seed, so the same PKI: the same client certificate is a partner's there too.
      targets.push({ target: beforeTarget, run: sessionRound(beforeTarget, beTrey.address, beTrey.port) });
    }

    const gate = mtaGate('postfix');
    if (gate.available) {
      const pf = await startPostfix(dir, e, trey);
      cleanup.unshift(async () => { await pf.master.stop(); removeInstanceDir(pf.root); });
      const postfix: Target = { name: 'Postfix', cpuMs: () => cpuOfGroup(pf.master.pid) };
      targets.push({ target: postfix, run: sessionRound(postfix, '127.0.0.1', pf.port) });
    }

    const sPort = await freePort('127.0.0.1');
    const work = mkdtempSync(join(tmpdir(), 'domsec-bench-ssl-'));
    cleanup.push(() => rmSync(work, { recursive: true, force: true }));
    writeFileSync(join(work, 'server-chain.pem'), presentedChain(readFileSync(join(dir, trey.chain!), 'utf8')));
    writeFileSync(join(work, 'client-chain.pem'), client.cert);
    const sserver = startSServer(sPort, { key: join(dir, trey.key!), chain: join(work, 'server-chain.pem'), roots: join(dir, e.roots) });
    cleanup.unshift(() => stopChild(sserver));
    const openssl: Target = { name: 'openssl s_server', cpuMs: () => cpuOfProcess(sserver.pid!) };
    await new Promise((r) => setTimeout(r, 300));
    targets.push({
      target: openssl,
      run: async () => {
        const c0 = openssl.cpuMs();
        const r = await sTime(sPort, { cert: join(work, 'client-chain.pem'), key: join(dir, adatum.key!), roots: join(dir, e.roots) }, 3);
        return { rate: r.count / r.seconds, cpuPerSessionMs: (openssl.cpuMs() - c0) / Math.max(1, r.count), failed: 0 };
      },
    });

    const results = new Map<string, Round[]>(targets.map((t) => [t.target.name, []]));
    // One warm-up session round per domsec (JIT, caches), not counted.
    for (const t of targets.filter((x) => x.target.name.startsWith('domsec'))) await t.run();
    for (let i = 0; i < rounds; i++) for (const t of targets) results.get(t.target.name)!.push(await t.run());

    const lines: string[] = [`receiving edge, ${rounds} alternated rounds of ${total} sessions (${concurrency} at a time) from one load-generator process:`];
    const rate = (name: string) => median(results.get(name)!.map((r) => r.rate));
    for (const t of targets) {
      const rs = results.get(t.target.name)!;
      const failed = rs.reduce((n, r) => n + r.failed, 0);
      lines.push(`  ${t.target.name.padEnd(17)} ${rate(t.target.name).toFixed(0).padStart(5)}/s (rounds ${rs.map((r) => r.rate.toFixed(0)).join(', ')}), CPU/session ${median(rs.map((r) => r.cpuPerSessionMs)).toFixed(2)} ms${failed ? `, ${failed} failed (${rs.find((r) => r.firstError)?.firstError})` : ''}`);
    }
    const ratio = (other: string, ours = domsec.name) => {
      const per = results.get(ours)!.map((r, i) => r.rate / results.get(other)!.at(i)!.rate);
      return `${(rate(ours) / rate(other)).toFixed(2)}× (per round ${per.map((x) => x.toFixed(2)).join(', ')})`;
    };
    for (const ours of targets.map((t) => t.target.name).filter((n) => n === domsec.name || n.startsWith('domsec threads'))) {
      if (results.has('Postfix')) lines.push(`  ${ours} / Postfix: ${ratio('Postfix', ours)}   target ≥ 1.0×`);
      else lines.push(`  (no Postfix: ${gate.reason})`);
      lines.push(`  ${ours} / openssl s_server+s_time: ${ratio(openssl.name, ours)}   target ≥ 0.6×`);
    }
    if (results.has('domsec before')) {
      lines.push(`  domsec before / Postfix: ${results.has('Postfix') ? (rate('domsec before') / rate('Postfix')).toFixed(2) : '-'}×, before / openssl: ${(rate('domsec before') / rate(openssl.name)).toFixed(2)}×, domsec / before: ${ratio('domsec before')}`);
    }
    return lines;
  } finally {
    for (const c of cleanup) await c();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  for (const line of await edgeReceiveFigures({ rounds: num('--rounds'), sessions: num('--sessions'), compare: arg('--compare'), edgeThreads: num('--edge-threads') })) console.log(line);
}
