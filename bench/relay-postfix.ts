// The anchor of the relay benchmark: real Postfix → real Postfix playing adatum.com → treyresearch.net, domain-secured
// (the same lab, certificates and DS policy service), with a full handshake per message or with TLS connection reuse.
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { mtaGate, type RunningPeer, startPostfixPeer } from '../src/peers/index.js';
import { runCommand, sleep } from '../src/peers/mta-process.js';
import { freePort } from '../src/peers/testing/interop-lab.js';
import { startLab } from '../src/sim/index.js';
import type { RelayCase, RelayRun } from './relay-domsec.js';

export type PostfixMode = 'full-handshake' | 'tls-reuse';

export const postfixGate = () => mtaGate('postfix');

const FROM = 'administrator@adatum.com';
const TO = 'administrator@treyresearch.net';

async function postconf(peer: RunningPeer, settings: string[]): Promise<void> {
  const etc = `${peer.workDir}/etc`;
  const r = await runCommand('/usr/sbin/postconf', ['-c', etc, '-e', ...settings], undefined, { MAIL_CONFIG: etc });
  if (r.code !== 0) throw new Error(`postconf failed: ${r.stderr}`);
}

/** The master re-reads main.cf and master.cf on SIGHUP (what `postfix reload` sends). */
async function reload(peer: RunningPeer): Promise<void> {
  const pid = Number(readFileSync(`${peer.workDir}/queue/pid/master.pid`, 'utf8').trim());
  process.kill(pid, 'SIGHUP');
  await sleep(300);
}

/** One SMTP client into A's listener from A's own address (mynetworks), `count` messages one after another, each waiting for 250. */
async function inject(peer: RunningPeer, from: string, first: number, count: number): Promise<void> {
  const socket = net.connect({ host: peer.address, port: peer.port, localAddress: peer.address });
  socket.setEncoding('latin1');
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  socket.on('data', (d: string) => {
    buffer += d;
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (line[3] === ' ') waiters.shift()?.(line);
    }
  });
  const reply = () => new Promise<string>((resolve) => waiters.push(resolve));
  const say = async (text: string, expect: string) => {
    const r = reply();
    socket.write(text);
    const line = await r;
    if (!line.startsWith(expect)) throw new Error(`Postfix answered ${JSON.stringify(line)} to ${JSON.stringify(text.slice(0, 40))}`);
  };
  await reply();
  await say('EHLO bench.adatum.com\r\n', '250');
  for (let n = first; n < first + count; n++) {
    await say(`MAIL FROM:<${from}>\r\n`, '250');
    await say(`RCPT TO:<${TO}>\r\n`, '250');
    await say('DATA\r\n', '354');
    await say(`From: ${from}\r\nTo: ${TO}\r\nSubject: m${n}\r\nMessage-ID: <bench-${n}@adatum.com>\r\n\r\nbench message ${n}\r\n.\r\n`, '250');
  }
  await say('QUIT\r\n', '221');
  socket.end();
}

function deliveredCount(peer: RunningPeer): number {
  try {
    return readdirSync(`${peer.workDir}/mail/inbox/new`).length;
  } catch {
    return 0;
  }
}

/** True when all arrived; false after the time-out (the run is then reported with what is still queued, and why). */
async function waitDelivered(peer: RunningPeer, total: number, timeoutMs = 120_000): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (deliveredCount(peer) < total) {
    if (performance.now() > end) return false;
    await sleep(5);
  }
  return true;
}

/** Sessions A opened to B, from B's log (one "connect from" per session). */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function sessionsAtB(peer: RunningPeer): number {
  return (readText(`${peer.workDir}/log/maillog`).match(/smtpd\[\d+\]: connect from/g) ?? []).length;
}

export async function postfixRelay(kind: RelayCase, mode: PostfixMode, total = 1000, senders = 10): Promise<RelayRun> {
  // The documented lab's organizations, certificates and lists, as domsec's side uses them; nothing of the simulation runs.
  const lab = await startLab('adatum-treyresearch', { seed: `bench-relay-${kind}` });
  const adatum = lab.orgs['adatum.com'].model;
  const trey = lab.orgs['treyresearch.net'].model;
  await lab.sim.stop();
  const b = await startPostfixPeer(trey, { port: await freePort(trey.edge().address), queue: { retrySeconds: 1 } });
  let a: RunningPeer | undefined;
  try {
    a = await startPostfixPeer(adatum, { port: await freePort(adatum.edge().address), routes: { 'treyresearch.net': { address: b.address, port: b.port } }, queue: { retrySeconds: 1 } });
    if (mode === 'tls-reuse') {
      await postconf(a, ['smtp_tls_connection_reuse = yes']);
      const master = `${a.workDir}/etc/master.cf`;
      const { appendFileSync } = await import('node:fs');
      appendFileSync(master, 'tlsproxy unix - - n - 0 tlsproxy\n');
    }
    if (kind === 'one-per-session') await postconf(a, ['defer_transports = ds-secure-1']);
    await reload(a);
    let t0: number;
    if (kind === 'one-per-session') {
      // Everything queued first, held by defer_transports; then released at once, as domsec's side gets it.
      await Promise.all(Array.from({ length: senders }, (_, s) => inject(a!, FROM, s * (total / senders), total / senders)));
      await postconf(a, ['defer_transports =']);
      await reload(a);
      t0 = performance.now();
      await runCommand('/usr/sbin/postqueue', ['-c', `${a.workDir}/etc`, '-f'], undefined, { MAIL_CONFIG: `${a.workDir}/etc` });
    } else {
      t0 = performance.now();
      await Promise.all(Array.from({ length: senders }, (_, s) => inject(a!, FROM, s * (total / senders), total / senders)));
    }
    const complete = await waitDelivered(b, total);
    const seconds = (performance.now() - t0) / 1000;
    if (!complete) {
      const queued = await a.queue();
      const why = [...new Set(queued.flatMap((e) => e.recipients.map((r) => `${e.queue}: ${r.delayReason ?? 'no reason yet'}`)))].slice(0, 3).join('; ');
      return { seconds, delivered: deliveredCount(b), sessions: sessionsAtB(b), deferred: queued.length, deferredReason: `still queued at A after ${seconds.toFixed(0)} s: ${why}` };
    }
    const deferrals = readText(`${a.workDir}/log/maillog`).split('\n').filter((l) => /status=deferred/.test(l) && !/\(deferred transport\)/.test(l));
    return { seconds, delivered: deliveredCount(b), sessions: sessionsAtB(b), deferred: deferrals.length, deferredReason: /\((.*)\)\s*$/.exec(deferrals[0] ?? '')?.[1] };
  } finally {
    await a?.stop();
    await b.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kind = (process.argv[2] ?? 'one-per-session') as RelayCase;
  const mode = (process.argv[3] ?? 'full-handshake') as PostfixMode;
  const r = await postfixRelay(kind, mode);
  console.log(`postfix ${kind} ${mode}: ${(r.delivered / r.seconds).toFixed(0)}/s (${r.delivered} delivered in ${r.seconds.toFixed(2)} s over ${r.sessions} sessions)`);
}
