// Scale figures (issue 12 item 7, many organizations): lab-file checks at 25/50/100 organizations, a 100-organization full
// mesh up and its 9,900 messages delivered, and a long-running `lab up` over 10,000 sends (ms per send, RSS).
// Alone: node --import tsx bench/scale.ts [--orgs 100] [--edge-threads N (mesh: 2 by default, 0 = one thread)] [--sends 10000]
// [--only parse,mesh,long]. Printed, never asserted.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { parseLabText } from '../src/cli/lab-file.js';
import type { Endpoints } from '../src/cli/lab-export.js';
import { isDomainSecured, meshLabDefinition, parseLabDefinition, startDefinedLab } from '../src/sim/index.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
/** CPU seconds (user and system, every thread) since `from`: on a shared machine the wall time also counts other processes. */
const cpuSeconds = (from: NodeJS.CpuUsage) => { const c = process.cpuUsage(from); return (c.user + c.system) / 1e6; };

/** parseLabText (YAML and every check) of a full mesh with one send and one receive connector per partner. */
export function parseFigures(sizes = [25, 50, 100]): string[] {
  return sizes.map((n) => {
    const text = stringify(meshLabDefinition({ organizations: n }));
    const times = Array.from({ length: 3 }, () => {
      const t0 = performance.now();
      parseLabText(text, `mesh-${n}.yaml`);
      return performance.now() - t0;
    });
    return `lab file, ${n}-organization full mesh (${(text.length / 1e6).toFixed(2)} MB YAML): parsed and checked in ${median(times).toFixed(0)} ms (median of 3)`;
  });
}

/** A full mesh up, then every organization sending to every other at once, until all is settled. */
export async function meshFigures(n = 100, edgeThreads?: number): Promise<string[]> {
  const def = parseLabDefinition(meshLabDefinition({ organizations: n, ...(edgeThreads === undefined ? {} : { edgeThreads }) }), `mesh-${n}`);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const lab = await startDefinedLab(def);
  const up = performance.now() - t0;
  const upCpu = cpuSeconds(c0);
  try {
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const sent = await Promise.all(lab.probes.map(async (p) => ({
      ...p, id: await lab.sim.org(p.from.slice(p.from.indexOf('@') + 1)).send({ from: p.from, to: [p.to], subject: 'mesh', body: 'mesh' }),
    })));
    await lab.sim.settle();
    const took = performance.now() - t1;
    const tookCpu = cpuSeconds(c1);
    const partner = sent.filter((m) => lab.sim.org(m.to.slice(m.to.indexOf('@') + 1)).mailbox(m.to).some((x) => x.messageId === m.id && isDomainSecured(x))).length;
    return [
      `${n}-organization full mesh (${def.edgeThreads ? `${def.edgeThreads} edge threads` : 'one thread'}) up: ${up.toFixed(0)} ms (${(up / n).toFixed(1)} ms per organization; CPU ${(upCpu * 1000).toFixed(0)} ms), load average ${loadavg()[0]!.toFixed(1)}   target ≤ 1000 ms at 100`,
      `  ${sent.length} messages sent at once: ${partner} delivered as Partner in ${(took / 1000).toFixed(1)} s (${(took / sent.length).toFixed(1)} ms per message; CPU ${tookCpu.toFixed(1)} s, ${(tookCpu * 1000 / sent.length).toFixed(1)} ms per message), RSS ${mb(process.memoryUsage().rss)}   target ≤ 30 s at 100`,
    ];
  } finally {
    await lab.sim.stop();
  }
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** CPU milliseconds (user and system, every thread) the process has used: per send it does not depend on the machine's load as the wall time does. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime and stime, in clock ticks of 10 ms
}

function labUp(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/domsec.mjs', 'lab', 'up', '--dir', dir, '--seed', 'bench-scale'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const untilUp = (c: Buffer) => {
      out += c.toString();
      if (!out.includes('Press Ctrl-C')) return;
      // Then drained, not kept: lab up prints a line per session, and searching the whole output again on every chunk
      // made this process slower with every send (and the lab, blocked on its stdout pipe, with it).
      child.stdout.off('data', untilUp);
      child.stdout.on('data', () => undefined);
      resolve(child);
    };
    child.stdout.on('data', untilUp);
    child.once('exit', (code) => reject(new Error(`lab up exited ${code} before it was up: ${out}`)));
  });
}

/** One `lab up` (adatum ↔ treyresearch, RSA as Exchange) taking `sends` messages one after the other through its control port. */
export async function longRunFigures(sends = 10_000, every = 1000): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-bench-scale-'));
  const lab = await labUp(dir);
  const lines: string[] = [];
  try {
    const e = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Endpoints;
    const url = `http://${e.control.host}:${e.control.port}/send`;
    const headers = { authorization: `Bearer ${e.control.token}`, 'content-type': 'application/json' };
    const rows: { at: number; msPerSend: number; cpuPerSend: number; rss: number; load: number }[] = [];
    let t = performance.now();
    let cpu = cpuMsOf(lab.pid!);
    for (let i = 1; i <= sends; i++) {
      const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ from: 'kim@adatum.com', to: ['pat@treyresearch.net'], subject: `long run ${i}` }) });
      const outcome = await r.json() as { delivered?: unknown[] };
      if (!r.ok || outcome.delivered?.length !== 1) throw new Error(`send ${i} was not delivered: ${JSON.stringify(outcome).slice(0, 300)}`);
      if (i % every === 0) {
        rows.push({ at: i, msPerSend: (performance.now() - t) / every, cpuPerSend: (cpuMsOf(lab.pid!) - cpu) / every, rss: rssOf(lab.pid!), load: loadavg()[0]! });
        t = performance.now();
        cpu = cpuMsOf(lab.pid!);
      }
    }
    for (const r of rows) lines.push(`  after ${r.at} sends: ${r.msPerSend.toFixed(1)} ms per send over the last ${every} (lab up CPU ${r.cpuPerSend.toFixed(1)} ms), lab up RSS ${mb(r.rss)}, load ${r.load.toFixed(1)}`);
    const first = rows[0]!;
    const last = rows.at(-1)!;
    lines.unshift(`long-running lab up, ${sends} sends one after another: ms per send ×${(last.msPerSend / first.msPerSend).toFixed(2)} (lab up CPU per send ×${(last.cpuPerSend / first.cpuPerSend).toFixed(2)}), RSS ×${(last.rss / first.rss).toFixed(2)} (last ${every} against first ${every})   target ≤ 1.5× both`);
  } finally {
    spawnSync(process.execPath, ['bin/domsec.mjs', 'lab', 'down', '--dir', dir], { cwd: repo, stdio: 'ignore' });
    if (lab.exitCode === null) await new Promise((r) => lab.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  const only = arg('--only')?.split(',') ?? ['parse', 'mesh', 'long'];
  if (only.includes('parse')) for (const line of parseFigures()) console.log(line);
  const threads = arg('--edge-threads');
  if (only.includes('mesh')) for (const line of await meshFigures(Number(arg('--orgs') ?? 100), threads === undefined ? undefined : Number(threads))) console.log(line);
  if (only.includes('long')) for (const line of await longRunFigures(Number(arg('--sends') ?? 10_000))) console.log(line);
}
