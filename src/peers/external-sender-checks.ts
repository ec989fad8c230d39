// Sender-role checks against an outside MTA (BEHAVIOUR §4–5): the harness submits mail for the partner to the MTA and,
// as the partner's edge, answers its sessions well (the baseline) or with one fault each; a refusal is a session that
// ended without a message and no message after it for a quiet second.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Certificate, validateChain } from '../ca/index.js';
import { domainOf } from '../orgs/index.js';
import { CHECK_FAULTS, type CheckCertificates, FAULT_RULES } from './external-check-certificates.js';
import type { ExternalCheckResult, ExternalTarget, ExternalTiming } from './external-catalogue.js';
import { partnerSessionHop } from './external-hop.js';
import type { MtaAdapter } from './mta-adapter.js';
import { type ClientJudgement, type PartnerMode, type PartnerReceiver, type PartnerSession, startPartnerReceiver } from './partner-receiver.js';
import { askRetry, checkSubmitter, type Submitted, viewQueue } from './external-sender-adapter.js';

function describe(sessions: PartnerSession[]): string {
  if (sessions.length === 0) return 'no session';
  return sessions.map((s) => {
    const last = [...s.transcript].reverse().find((l) => l.startsWith('> ') || l.startsWith('* '));
    if (s.delivered) return `session ${s.id} delivered ${s.messages.map((m) => `<${m}>`).join(', ')}`;
    return `session ${s.id} ${s.endedAt === undefined ? 'still open' : 'ended without a message'} (last: ${last ?? '-'})`;
  }).join('; ');
}

/** The partner edge as Exchange receives from a listed domain: the MTA's certificate must chain to its root and name its domain. */
function judgeClient(t: ExternalTarget): (chain: Certificate[], mailFrom: string) => Promise<ClientJudgement> {
  return async (chain, mailFrom) => {
    if (domainOf(mailFrom)?.toLowerCase() !== t.domain) return { ok: true, reply: '' };
    if (chain.length === 0) return { ok: false, reply: '530 5.7.1 Not authenticated' };
    const v = await validateChain({ presented: chain, trustedRoots: t.externalRoots.filter((c) => c.isSelfSigned), intermediates: t.externalRoots, at: new Date(), domain: t.domain, revocation: 'off' });
    return v.ok ? { ok: true, reply: '' } : { ok: false, reply: `454 4.7.5 Certificate validation failure (${v.status}: ${v.detail})` };
  };
}

