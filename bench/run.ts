// Benchmarks for the targets in the developers' guide: lab up ≤ 2 s, ≥ 200 mutual-TLS sessions/s per relay, suite ≤ 15 s.
// Run with `npm run bench`; figures are printed, never asserted in tests (timed tests are flaky on shared cores).
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { startLab } from '../src/sim/index.js';
import { startupFigures } from './startup.js';

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

/** Full domain-secured inbound sessions (EHLO, STARTTLS with the partner's certificate, MAIL, RCPT, DATA, QUIT) from a worker. */
async function sessionsPerSecond(total = 600, concurrency = 16): Promise<{ rate: number; total: number; delivered: number; failed: number }> {
  const lab = await startLab('adatum-treyresearch', { seed: 'bench-sessions' });
  const adatum = lab.orgs['adatum.com'];
  const trey = lab.orgs['treyresearch.net'];
  if (process.env.BENCH_NO_CRL) trey.model.transport.setSettings({ revocationMode: 'off' });
  const own = adatum.edge().model.certificates.selectForFqdn('mail.adatum.com');
  if (!own.ok) throw new Error(own.detail);
  const cert = [own.stored.certificate.pem, ...own.stored.chain.filter((c) => !c.isSelfSigned).map((c) => c.pem)].join('\n');
  const edge = trey.edge();
  const worker = new Worker(new URL('./session-load.mjs', import.meta.url), {
    workerData: { address: edge.address, port: edge.port, from: 'administrator@adatum.com', to: 'administrator@treyresearch.net', key: own.stored.privateKeyPem, cert, total, concurrency, localAddress: adatum.edge().address },
  });
  const r = await new Promise<{ seconds: number; failed: number }>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  await worker.terminate();
  const delivered = trey.mailbox('administrator@treyresearch.net').filter((m) => m.authAs === 'Partner').length;
  await lab.sim.stop();
  return { rate: total / r.seconds, total, delivered, failed: r.failed };
}

function timed(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.status !== 0) console.log(`  (${cmd} ${args.join(' ')} exited ${r.status})`);
  return (performance.now() - t0) / 1000;
}

const fmt = (xs: number[]) => `median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
console.log(`lab up adatum-treyresearch: ${fmt(await labUp('adatum-treyresearch'))}   target ≤ 2000 ms`);
console.log(`lab up contoso-woodgrove:   ${fmt(await labUp('contoso-woodgrove'))}   target ≤ 2000 ms`);
const s = await sessionsPerSecond();
console.log(`mutual-TLS sessions through one relay: ${s.rate.toFixed(0)}/s over ${s.total} sessions (${s.delivered} delivered as Partner, ${s.failed} failed)   target ≥ 200/s`);
if (!process.argv.includes('--no-suite')) {
  console.log(`conformance suite (cucumber-js): ${timed('npx', ['cucumber-js']).toFixed(1)} s   target ≤ 15 s`);
  const { suiteSerialVsParallel } = await import('./suite-parallel.js');
  console.log(suiteSerialVsParallel());
}
// Start-up of the installed command and a whole `lab send` process beside swaks (bench/startup.ts).
for (const line of await startupFigures()) console.log(line);
