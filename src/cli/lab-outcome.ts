// What became of a message sent in a lab: delivered (and how it was authenticated), still queued, or returned; printed by lab and lab send.
import { canonicalDomain } from '../ca/index.js';
import { externalPeerOf, type HopEvidence, type Simulation } from '../sim/index.js';

export interface MessageOutcome {
  messageId: string;
  from: string;
  to: string[];
  /** `external`: an outside MTA accepted it; how it authenticated the session is not observable over SMTP. */
  delivered: { rcpt: string; receivedBy: string; authAs?: string; authDomain?: string; external?: boolean }[];
  queued: { rcpt: string; queue: string; status: string; lastError?: string }[];
  hops: (Pick<HopEvidence, 'id' | 'result' | 'reply' | 'from' | 'to' | 'tls' | 'certificates'> & Partial<Pick<HopEvidence, 'nextHopDomain'>> & { rules: string[]; decisive: string[] })[];
}

/** In the canonical form the model holds (IDNA A-labels, lower case), so an internationalized address is found. */
function domainOf(a: string): string {
  return canonicalDomain(a.slice(a.lastIndexOf('@') + 1));
}

export function messageOutcome(sim: Simulation, m: { messageId: string; from: string; to: string[] }): MessageOutcome {
  const delivered: MessageOutcome['delivered'] = [];
  const queued: MessageOutcome['queued'] = [];
  const sender = sim.org(domainOf(m.from));
  for (const rcpt of m.to) {
    const org = sim.orgs.find((o) => o.model.domains.includes(domainOf(rcpt)));
    // The latest attempt of this message to the recipient's domain: what the outside MTA said, or why nothing was queued.
    const last = sim.evidence.filter((h) => h.messageIds.includes(m.messageId) && h.nextHopDomain === domainOf(rcpt) && h.from.org === sender.name).at(-1);
    const peer = org && externalPeerOf(org);
    if (peer && last?.result === 'delivered') {
      delivered.push({ rcpt, receivedBy: `${last.to.host} at ${peer.host}:${peer.port}`, external: true });
      continue;
    }
    const got = org?.mailbox(rcpt).find((x) => x.messageId === m.messageId);
    if (got) {
      delivered.push({ rcpt, receivedBy: got.receivedBy, ...(got.authAs ? { authAs: got.authAs } : {}), ...(got.authDomain ? { authDomain: got.authDomain } : {}) });
      continue;
    }
    const q = sender.queues().find((x) => x.nextHopDomain === domainOf(rcpt) && x.messageCount > 0);
    if (!q && last && last.result !== 'delivered') {
      // Refused for good: no queue holds it any more and the sender returned it (NDR) with the refusal as reason.
      queued.push({ rcpt, queue: '(none)', status: `returned (${last.result})`, ...(last.reply ? { lastError: last.reply } : {}) });
      continue;
    }
    queued.push({ rcpt, queue: q?.identity ?? '(none)', status: q?.status ?? 'unknown', ...(q?.lastError ? { lastError: q.lastError } : {}) });
  }
  const hops = sim.evidence.filter((h) => h.messageIds.includes(m.messageId))
    .map((h) => ({
      id: h.id, result: h.result, reply: h.reply, from: h.from, to: h.to, nextHopDomain: h.nextHopDomain, tls: h.tls, certificates: h.certificates,
      rules: [...new Set(h.decisions.map((d) => d.rule))],
      // The decisions that settled the hop: a success on either side, or the failure that stopped it.
      decisive: h.decisions.filter((d) => d.outcome !== 'proceed').map((d) => `${d.rule} ${d.outcome}${d.reply ? ` (${d.reply.code} ${d.reply.enhanced})` : ''}`),
    }));
  return { messageId: m.messageId, from: m.from, to: m.to, delivered, queued, hops };
}

export function isDelivered(o: MessageOutcome): boolean {
  return o.queued.length === 0 && o.delivered.length === o.to.length;
}

export function formatOutcome(o: MessageOutcome): string[] {
  const lines = [`${isDelivered(o) ? '✓' : '✗'} ${o.from} → ${o.to.join(', ')}  ${o.messageId}`];
  for (const d of o.delivered) {
    const how = d.external ? '(an external MTA: how it authenticated the session is not observable over SMTP)' : d.authAs === 'Partner' ? `as Partner (AuthDomain ${d.authDomain ?? '?'}): Domain Secured` : `as ${d.authAs ?? 'Anonymous'}`;
    lines.push(`    delivered to ${d.rcpt} by ${d.receivedBy} ${how}`);
  }
  for (const q of o.queued) lines.push(`    NOT delivered to ${q.rcpt}: queue ${q.queue} is ${q.status}${q.lastError ? `, LastError ${q.lastError}` : ''}`);
  for (const h of o.hops) {
    // A hop the sender decided before connecting (DS-SEND-01) has no receiving end: name the domain it was for.
    const to = [h.to.org, h.to.edge].filter(Boolean).join('/') || h.to.host || `${h.nextHopDomain ?? '?'} (not contacted)`;
    lines.push(`    ${h.id} ${h.from.org}/${h.from.edge} → ${to}: ${h.result}${h.reply ? `  ${h.reply}` : ''}`);
    if (h.tls) lines.push(`      TLS ${h.tls.version} ${h.tls.cipher}`);
    if (h.certificates.client) lines.push(`      sender presented   ${h.certificates.client.subject} (issuer ${h.certificates.client.issuer}, ${h.certificates.client.thumbprint})`);
    if (h.certificates.server) lines.push(`      receiver presented ${h.certificates.server.subject} (issuer ${h.certificates.server.issuer}, ${h.certificates.server.thumbprint})`);
    lines.push(`      decisions: ${h.decisive.join('; ') || h.rules.join(' ')}`);
  }
  return lines;
}
