// Receiver-role checks against an outside MTA (BEHAVIOUR §3): the harness, as the partner's edge, sends to it with a
// good certificate, without TLS, without a certificate and with each faulty certificate, and reads its replies.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyedCertificate } from '../ca/index.js';
import { CHECK_FAULTS, type CheckCertificates, FAULT_RULES } from './external-check-certificates.js';
import type { HopEvidence } from '../sim/index.js';
import type { ExternalCheckResult, ExternalStatus, ExternalTarget } from './external-catalogue.js';
import { probeHop } from './external-hop.js';
import type { MtaAdapter } from './mta-adapter.js';
import { type ProbeResult, probeSmtp } from './smtp-probe.js';

interface Attempt {
  from: string;
  tls: boolean;
  certificate?: KeyedCertificate;
  extraHeaders?: string;
}

/** Whether the MTA took the message: 250 after the message's end. Any refusal before that (or a broken session) is a refusal. */
function accepted(r: ProbeResult): boolean {
  return r.data?.code === 250;
}

function outcome(r: ProbeResult): string {
  if (accepted(r)) return `accepted (${r.data!.code} ${r.data!.text.split('\n')[0]})`;
  const refusal = [r.mailFrom, ...r.rcpt, r.data].find((x) => x !== undefined && x.code >= 400);
  if (refusal) return `refused: ${refusal.code} ${refusal.text.split('\n')[0]}`;
  return `refused: the session ended (${r.error ?? 'no reply'})`;
}

export async function runReceiverChecks(t: ExternalTarget, c: CheckCertificates, adapter: MtaAdapter, emit: (r: ExternalCheckResult) => void): Promise<void> {
  const rcpt = `postmaster@${t.domain}`;
  const send = async (a: Attempt): Promise<{ r: ProbeResult; id: string; hop: HopEvidence }> => {
    const id = `${randomUUID()}@${t.partner}`;
    const data = `From: <${a.from}>\nTo: <${rcpt}>\nSubject: domsec conformance check\nMessage-ID: <${id}>\n${a.extraHeaders ?? ''}\nA domsec check message.\n`;
    const startedAt = new Date();
    const r = await probeSmtp({
      host: t.address, port: t.port, ehlo: t.partnerEdge.fqdn, starttls: a.tls ? 'use' : 'skip', from: a.from, to: [rcpt], data, timeoutMs: 10_000,
      // From the partner edge's own address when the MTA is on this machine, so address-based rules see the partner.
      ...(t.address.startsWith('127.') ? { localAddress: t.partnerEdge.address } : {}),
      ...(a.certificate ? { clientCertificate: a.certificate } : {}),
    });
    return { r, id, hop: probeHop(t, 1, r, { startedAt, messageId: id, ...(a.certificate ? { certificate: a.certificate } : {}) }) };
  };
  const partnerFrom = `kim@${t.partner}`;
  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const start = performance.now();
    const v = await f();
    return [v, Math.round(performance.now() - start)];
  };

  // The baseline: without it a refusal below says nothing (the MTA might refuse everything).
  const [good, goodMs] = await timed(() => send({ from: partnerFrom, tls: true, certificate: c.good }));
  const baseline = accepted(good.r);
  emit({
    id: 'receiver/good-certificate', role: 'receiver', rules: ['DS-RECV-07'], title: `${t.partner} over mutual TLS with a good certificate is accepted`,
    expected: 'accepted', status: baseline ? 'pass' : 'divergent', actual: outcome(good.r), hops: [good.hop], durationMs: goodMs,
  });

  const refusals: { id: string; rules: string[]; title: string; attempt: Attempt }[] = [
    { id: 'receiver/no-tls', rules: ['DS-RECV-02'], title: `${t.partner} without TLS (STARTTLS offered) is refused`, attempt: { from: partnerFrom, tls: false } },
    { id: 'receiver/no-certificate', rules: ['DS-RECV-04'], title: `${t.partner} over TLS without a client certificate is refused`, attempt: { from: partnerFrom, tls: true } },
    ...CHECK_FAULTS.map((f) => ({
      id: `receiver/${f}`, rules: [FAULT_RULES[f].recv, FAULT_RULES[f].cert], title: `${t.partner} with a certificate ${FAULT_RULES[f].what} is refused`,
      attempt: { from: partnerFrom, tls: true, certificate: c.faulty[f] },
    })),
  ];
  for (const x of refusals) {
    const [{ r, hop }, ms] = await timed(() => send(x.attempt));
    const status: ExternalStatus = !baseline ? 'not-observable' : accepted(r) ? 'divergent' : 'pass';
    const actual = baseline ? outcome(r) : `${outcome(r)}; but the good certificate was refused too, so this refusal says nothing about the fault`;
    emit({ id: x.id, role: 'receiver', rules: x.rules, title: x.title, expected: 'refused before the end of the message', status, actual, hops: [hop], durationMs: ms });
  }

  // A domain that is not on the secure list is ordinary mail: accepted as anonymous, with or without TLS.
  const [plain, plainMs] = await timed(() => send({ from: 'someone@fabrikam.com', tls: false }));
  emit({
    id: 'receiver/unlisted-domain', role: 'receiver', rules: ['DS-RECV-07'], title: 'a sender domain that is not a partner, without TLS, is accepted as anonymous',
    expected: 'accepted', status: accepted(plain.r) ? 'pass' : 'divergent', actual: outcome(plain.r), hops: [plain.hop], durationMs: plainMs,
  });

  // The Partner marking and the stripping of spoofed Auth headers are in the delivered message: the adapter must show it.
  const [spoof, spoofMs] = await timed(async () => {
    const s = await send({ from: 'someone@fabrikam.com', tls: true, extraHeaders: `X-MS-Exchange-Organization-AuthAs: Partner\nX-MS-Exchange-Organization-AuthDomain: ${t.partner}\n` });
    // The MTA files an accepted message a moment after its 250: asked again for up to 5 s while it is not there yet.
    const deadline = Date.now() + 5_000;
    let box = await adapter.readMailbox(rcpt);
    while (box.observable && !box.value.some((m) => m.messageId === s.id) && accepted(s.r) && Date.now() < deadline) {
      await sleep(200);
      box = await adapter.readMailbox(rcpt);
    }
    return { ...s, box };
  });
  let status: ExternalStatus = 'not-observable';
  let actual = spoof.box.observable ? '' : spoof.box.reason;
  if (spoof.box.observable) {
    const got = spoof.box.value.find((m) => m.messageId === spoof.id);
    if (!got) actual = `the message ${spoof.id} is not in ${rcpt}'s mailbox (${outcome(spoof.r)})`;
    else {
      status = got.authDomain === undefined && got.authAs !== 'Partner' ? 'pass' : 'divergent';
      actual = `delivered with AuthAs ${got.authAs ?? '(none)'}, AuthDomain ${got.authDomain ?? '(none)'}`;
    }
  }
  emit({
    id: 'receiver/spoofed-auth-headers', role: 'receiver', rules: ['DS-RECV-08'], title: 'X-MS-Exchange-Organization-Auth* headers sent by a client are not believed',
    expected: 'no AuthDomain, not Partner', status, actual, hops: [spoof.hop], durationMs: spoofMs,
  });
}