export async function runSenderChecks(t: ExternalTarget, c: CheckCertificates, adapter: MtaAdapter, timing: ExternalTiming, emit: (r: ExternalCheckResult) => void): Promise<void> {
  /** Message-ID → the check that submitted it. */
  const submitted = new Map<string, string>();
  const faults: { id: string; rules: string[]; title: string; mode: PartnerMode }[] = [
    { id: 'sender/no-starttls', rules: ['DS-SEND-02'], title: `to ${t.partner} when STARTTLS is not offered: not sent`, mode: { kind: 'no-starttls' } },
    { id: 'sender/starttls-stripped', rules: ['DS-SEND-02'], title: `to ${t.partner} when STARTTLS is offered but refused (stripped): not sent in clear`, mode: { kind: 'starttls-refused' } },
    { id: 'sender/handshake-refused', rules: ['DS-SEND-03'], title: `to ${t.partner} when the partner refuses the TLS handshake: not sent in clear`, mode: { kind: 'handshake-refused', certificate: c.good, trusted: c.faulty['untrusted-ca'].chain.at(-1)! } },
    ...CHECK_FAULTS.map((f) => ({
      id: `sender/${f}`, rules: [FAULT_RULES[f].send, FAULT_RULES[f].cert], title: `to ${t.partner} presenting a certificate ${FAULT_RULES[f].what}: not sent`,
      mode: { kind: 'certificate' as const, certificate: c.faulty[f] },
    })),
    { id: 'sender/firewall-rejects', rules: ['DS-QUEUE-06'], title: `to ${t.partner} behind a firewall that rejects (reset at connect): kept for a retry`, mode: { kind: 'reset' } },
    { id: 'sender/firewall-drops', rules: ['DS-QUEUE-06'], title: `to ${t.partner} behind a firewall that drops (never answered): kept for a retry`, mode: { kind: 'silent' } },
  ];
  const good: PartnerMode = { kind: 'good', certificate: c.good, judgeClient: judgeClient(t) };
  const submitter = checkSubmitter(t, adapter);
  const seen = { readings: 0 };
  const first = await adapter.readings();
  if (first.observable) seen.readings = first.value.length;
  // The adapter's retry, asked when a fault starts and while nothing comes (a production schedule waits minutes).
  const nudges: string[] = [];
  const nudge = async () => { nudges.push(await askRetry(adapter)); };
  const rx = await startPartnerReceiver({ address: t.partnerEdge.address, port: t.partnerEdge.port, fqdn: t.partnerEdge.fqdn, mode: good });
  try {
    const submit = async (what: string): Promise<Submitted> => {
      const s = await submitter.submit(what);
      if (s.ok) submitted.set(s.id, what);
      return s;
    };

    // The baseline: the MTA must send to a good partner, else a fault's "no message" says nothing.
    let start = performance.now();
    const since = rx.sessions.length;
    const sent = await submit('baseline');
    let baseline = false;
    let noBaseline = 'the baseline (a good partner) did not get its message, so a fault\'s "no message" says nothing';
    if (!sent.ok) {
      noBaseline = sent.reason;
      emit({ id: 'sender/good-partner', role: 'sender', rules: ['DS-SEND-06'], title: `to ${t.partner} over mutual TLS: sent`, expected: 'sent', status: 'not-observable', actual: sent.reason, hops: [], durationMs: 0 });
    } else {
      const deadline = Date.now() + timing.windowMs;
      while (Date.now() < deadline && !rx.sessions.slice(since).some((s) => s.messages.includes(sent.id))) await sleep(25);
      const mine = rx.sessions.slice(since);
      const took = mine.find((s) => s.messages.includes(sent.id));
      baseline = took !== undefined && took.tls !== undefined && took.clientCertificate !== undefined;
      const status = baseline ? 'pass' : mine.length === 0 ? 'not-observable' : 'divergent';
      const actual = took ? `sent over ${took.tls?.version ?? 'no TLS'} with client certificate ${took.clientCertificate?.subject ?? '(none)'} (submitted ${submitter.via})` : mine.length === 0
        ? `your MTA opened no session to ${t.partnerEdge.address}:${t.partnerEdge.port} within ${timing.windowMs / 1000} s: does it route ${t.partner} there?`
        : `not sent: ${describe(mine)}`;
      emit({ id: 'sender/good-partner', role: 'sender', rules: ['DS-SEND-06'], title: `to ${t.partner} over mutual TLS, presenting its certificate: sent`, expected: 'sent over TLS with a client certificate', status, actual, hops: mine.map((s, i) => partnerSessionHop(t, i + 1, s)), durationMs: Math.round(performance.now() - start) });
    }

    for (const f of faults) {
      if (!baseline) {
        emit({ id: f.id, role: 'sender', rules: f.rules, title: f.title, expected: 'no message', status: 'not-observable', actual: noBaseline, hops: [], durationMs: 0 });
        continue;
      }
      start = performance.now();
      rx.setMode(f.mode);
      const from = rx.sessions.length;
      const s = await submit(f.id);
      if (!s.ok) {
        emit({ id: f.id, role: 'sender', rules: f.rules, title: f.title, expected: 'no message', status: 'not-observable', actual: s.reason, hops: [], durationMs: 0 });
        continue;
      }
      nudges.length = 0;
      // The first retry is asked while the watch runs: the MTA may hold mail for a destination that just failed.
      const asked = nudge();
      const verdict = await watchFault(rx, from, f.mode.kind === 'silent', timing, nudge);
      await asked;
      const mine = rx.sessions.slice(from);
      // After the fault: the MTA's queue and LastError, and its texts read as DS outcomes (evidence; a message it
      // returned instead of keeping is a divergence SMTP alone cannot show).
      const view = await viewQueue(t, adapter, f.rules, seen);
      // Whichever queued message a session carried, it met this fault: a message taken now was sent despite it.
      const status = verdict === 'sent' || (verdict === 'refused' && view.contradiction) ? 'divergent' : verdict === 'refused' ? 'pass' : 'not-observable';
      const smtp = verdict === 'none' ? `your MTA opened no session within ${timing.windowMs / 1000} s (it may be holding mail for ${t.partner} after the previous fault)` : describe(mine);
      const actual = view.contradiction ?? (view.queue !== undefined ? `${smtp}; ${view.summary}` : smtp);
      emit({ id: f.id, role: 'sender', rules: f.rules, title: f.title, expected: 'no message', status, actual, hops: mine.map((x, i) => partnerSessionHop(t, i + 1, x)), logs: { [adapter.name]: [...nudges, ...view.lines] }, durationMs: Math.round(performance.now() - start) });
    }

    // While the fault checks' messages wait: what the MTA's queue says (DS-QUEUE-01), through the adapter.
    const q = await adapter.queueState();
    const queued = q.observable ? q.value.find((x) => x.nextHopDomain.toLowerCase() === t.partner) : undefined;
    emit({
      id: 'sender/queue-state', role: 'sender', rules: ['DS-QUEUE-01'], title: `the messages for ${t.partner} wait in a queue for that next hop`, expected: `a queue for ${t.partner} in Retry`,
      status: !q.observable ? 'not-observable' : queued ? 'pass' : 'divergent', actual: q.observable ? (queued ? `${queued.identity} ${queued.status}, ${queued.messageCount} message(s), LastError ${queued.lastError ?? '-'}` : `no queue for ${t.partner}`) : q.reason, hops: [], durationMs: 0,
    });

    if (baseline) await drain(t, rx, good, adapter, submitted, timing, nudge, nudges, seen, emit);
  } finally {
    await rx.close();
  }
}

