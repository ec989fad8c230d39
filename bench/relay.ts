// Relay A→B, domain-secured, domsec beside real Postfix→Postfix, alternated in one run (issue 12 item 6 goals):
//   one message per session: domsec (SmtpMaxMessagesPerConnection 1) ≥ 1.0× Postfix with a full handshake per message;
//   10 steady senders:        domsec (kept connections, 20 per session) ≥ 2× Postfix with smtp_tls_connection_reuse.
// Each round also runs domsec with edge threads (`--edge-threads`, BENCH_EDGE_THREADS, default 2: one per edge; 0 leaves it out).
// Figures are printed, never asserted (2 shared cores). Run alone with `node --import tsx bench/relay.ts [rounds]`.
import { domsecRelay, type RelayCase, type RelayRun } from './relay-domsec.js';
import { type PostfixMode, postfixGate, postfixRelay } from './relay-postfix.js';

const TOTAL = 1000;
const WARM_UP = 300;

interface Pairing {
  kind: RelayCase;
  anchor: PostfixMode;
  label: string;
  target: number;
}

const PAIRINGS: Pairing[] = [
  { kind: 'one-per-session', anchor: 'full-handshake', label: '1,000 messages, one per session vs Postfix→Postfix full handshake', target: 1 },
  { kind: 'steady', anchor: 'tls-reuse', label: '10 steady senders, 1,000 messages vs Postfix→Postfix with smtp_tls_connection_reuse', target: 2 },
];

const rate = (r: RelayRun) => r.delivered / r.seconds;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function relayFigures(rounds = Number(process.env.BENCH_RELAY_ROUNDS ?? 3)): Promise<string[]> {
  const gate = postfixGate();
  const threads = Number(process.env.BENCH_EDGE_THREADS ?? 2);
  const lines: string[] = [];
  for (const p of PAIRINGS) {
    const ours: RelayRun[] = [];
    const threaded: RelayRun[] = [];
    const theirs: RelayRun[] = [];
    // One warm-up round of each domsec variant, not counted (as bench/edge-receive.ts does): a process's first messages
    // also pay for compiling its code (first 600-message round 8.5–8.9 ms of CPU per message, later rounds 6.5–7.5 ms,
    // 2026-12-05), which a long-running lab pays once; Postfix's processes are compiled code from the start.
    const cold = await domsecRelay(p.kind, WARM_UP);
    if (threads > 0) await domsecRelay(p.kind, WARM_UP, 10, threads);
    // Alternated, so both see the same machine load; each round's ratio is of its own pair.
    for (let i = 0; i < rounds; i++) {
      ours.push(await domsecRelay(p.kind, TOTAL));
      if (threads > 0) threaded.push(await domsecRelay(p.kind, TOTAL, 10, threads));
      if (gate.available) theirs.push(await postfixRelay(p.kind, p.anchor, TOTAL));
    }
    const deferrals = (rs: RelayRun[]) => rs.filter((r) => r.deferred > 0).map((r) => `; a run had ${r.deferred} deferred attempts: ${r.deferredReason}`).join('');
    // domsec's own CPU (this process, every thread); Postfix's processes are not measured.
    const cpu = (rs: RelayRun[]) => (rs[0]?.cpuPerMessageMs === undefined ? '' : `; CPU per message ${median(rs.map((r) => r.cpuPerMessageMs!)).toFixed(2)} ms (runs ${rs.map((r) => r.cpuPerMessageMs!.toFixed(2)).join(', ')})`);
    const fmt = (rs: RelayRun[]) => `${median(rs.map(rate)).toFixed(0)}/s (runs ${rs.map((r) => rate(r).toFixed(0)).join(', ')}; ${median(rs.map((r) => r.sessions))} sessions${deferrals(rs)})${cpu(rs)}`;
    lines.push(`relay ${p.label}:`);
    lines.push(`  domsec ${fmt(ours)}; delivered ${ours.map((r) => r.delivered).join(', ')} of ${TOTAL}; warm-up round of ${WARM_UP}, not counted: ${rate(cold).toFixed(0)}/s`);
    if (threads > 0) lines.push(`  domsec --edge-threads ${threads} ${fmt(threaded)}; delivered ${threaded.map((r) => r.delivered).join(', ')} of ${TOTAL}`);
    if (!gate.available) {
      lines.push(`  Postfix anchor skipped: ${gate.reason}`);
      continue;
    }
    const ratios = ours.map((r, i) => rate(r) / rate(theirs[i]));
    lines.push(`  Postfix ${p.anchor} ${fmt(theirs)}`);
    const ofMedians = median(ours.map(rate)) / median(theirs.map(rate));
    lines.push(`  ratio of medians ${ofMedians.toFixed(2)}×, per round ${ratios.map((x) => x.toFixed(2)).join(', ')}   target ≥ ${p.target.toFixed(1)}×`);
    if (threads > 0) {
      const per = threaded.map((r, i) => rate(r) / rate(theirs[i]));
      lines.push(`  with --edge-threads ${threads}: ratio of medians ${(median(threaded.map(rate)) / median(theirs.map(rate))).toFixed(2)}×, per round ${per.map((x) => x.toFixed(2)).join(', ')}   target ≥ ${p.target.toFixed(1)}×`);
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await relayFigures(process.argv[2] ? Number(process.argv[2]) : undefined)) console.log(line);
}
