// The conformance suite through `domsec run`, serial (--parallel 1) against worker processes (--parallel N), rounds
// alternated so that load from elsewhere on the machine falls on both alike. Wall time of the whole command.
// Beside them, N independent serial runs of one shard each (--shard i/N), started together: what the cores give when
// nothing is shared and nothing coordinates, each process paying its own start, the reference for --parallel N.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const runArgs = (out: string) => ['bin/domsec.mjs', 'run', '--quiet', '--keep', '1', '--out', out];

function once(parallel: number, out: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...runArgs(out), '--parallel', String(parallel)], { cwd: repo, stdio: 'ignore' });
  if (r.status !== 0) console.log(`  (domsec run --parallel ${parallel} exited ${r.status})`);
  return (performance.now() - t0) / 1000;
}

/** `n` serial runs at once, shard i of n each: seconds until the last one exits. */
async function shardsAtOnce(n: number, out: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => new Promise<void>((done) => {
    const child = spawn(process.execPath, [...runArgs(join(out, `shard-${i + 1}`)), '--parallel', '1', '--shard', `${i + 1}/${n}`], { cwd: repo, stdio: 'ignore' });
    child.on('close', (code) => {
      if (code !== 0) console.log(`  (domsec run --shard ${i + 1}/${n} exited ${code})`);
      done();
    });
  })));
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function suiteSerialVsParallel(rounds = 3, parallel = availableParallelism()): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'domsec-bench-'));
  const serial: number[] = [];
  const workers: number[] = [];
  const shards: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      // Rotate which goes first: a burst of load elsewhere should not always hit the same one.
      const steps = [() => serial.push(once(1, out)), () => workers.push(once(parallel, out)), async () => shards.push(await shardsAtOnce(parallel, out))];
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const s = median(serial);
  const p = median(workers);
  const h = median(shards);
  const all = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  return `domsec run, whole catalogue: --parallel 1 ${s.toFixed(1)} s [${all(serial)}], --parallel ${parallel} ${p.toFixed(1)} s [${all(workers)}]: ${(s / p).toFixed(2)}×; `
    + `${parallel} serial runs of one shard each, at once: ${h.toFixed(1)} s [${all(shards)}], ${(s / h).toFixed(2)}× (medians of ${rounds} rounds, order rotated)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildCommand } = await import('./startup.js');
  buildCommand(); // run from src/ through tsx, every process would pay ~0.3 s more
  console.log(await suiteSerialVsParallel(Number(process.argv[2] ?? 3)));
}