/** The partner is good again: everything the faults deferred must arrive (retried, never dropped), the adapter asked to retry now. */
async function drain(t: ExternalTarget, rx: PartnerReceiver, good: PartnerMode, adapter: MtaAdapter, submitted: Map<string, string>, timing: ExternalTiming,
  nudge: () => Promise<void>, nudges: string[], seen: { readings: number }, emit: (r: ExternalCheckResult) => void): Promise<void> {
  const start = performance.now();
  rx.setMode(good);
  const from = rx.sessions.length;
  nudges.length = 0;
  await nudge();
  const waiting = () => [...submitted.keys()].filter((m) => !rx.sessions.some((s) => s.messages.includes(m)));
  // The bound runs from the MTA's latest session: a loaded machine slows its retries, and a drain that is still making
  // progress is not cut short (at most 4 bounds in all). The adapter is asked to retry again while messages are missing.
  const cap = Date.now() + 4 * timing.drainMs;
  let deadline = Date.now() + timing.drainMs;
  let seenSessions = rx.sessions.length;
  let nextNudge = Date.now() + NUDGE_MS;
  while (Date.now() < Math.min(deadline, cap) && waiting().length > 0) {
    await sleep(50);
    if (rx.sessions.length > seenSessions) deadline = Date.now() + timing.drainMs;
    seenSessions = rx.sessions.length;
    if (Date.now() >= nextNudge) { await nudge(); nextNudge = Date.now() + NUDGE_MS; }
  }
  const missing = waiting();
  const rules = ['DS-QUEUE-02', 'DS-QUEUE-06'];
  const view = missing.length === 0 ? undefined : await viewQueue(t, adapter, rules, seen);
  const list = missing.map((m) => `<${m}> of ${submitted.get(m)}`).join(', ');
  // Not delivered and no longer queued, once asked to retry: returned or dropped, where Exchange keeps it for a retry.
  const dropped = view?.queue === null && nudges.some((l) => l.endsWith(': done'));
  emit({
    id: 'sender/deferred-delivered', role: 'sender', rules, title: 'the messages the faults deferred arrive once the partner is good again',
    expected: 'every submitted message delivered', status: missing.length === 0 ? 'pass' : dropped || view?.contradiction ? 'divergent' : 'not-observable',
    actual: missing.length === 0 ? `all ${submitted.size} delivered` : dropped ? `${missing.length} of ${submitted.size} not delivered and not in your MTA's queue for ${t.partner} (${list})`
      : `${missing.length} of ${submitted.size} not delivered within ${timing.drainMs / 1000} s of your MTA's last session (${list}): ${view!.queue === undefined ? `your MTA retries later, and ${view!.summary}` : view!.summary}`,
    hops: rx.sessions.slice(from).map((s, i) => partnerSessionHop(t, i + 1, s)), logs: { [adapter.name]: [...nudges.slice(0, 3), ...(nudges.length > 3 ? [`… asked ${nudges.length} times in all`] : []), ...(view?.lines ?? [])] },
    durationMs: Math.round(performance.now() - start),
  });
}

/** How often the adapter is asked to retry while the MTA opens no session (or, at the end, while messages are missing). */
const NUDGE_MS = 2_000;

/**
 * 'sent': a message was taken while the fault held; 'refused': a session ended without one at least `quietMs` ago and
 * no message was taken since (a dropped connection counts once it was held that long); 'none': no session in the window.
 * While no session came, the adapter is asked to retry every NUDGE_MS (an MTA may hold mail for a destination that failed).
 * Earlier checks' messages, retried now, meet the same fault: their sessions count as this fault's.
 */
async function watchFault(rx: PartnerReceiver, from: number, held: boolean, timing: ExternalTiming, nudge: () => Promise<void>): Promise<'sent' | 'refused' | 'none'> {
  const deadline = Date.now() + timing.windowMs;
  let nextNudge = Date.now() + NUDGE_MS;
  while (Date.now() < deadline) {
    const mine = rx.sessions.slice(from);
    if (mine.length === 0 && Date.now() >= nextNudge) {
      await nudge();
      nextNudge = Date.now() + NUDGE_MS;
    }
    if (mine.some((s) => s.delivered)) return 'sent';
    const now = Date.now();
    if (held && mine.some((s) => now - s.startedAt >= timing.quietMs)) return 'refused';
    if (mine.some((s) => s.endedAt !== undefined && now - s.endedAt >= timing.quietMs)) return 'refused';
    await sleep(25);
  }
  return rx.sessions.slice(from).some((s) => s.delivered) ? 'sent' : 'none';
}
