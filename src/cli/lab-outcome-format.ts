// How a message outcome reads (lab, lab send, the shell): no simulation code, so `lab send` starts light (docs/cli.md).
import type { HopEvidence } from '../sim/index.js';

export interface MessageOutcome {
  messageId: string;
  from: string;
  to: string[];
  /** `external`: an outside MTA accepted it; how it authenticated the session is not observable over SMTP. */
  delivered: { rcpt: string; receivedBy: string; authAs?: string; authDomain?: string; external?: boolean }[];
  queued: { rcpt: string; queue: string; status: string; lastError?: string }[];
  hops: (Pick<HopEvidence, 'id' | 'result' | 'reply' | 'from' | 'to' | 'tls' | 'certificates'> & Partial<Pick<HopEvidence, 'nextHopDomain'>> & { rules: string[]; decisive: string[] })[];
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
