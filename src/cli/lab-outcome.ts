// What became of a message sent in a lab: delivered (and how it was authenticated), still queued, or returned; read from the simulation.
import { canonicalDomain } from '../ca/index.js';
import { externalEdgeOf, externalPeerOf, type HopEvidence, type Simulation } from '../sim/index.js';
import type { MessageOutcome } from './lab-outcome-format.js';

export { formatOutcome, isDelivered, type MessageOutcome } from './lab-outcome-format.js';

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
    // An outside MTA playing the whole organization, or the one edge of it the hop reached (edges[].external).
    const edge = org && last && org.model.edges.find((e) => e.fqdn.toLowerCase() === last.to.host?.toLowerCase());
    const peer = org && (externalPeerOf(org) ?? (edge ? externalEdgeOf(org, edge.name) : undefined));
    if (peer && last?.result === 'delivered') {
      delivered.push({ rcpt, receivedBy: `${last.to.host} at ${peer.host}:${peer.port}`, external: true });
      continue;
    }
    // Newest first, from memory; a durable lab's older mail is searched in its file by the id.
    const got = org?.mailboxes.find(rcpt, (x) => x.messageId === m.messageId, m.messageId);
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
  const hops = sim.evidence.filter((h) => h.messageIds.includes(m.messageId)).map(hopSummary);
  return { messageId: m.messageId, from: m.from, to: m.to, delivered, queued, hops };
}


export function hopSummary(h: HopEvidence): MessageOutcome['hops'][number] {
  return {
    id: h.id, result: h.result, reply: h.reply, from: h.from, to: h.to, nextHopDomain: h.nextHopDomain, tls: h.tls, certificates: h.certificates,
    rules: [...new Set(h.decisions.map((d) => d.rule))],
    // The decisions that settled the hop: a success on either side, or the failure that stopped it.
    decisive: h.decisions.filter((d) => d.outcome !== 'proceed').map((d) => `${d.rule} ${d.outcome}${d.reply ? ` (${d.reply.code} ${d.reply.enhanced})` : ''}`),
  };
}
