// Start-up figures (issue 12 item 8): the installed `domsec` command (compiled dist/) against the 150 ms target, and a
// whole `domsec lab send` process against a running `lab up` beside swaks doing one session to the same lab, and the
// whole `domsec lab up` process (first start and restart) against the 2 s target.
// Part of `npm run bench`; alone: `node --import tsx bench/startup.ts [--runs N]`.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Endpoints } from '../src/cli/lab-export.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const TARGET_MS = 150;

/** Wall time of one whole process, from spawn to exit, in ms. */
function wall(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'ignore' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, ${xs.length} runs)`;

function labUp(dir: string, args: string[] = ['--seed', 'bench-startup']): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Press Ctrl-C')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`lab up exited ${code} before it was up: ${out}`)));
  });
}

async function labDown(dir: string, lab: ChildProcess): Promise<void> {
  spawnSync(process.execPath, ['bin/domsec.mjs', 'lab', 'down', '--dir', dir], { cwd: repo, stdio: 'ignore' });
  if (lab.exitCode === null) await new Promise((r) => lab.once('exit', r));
}

/**
 * A lab up as a user starts it: the whole `domsec lab up` process, from spawn to its "Press Ctrl-C" line. `--fresh`
 * issues a new PKI each time (keys from the key cache, warm after the first run); a restart reuses the PKI kept in
 * the folder, as a course lab's second start does.
 */
export async function labUpFigures(runs = 5): Promise<string[]> {
  const lines: string[] = [];
  for (const name of ['adatum-treyresearch', 'contoso-woodgrove']) {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-bench-labup-'));
    try {
      const timesFor = async (args: string[]) => {
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          const lab = await labUp(dir, [name, ...args]);
          times.push(performance.now() - t0);
          await labDown(dir, lab);
        }
        return times;
      };
      const fresh = await timesFor(['--fresh']);
      const restart = await timesFor([]);
      lines.push(`domsec lab up ${name} (whole process until up): --fresh ${fmt(fresh)}; restart on its kept PKI ${fmt(restart)}   target ≤ 2000 ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}

/**
 * The installed command: what `npm ci` (prepare) compiles. A figure of a spawned `domsec` must never measure the tsx
 * fallback that bin/domsec.mjs takes while dist/ is older than src/ (~300 ms more for a `lab up`): each bench entry
 * point (run.ts, this file, suite-parallel.ts) builds it once before its first figure.
 */
export function buildCommand(): void {
  wall(process.execPath, ['scripts/build.mjs', '--quiet']);
}

export async function startupFigures(runs = 15): Promise<string[]> {
  const lines: string[] = [];
  const floor: number[] = [];
  const version: number[] = [];
  const sendHelp: number[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(wall(process.execPath, ['-e', '0']));
    version.push(wall(process.execPath, ['bin/domsec.mjs', '--version']));
    sendHelp.push(wall(process.execPath, ['bin/domsec.mjs', 'lab', 'send', '--help']));
  }
  const verdict = (xs: number[]) => (median(xs) <= TARGET_MS ? 'within' : 'OVER');
  lines.push(`start-up, domsec --version:       ${fmt(version)}   target ≤ ${TARGET_MS} ms: ${verdict(version)}`);
  lines.push(`start-up, domsec lab send --help: ${fmt(sendHelp)}   target ≤ ${TARGET_MS} ms: ${verdict(sendHelp)}`);
  lines.push(`  (node -e 0 on this machine, the floor: ${fmt(floor)})`);

  const dir = mkdtempSync(join(tmpdir(), 'domsec-bench-lab-'));
  const lab = await labUp(dir);
  try {
    const e = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints;
    const edges = e.organizations.flatMap((o) => o.edges);
    const adatum = edges.find((x) => x.domain === 'adatum.com');
    const trey = edges.find((x) => x.domain === 'treyresearch.net');
    if (!adatum?.certificate || !adatum.key || !trey) throw new Error('the bench lab has no adatum.com certificate or treyresearch.net edge');
    const send = ['bin/domsec.mjs', 'lab', 'send', '--dir', dir, '--from', 'administrator@adatum.com', '--to', 'administrator@treyresearch.net'];
    const swaks = ['--server', `${trey.address}:${trey.port}`, '--tls', '--tls-cert', join(dir, adatum.certificate), '--tls-key', join(dir, adatum.key),
      '--ehlo', 'mail.adatum.com', '--from', 'administrator@adatum.com', '--to', 'administrator@treyresearch.net'];
    const hasSwaks = spawnSync('sh', ['-c', 'command -v swaks'], { stdio: 'ignore' }).status === 0;
    const sends: number[] = [];
    const swakses: number[] = [];
    // Alternated, so load on the machine falls on both alike.
    for (let i = 0; i < runs; i++) {
      if (hasSwaks && i % 2 === 1) swakses.push(wall('swaks', swaks));
      sends.push(wall(process.execPath, send));
      if (hasSwaks && i % 2 === 0) swakses.push(wall('swaks', swaks));
    }
    lines.push(`domsec lab send (whole process, relay adatum → treyresearch in a running lab up): ${fmt(sends)}`);
    if (hasSwaks) lines.push(`  swaks, one session into the same lab's treyresearch edge: ${fmt(swakses)}; ratio ${(median(sends) / median(swakses)).toFixed(2)}×`);
    else lines.push('  (swaks not installed: no side-by-side figure)');
  } finally {
    await labDown(dir, lab);
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--runs');
  buildCommand();
  for (const line of await labUpFigures()) console.log(line);
  for (const line of await startupFigures(at > 0 ? Number(process.argv[at + 1]) : undefined)) console.log(line);
}
