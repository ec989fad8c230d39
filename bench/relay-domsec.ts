// domsec's side of the relay benchmark: adatum.com → treyresearch.net in one simulation, domain-secured, 1,000 messages.
import { startLab } from '../src/sim/index.js';

export type RelayCase = 'one-per-session' | 'steady';

export interface RelayRun {
  seconds: number;
  delivered: number;
  sessions: number;
  /** Attempts that were deferred on the way (a run with deferrals measured retries, not relaying): count and first reason. */
  deferred: number;
  deferredReason?: string;
  /** This process's CPU time (all its threads) per delivered message, in ms: both simulated edges run here. */
  cpuPerMessageMs?: number;
}

const FROM = 'administrator@adatum.com';
const TO = 'administrator@treyresearch.net';

/**
 * `one-per-session`: every message queued at once, SmtpMaxMessagesPerConnection 1 (a full handshake per message, up
 * to 20 sessions open). `steady`: 10 senders, each submitting its next message as soon as its last one was answered
 * by the partner (SmtpMaxMessagesPerConnection 20, kept connections).
 */
export async function domsecRelay(kind: RelayCase, total = 1000, senders = 10, edgeThreads = 0): Promise<RelayRun> {
  const lab = await startLab('adatum-treyresearch', { seed: `bench-relay-${kind}`, edgeThreads });
  try {
    const adatum = lab.orgs['adatum.com'];
    const trey = lab.orgs['treyresearch.net'];
    if (kind === 'one-per-session') adatum.model.setSendConnector('To treyresearch.net', { smtpMaxMessagesPerConnection: 1 });
    const hopsBefore = lab.sim.ctx.hopsRecorded;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    if (kind === 'one-per-session') {
      await Promise.all(Array.from({ length: total }, (_, n) => adatum.send({ from: FROM, to: [TO], subject: `m${n}` })));
    } else {
      let next = 0;
      await Promise.all(Array.from({ length: senders }, async () => {
        while (next < total) await adatum.send({ from: FROM, to: [TO], subject: `m${next++}` }, { settleAt: 'transaction' });
      }));
    }
    await lab.sim.settle();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const delivered = trey.mailbox(TO).filter((m) => m.authAs === 'Partner').length;
    const deferred = lab.sim.evidence.filter((h) => h.result === 'deferred');
    return {
      seconds, delivered, sessions: lab.sim.ctx.hopsRecorded - hopsBefore, deferred: deferred.length, deferredReason: deferred[0]?.reply,
      cpuPerMessageMs: (cpu.user + cpu.system) / 1000 / Math.max(1, delivered),
    };
  } finally {
    await lab.sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const kind of (process.argv[2] ? [process.argv[2]] : ['one-per-session', 'steady']) as RelayCase[]) {
    const r = await domsecRelay(kind, 1000, 10, Number(process.env.EDGE_THREADS ?? 0));
    console.log(`domsec ${kind}: ${(r.delivered / r.seconds).toFixed(0)}/s (${r.delivered} delivered as Partner in ${r.seconds.toFixed(2)} s over ${r.sessions} sessions, CPU ${r.cpuPerMessageMs!.toFixed(2)} ms per message)`);
  }
}
