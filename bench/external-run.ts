// `domsec run --external` (both roles) against the static Postfix of docs/external-mta/, set up as §6 of
// docs/external-mta.md says: wall time per round, split by role, beside the floor the sender role's waits set; given
// mail over SMTP on a test lab's retry schedule, and driven by its reference shim on Postfix's production schedule; and
// the static Exim of docs/external-mta/exim.conf driven by exim-shim.py.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import type { Endpoints } from '../src/cli/lab-export.js';
import { DEFAULT_TIMING } from '../src/peers/external-catalogue.js';
import { CHECK_FAULTS } from '../src/peers/external-check-certificates.js';
import { mtaGate } from '../src/peers/require-mta.js';
import type { RunResult } from '../src/report/run-result.js';
import { startStaticExim } from '../src/peers/testing/static-exim.js';
import { startStaticPostfix } from '../src/peers/testing/static-postfix.js';

const repo = fileURLToPath(new URL('../', import.meta.url));

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** `domsec lab up` once, for the PKI and the MTA's certificate in D, then stopped. */
async function labOnce(args: string[]): Promise<Endpoints> {
  const child: ChildProcess = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => { out += String(c); });
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => { if (out.includes('Press Ctrl-C')) { clearInterval(check); resolve(); } }, 50);
    child.once('exit', (code) => { clearInterval(check); reject(new Error(`lab up exited ${code}: ${out}`)); });
  });
  const dir = args[args.indexOf('--dir') + 1];
  const endpoints = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints;
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return endpoints;
}

export async function externalRunFigures(rounds = 3): Promise<string[]> {
  const gate = mtaGate('postfix');
  if (!gate.available) return [`domsec run --external: skipped (${gate.reason})`];
  const root = mkdtempSync(join(tmpdir(), 'bench-external-'));
  const dir = join(root, 'lab');
  const port = await freePort();
  const base = 20000 + (process.pid % 20000);
  const lines: string[] = [];
  try {
    const e = await labOnce(['adatum-treyresearch', '--dir', dir, '--port-base', String(base), '--clock', 'real', '--external', `treyresearch.net=127.0.0.1:${port}`]);
    const edge = e.organizations.find((o) => o.name === 'adatum.com')!.edges[0];
    const files = {
      port, partnerEdge: { address: edge.address, port: edge.port }, keyPem: readFileSync(join(dir, 'treyresearch.net/external.key.pem'), 'utf8'),
      chainPem: readFileSync(join(dir, 'treyresearch.net/external.chain.pem'), 'utf8'), rootsPem: readFileSync(join(dir, 'ca/roots.pem'), 'utf8'),
    };
    // Two ways of driving the sender role, alternated in each round: the test-lab Postfix (1–2 s retries) given mail
    // over SMTP (submit=), and Postfix on its production schedule (5-minute backoff) driven by its reference shim
    // (submit and retry through the adapter, docs/external-mta.md §6).
    // The hand-written Exim (docs/external-mta/exim.conf) on Debian's production retry rule, driven by exim-shim.py, when
    // Exim is unpacked here.
    const shim = (name: string, at: string) => `adapter=cmd:python3 ${join(repo, 'docs/external-mta', name)} ${at}`;
    const postfix = (variant: 'as-documented' | 'production-retry') => async () => { const p = await startStaticPostfix({ ...files, variant }); return { at: p.etc, stop: p.stop }; };
    const ways = [
      { name: 'Postfix, submit=, test-lab retries', start: postfix('as-documented'), external: () => `submit=127.0.0.1:${port}` },
      { name: 'Postfix, adapter (postfix-shim.py), production retries', start: postfix('production-retry'), external: (at: string) => shim('postfix-shim.py', at) },
      ...(mtaGate('exim').available ? [{
        name: 'Exim, adapter (exim-shim.py), production retries', external: (at: string) => shim('exim-shim.py', at),
        start: async () => { const e = await startStaticExim({ ...files, variant: 'production-retry' }); return { at: e.conf, stop: e.stop }; },
      }] : []),
    ];
    const figures = ways.map(() => ({ walls: [] as number[], roles: [] as { receiver: number; sender: number }[], counts: '' }));
    for (let i = 0; i < rounds; i++) {
      for (const [w, way] of ways.entries()) {
        const mta = await way.start();
        try {
          const out = join(root, `reports-${i}-${w}`);
          const sink = new Writable({ write: (_c, _e, done) => done() });
          const t0 = performance.now();
          await main(['run', '--external', `treyresearch.net=127.0.0.1:${port},${way.external(mta.at)}`, '--dir', dir, '--port-base', String(base), '--out', out, '--quiet'], { stdout: sink, stderr: sink, cwd: root, env: {}, now: () => new Date() });
          figures[w].walls.push((performance.now() - t0) / 1000);
          const run = JSON.parse(readFileSync(join(out, 'latest/results.json'), 'utf8')) as RunResult;
          const sum = (role: string) => run.scenarios.filter((s) => s.tags.includes(`role-${role}`)).reduce((t, s) => t + s.durationMs, 0) / 1000;
          figures[w].roles.push({ receiver: sum('receiver'), sender: sum('sender') });
          figures[w].counts = (['pass', 'fail', 'not-observable', 'skipped'] as const).map((o) => `${run.counts[o]} ${o === 'fail' ? 'divergent' : o === 'skipped' ? 'n/a' : o}`).join(', ');
        } finally {
          await mta.stop();
        }
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Each sender fault waits for a session and then 1 s of quiet: the floor no faster machine lowers.
    const floor = (CHECK_FAULTS.length + 5) * DEFAULT_TIMING.quietMs / 1000;
    for (const [w, way] of ways.entries()) {
      const f = figures[w];
      lines.push(`domsec run --external (both roles) vs the static ${way.name}: median ${med(f.walls).toFixed(1)} s (min ${Math.min(...f.walls).toFixed(1)}, max ${Math.max(...f.walls).toFixed(1)}, ${rounds} rounds)   target < 60 s`);
      lines.push(`  receiver checks ${med(f.roles.map((r) => r.receiver)).toFixed(1)} s, sender checks ${med(f.roles.map((r) => r.sender)).toFixed(1)} s (of which ≥ ${floor.toFixed(0)} s are the faults' 1 s quiet and the drain's retries); ${f.counts}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return lines;
}
