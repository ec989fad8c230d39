// The conformance suite through `domsec run`, serial (--parallel 1) against worker processes (--parallel N), rounds
// alternated so that load from elsewhere on the machine falls on both alike. Wall time of the whole command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));

function once(parallel: number, out: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/domsec.mjs', 'run', '--parallel', String(parallel), '--quiet', '--keep', '1', '--out', out], { cwd: repo, stdio: 'ignore' });
  if (r.status !== 0) console.log(`  (domsec run --parallel ${parallel} exited ${r.status})`);
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function suiteSerialVsParallel(rounds = 3, parallel = availableParallelism()): string {
  const out = mkdtempSync(join(tmpdir(), 'domsec-bench-'));
  const serial: number[] = [];
  const workers: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first: a burst of load elsewhere should not always hit the same one.
      if (i % 2 === 0) { serial.push(once(1, out)); workers.push(once(parallel, out)); } else { workers.push(once(parallel, out)); serial.push(once(1, out)); }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const s = median(serial);
  const p = median(workers);
  const all = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  return `domsec run, whole catalogue: --parallel 1 ${s.toFixed(1)} s [${all(serial)}], --parallel ${parallel} ${p.toFixed(1)} s [${all(workers)}]: ${(s / p).toFixed(2)}× (medians of ${rounds} alternated rounds)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildCommand } = await import('./startup.js');
  buildCommand(); // run from src/ through tsx, every process would pay ~0.3 s more
  console.log(suiteSerialVsParallel(Number(process.argv[2] ?? 3)));
}
