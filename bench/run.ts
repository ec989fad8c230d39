// Benchmarks for the targets in the developers' guide: lab up ≤ 2 s, ≥ 200 mutual-TLS sessions/s per relay and ≥ 1.0× a Postfix receiver, suite ≤ 15 s,
// the external catalogue against a local Postfix < 60 s.
// Run with `npm run bench`; figures are printed, never asserted in tests (timed tests are flaky on shared cores).
import { spawnSync } from 'node:child_process';
import { startLab } from '../src/sim/index.js';
import { edgeReceiveFigures } from './edge-receive.js';
import { externalRunFigures } from './external-run.js';
import { buildCommand, labUpFigures, startupFigures } from './startup.js';

async function labUp(name: string, runs = 5): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const lab = await startLab(name, { seed: `bench-${i}` });
    times.push(performance.now() - t0);
    await lab.sim.stop();
  }
  return times;
}

function timed(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.status !== 0) console.log(`  (${cmd} ${args.join(' ')} exited ${r.status})`);
  return (performance.now() - t0) / 1000;
}

// `lab up`, `domsec run` and `lab send` below are spawned: compiled first, as an installed command is.
buildCommand();

const fmt = (xs: number[]) => `median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
console.log(`lab up adatum-treyresearch (in-process startLab): ${fmt(await labUp('adatum-treyresearch'))}   target ≤ 2000 ms`);
console.log(`lab up contoso-woodgrove (in-process startLab):   ${fmt(await labUp('contoso-woodgrove'))}   target ≤ 2000 ms`);
for (const line of await labUpFigures()) console.log(line);
// One `lab up` edge against a private Postfix and an openssl pair, load from a process of its own (bench/edge-receive.ts).
for (const line of await edgeReceiveFigures()) console.log(line);
if (!process.argv.includes('--no-suite')) {
  console.log(`conformance suite (cucumber-js): ${timed('npx', ['cucumber-js']).toFixed(1)} s   target ≤ 15 s`);
  const { suiteSerialVsParallel } = await import('./suite-parallel.js');
  console.log(await suiteSerialVsParallel());
}
if (!process.argv.includes('--no-relay')) {
  // domsec's relay beside real Postfix→Postfix, alternated (bench/relay.ts): one message per session, and 10 steady senders.
  const { relayFigures } = await import('./relay.js');
  for (const line of await relayFigures()) console.log(line);
}
// The external catalogue, both roles, against the static Postfix of docs/external-mta/ (bench/external-run.ts).
for (const line of await externalRunFigures()) console.log(line);
// Start-up of the installed command and a whole `lab send` process beside swaks (bench/startup.ts).
for (const line of await startupFigures()) console.log(line);
