// The SMTP sessions of a run against an outside MTA as hops (src/sim/evidence.ts), so the report shows them as it shows
// the simulation's: both certificates, TLS, the transcript of the harness's side, the result. Decisions stay empty:
// the outside MTA decides, and only its replies are seen.
import type { KeyedCertificate } from '../ca/index.js';
import { summarize } from '../sim/certificate-lines.js';
import type { HopEvidence, TranscriptLine } from '../sim/index.js';
import type { ExternalTarget } from './external-catalogue.js';
import type { PartnerSession } from './partner-receiver.js';
import type { ProbeResult } from './smtp-probe.js';

let counter = 0;

/** "> EHLO x" / "< 250 …" / "* TLS …" as the probe and the partner edge record them. */
function lines(transcript: readonly string[], at: string): TranscriptLine[] {
  return transcript.map((l) => ({ at, dir: (['>', '<', '*'].includes(l[0]) ? l[0] : '*') as TranscriptLine['dir'], text: l.slice(2) }));
}

function sessionId(): string {
  return (++counter).toString(16).toUpperCase().padStart(16, '0');
}

/** A session the harness opened to the MTA (receiver role): the client's side is the harness's. */
export function probeHop(t: ExternalTarget, n: number, r: ProbeResult, o: { startedAt: Date; messageId: string; certificate?: KeyedCertificate }): HopEvidence {
  const refusal = [r.mailFrom, ...r.rcpt, r.data].find((x) => x !== undefined && x.code >= 400);
  const result: HopEvidence['result'] = r.data?.code === 250 ? 'delivered' : refusal ? (refusal.code >= 500 ? 'rejected' : 'deferred') : 'failed';
  const last = r.data ?? refusal ?? r.mailFrom;
  const at = o.startedAt.toISOString();
  return {
    id: `hop-${n}`, sessionId: sessionId(), at,
    from: { org: t.partner, edge: 'harness', fqdn: t.partnerEdge.fqdn, address: t.address.startsWith('127.') ? t.partnerEdge.address : '(this machine)' },
    to: { org: t.domain, edge: 'external', host: t.host, address: t.address, port: t.port },
    nextHopDomain: t.domain, messageIds: [o.messageId], clientTranscript: lines(r.transcript, at), serverTranscript: [],
    ...(r.tls ? { tls: { version: r.tls.protocol, cipher: r.tls.cipher } } : {}),
    certificates: o.certificate ? { client: summarize(o.certificate.certificate) } : {},
    decisions: [], result, ...(last ? { reply: `${last.code} ${last.text.split('\n')[0]}` } : r.error ? { reply: r.error } : {}),
  };
}

/** A session the MTA opened to the harness's partner edge (sender role): the server's side is the harness's. */
export function partnerSessionHop(t: ExternalTarget, n: number, s: PartnerSession): HopEvidence {
  const at = new Date(s.startedAt).toISOString();
  const [address] = s.remote.split(':');
  return {
    id: `hop-${n}`, sessionId: sessionId(), at,
    from: { org: t.domain, edge: 'external', fqdn: `mail.${t.domain}`, address: address ?? s.remote },
    to: { org: t.partner, edge: 'harness', host: t.partnerEdge.fqdn, address: t.partnerEdge.address, port: t.partnerEdge.port },
    nextHopDomain: t.partner, messageIds: s.messages, clientTranscript: [], serverTranscript: lines(s.transcript, at),
    ...(s.tls ? { tls: s.tls } : {}),
    certificates: { ...(s.clientCertificate ? { client: summarize(s.clientCertificate) } : {}), ...(s.presented && s.tls ? { server: summarize(s.presented.certificate) } : {}) },
    decisions: [], result: s.delivered ? 'delivered' : 'failed', network: [`partner edge: ${s.mode}`],
    ...(s.endedAt === undefined ? { reply: 'still open when the check ended' } : {}),
  };
}
