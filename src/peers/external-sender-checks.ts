// Sender-role checks against an outside MTA (BEHAVIOUR §4–5): the harness submits mail for the partner to the MTA and,
// as the partner's edge, answers its sessions well (the baseline) or with one fault each; a refusal is a session that
// ended without a message and no message after it for a quiet second.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Certificate, validateChain } from '../ca/index.js';
import { domainOf } from '../orgs/index.js';
import { CHECK_FAULTS, type CheckCertificates, FAULT_RULES } from './external-check-certificates.js';
import type { ExternalCheckResult, ExternalTarget, ExternalTiming } from './external-catalogue.js';
import { partnerSessionHop } from './external-hop.js';
import type { MtaAdapter } from './mta-adapter.js';
import { type ClientJudgement, type PartnerMode, type PartnerReceiver, type PartnerSession, startPartnerReceiver } from './partner-receiver.js';
import { probeSmtp } from './smtp-probe.js';

function describe(sessions: PartnerSession[]): string {
  if (sessions.length === 0) return 'no session';
  return sessions.map((s) => {
    const last = [...s.transcript].reverse().find((l) => l.startsWith('> ') || l.startsWith('* '));
    if (s.delivered) return `session ${s.id} delivered <${s.delivered}>`;
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
  if (!t.submit) {
    const why = 'no submit=HOST:PORT was given in --external, so the harness cannot make your MTA send';
    emit({ id: 'sender/good-partner', role: 'sender', rules: ['DS-SEND-06'], title: `to ${t.partner} over mutual TLS: sent`, expected: 'sent', status: 'not-observable', actual: why, hops: [], durationMs: 0 });
    for (const f of faults) emit({ id: f.id, role: 'sender', rules: f.rules, title: f.title, expected: 'no message', status: 'not-observable', actual: why, hops: [], durationMs: 0 });
    return;
  }
  const submitHost = t.submit;
  const rx = await startPartnerReceiver({ address: t.partnerEdge.address, port: t.partnerEdge.port, fqdn: t.partnerEdge.fqdn, mode: good });
  try {
    const submit = async (what: string): Promise<string | undefined> => {
      const id = `${randomUUID()}@${t.domain}`;
      const r = await probeSmtp({
        host: submitHost.host, port: submitHost.port, ehlo: 'domsec-submit.invalid', starttls: 'skip', from: `domsec-check@${t.domain}`, to: [`kim@${t.partner}`], timeoutMs: 10_000,
        data: `From: <domsec-check@${t.domain}>\nTo: <kim@${t.partner}>\nSubject: domsec conformance check: ${what}\nMessage-ID: <${id}>\n\nA domsec check message.\n`,
      });
      if (r.data?.code !== 250) return undefined;
      submitted.set(id, what);
      return id;
    };
    const submitRefused = (what: string) => `submitting the check message at ${submitHost.host}:${submitHost.port} was refused (${what}); the sender role needs a submission your MTA relays to ${t.partner}`;

    // The baseline: the MTA must send to a good partner, else a fault's "no message" says nothing.
    let start = performance.now();
    const since = rx.sessions.length;
    const id = await submit('baseline');
    let baseline = false;
    if (id === undefined) {
      emit({ id: 'sender/good-partner', role: 'sender', rules: ['DS-SEND-06'], title: `to ${t.partner} over mutual TLS: sent`, expected: 'sent', status: 'not-observable', actual: submitRefused('baseline'), hops: [], durationMs: 0 });
    } else {
      const deadline = Date.now() + timing.windowMs;
      while (Date.now() < deadline && !rx.sessions.slice(since).some((s) => s.delivered === id)) await sleep(25);
      const mine = rx.sessions.slice(since);
      const took = mine.find((s) => s.delivered === id);
      baseline = took !== undefined && took.tls !== undefined && took.clientCertificate !== undefined;
      const status = baseline ? 'pass' : mine.length === 0 ? 'not-observable' : 'divergent';
      const actual = took ? `sent over ${took.tls?.version ?? 'no TLS'} with client certificate ${took.clientCertificate?.subject ?? '(none)'}` : mine.length === 0
        ? `your MTA opened no session to ${t.partnerEdge.address}:${t.partnerEdge.port} within ${timing.windowMs / 1000} s: does it route ${t.partner} there?`
        : `not sent: ${describe(mine)}`;
      emit({ id: 'sender/good-partner', role: 'sender', rules: ['DS-SEND-06'], title: `to ${t.partner} over mutual TLS, presenting its certificate: sent`, expected: 'sent over TLS with a client certificate', status, actual, hops: mine.map((s, i) => partnerSessionHop(t, i + 1, s)), durationMs: Math.round(performance.now() - start) });
    }

    for (const f of faults) {
      if (!baseline) {
        emit({ id: f.id, role: 'sender', rules: f.rules, title: f.title, expected: 'no message', status: 'not-observable', actual: 'the baseline (a good partner) did not get its message, so a fault\'s "no message" says nothing', hops: [], durationMs: 0 });
        continue;
      }
      start = performance.now();
      rx.setMode(f.mode);
      const from = rx.sessions.length;
      const mid = await submit(f.id);
      if (mid === undefined) {
        emit({ id: f.id, role: 'sender', rules: f.rules, title: f.title, expected: 'no message', status: 'not-observable', actual: submitRefused(f.id), hops: [], durationMs: 0 });
        continue;
      }
      const verdict = await watchFault(rx, from, f.mode.kind === 'silent', timing);
      const mine = rx.sessions.slice(from);
      // Whichever queued message a session carried, it met this fault: a message taken now was sent despite it.
      const status = verdict === 'sent' ? 'divergent' : verdict === 'refused' ? 'pass' : 'not-observable';
      const actual = verdict === 'none' ? `your MTA opened no session within ${timing.windowMs / 1000} s (it may be holding mail for ${t.partner} after the previous fault)` : describe(mine);
      emit({ id: f.id, role: 'sender', rules: f.rules, title: f.title, expected: 'no message', status, actual, hops: mine.map((s, i) => partnerSessionHop(t, i + 1, s)), durationMs: Math.round(performance.now() - start) });
    }

    // While the fault checks' messages wait: what the MTA's queue says (DS-QUEUE-01), through the adapter.
    const q = await adapter.queueState();
    const queued = q.observable ? q.value.find((x) => x.nextHopDomain.toLowerCase() === t.partner) : undefined;
    emit({
      id: 'sender/queue-state', role: 'sender', rules: ['DS-QUEUE-01'], title: `the messages for ${t.partner} wait in a queue for that next hop`, expected: `a queue for ${t.partner} in Retry`,
      status: !q.observable ? 'not-observable' : queued ? 'pass' : 'divergent', actual: q.observable ? (queued ? `${queued.identity} ${queued.status}, ${queued.messageCount} message(s), LastError ${queued.lastError ?? '-'}` : `no queue for ${t.partner}`) : q.reason, hops: [], durationMs: 0,
    });

    if (baseline) {
      // The partner is good again: everything the faults deferred must arrive (retried, never dropped).
      start = performance.now();
      rx.setMode(good);
      const from = rx.sessions.length;
      const waiting = () => [...submitted.keys()].filter((m) => !rx.sessions.some((s) => s.delivered === m));
      // The bound runs from the MTA's latest session: a loaded machine slows its retries, and a drain that is still
      // making progress is not cut short (at most 4 bounds in all).
      const cap = Date.now() + 4 * timing.drainMs;
      let deadline = Date.now() + timing.drainMs;
      let seen = rx.sessions.length;
      while (Date.now() < Math.min(deadline, cap) && waiting().length > 0) {
        await sleep(50);
        if (rx.sessions.length > seen) deadline = Date.now() + timing.drainMs;
        seen = rx.sessions.length;
      }
      const missing = waiting();
      emit({
        id: 'sender/deferred-delivered', role: 'sender', rules: ['DS-QUEUE-02', 'DS-QUEUE-06'], title: 'the messages the faults deferred arrive once the partner is good again',
        expected: 'every submitted message delivered', status: missing.length === 0 ? 'pass' : 'not-observable',
        actual: missing.length === 0 ? `all ${submitted.size} delivered` : `${missing.length} of ${submitted.size} not delivered within ${timing.drainMs / 1000} s of your MTA's last session (${missing.map((m) => `<${m}> of ${submitted.get(m)}`).join(', ')}): your MTA retries later, and its queue is not visible through ${adapter.name}`,
        hops: rx.sessions.slice(from).map((s, i) => partnerSessionHop(t, i + 1, s)), durationMs: Math.round(performance.now() - start),
      });
    }
  } finally {
    await rx.close();
  }
}

/**
 * 'sent': a message was taken while the fault held; 'refused': a session ended without one at least `quietMs` ago and
 * no message was taken since (a dropped connection counts once it was held that long); 'none': no session in the window.
 * Earlier checks' messages, retried now, meet the same fault: their sessions count as this fault's.
 */
async function watchFault(rx: PartnerReceiver, from: number, held: boolean, timing: ExternalTiming): Promise<'sent' | 'refused' | 'none'> {
  const deadline = Date.now() + timing.windowMs;
  while (Date.now() < deadline) {
    const mine = rx.sessions.slice(from);
    if (mine.some((s) => s.delivered)) return 'sent';
    const now = Date.now();
    if (held && mine.some((s) => now - s.startedAt >= timing.quietMs)) return 'refused';
    if (mine.some((s) => s.endedAt !== undefined && now - s.endedAt >= timing.quietMs)) return 'refused';
    await sleep(25);
  }
  return rx.sessions.slice(from).some((s) => s.delivered) ? 'sent' : 'none';
}
