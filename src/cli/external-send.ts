// `lab send --from <a user of an external organization>`: the message enters through the outside MTA's own submission
// path (its adapter's submit, docs/adapter-contract.md); its outcome is read where the lab sees it (the simulated
// recipients' mailboxes and the inbound hops) and where only the adapter does (the MTA's mailbox and queue).
import { canonicalDomain } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import type { MtaAdapter } from '../peers/mta-adapter.js';
import type { ExternalPeer, Lab } from '../sim/index.js';
import type { SendRequest } from './lab-control.js';
import { hopSummary, type MessageOutcome } from './lab-outcome.js';

/** Real time the outside MTA gets to deliver what it accepted (it runs on the wall clock, not the lab's). */
export const EXTERNAL_SEND_WAIT_MS = 20_000;
const POLL_MS = 200;

const bare = (id: string) => id.replace(/^<|>$/g, '');
const domainOf = (a: string) => canonicalDomain(a.slice(a.lastIndexOf('@') + 1));

export async function sendFromExternal(lab: Lab, peer: ExternalPeer, adapter: MtaAdapter, r: SendRequest, waitMs = EXTERNAL_SEND_WAIT_MS): Promise<MessageOutcome> {
  const submitted = await adapter.submit({ from: r.from, to: r.to, subject: r.subject ?? 'Domain Security test', body: r.body ?? 'Sent by domsec lab send.' });
  if (!submitted.observable) {
    throw new DomsecError('ERR_USAGE', `${peer.org.name} is external and ${submitted.reason}. With an adapter that submits (--external ${peer.org.name}=${peer.host}:${peer.port},adapter=SPEC; docs/adapter-contract.md), lab send does it.`);
  }
  const messageId = bare(submitted.value);
  const own = new Set(peer.org.model.domains.map(canonicalDomain));
  const delivered = new Map<string, MessageOutcome['delivered'][number]>();
  const read = async () => {
    await lab.sim.settle();
    for (const rcpt of r.to.filter((x) => !delivered.has(x))) {
      if (own.has(domainOf(rcpt))) {
        // Mail the outside MTA keeps: only its adapter can show it.
        const box = await adapter.readMailbox(rcpt);
        if (box.observable && box.value.some((m) => bare(m.messageId) === messageId)) delivered.set(rcpt, { rcpt, receivedBy: `${peer.fqdn} (read through ${adapter.name})`, external: true });
        continue;
      }
      const org = lab.sim.orgs.find((o) => o.model.domains.includes(domainOf(rcpt)));
      const got = org?.mailboxes.find(rcpt, (x) => bare(x.messageId) === messageId, messageId);
      if (got) delivered.set(rcpt, { rcpt, receivedBy: got.receivedBy, ...(got.authAs ? { authAs: got.authAs } : {}), ...(got.authDomain ? { authDomain: got.authDomain } : {}) });
    }
  };
  const deadline = Date.now() + waitMs;
  let queues = await adapter.queueState();
  for (await read(); delivered.size < r.to.length && Date.now() < deadline; await read()) {
    queues = await adapter.queueState();
    // A reason in the MTA's queue for every missing recipient: its attempt is over, waiting longer shows nothing new.
    if (queues.observable && r.to.filter((x) => !delivered.has(x)).every((x) => queues.observable && queues.value.some((q) => q.nextHopDomain.toLowerCase() === domainOf(x) && q.lastError))) break;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  const queued = r.to.filter((x) => !delivered.has(x)).map((rcpt): MessageOutcome['queued'][number] => {
    if (!queues.observable) return { rcpt, queue: '(not observable)', status: `not delivered within ${waitMs / 1000} s`, lastError: queues.reason };
    const q = queues.value.find((x) => x.nextHopDomain.toLowerCase() === domainOf(rcpt));
    return { rcpt, queue: q?.identity ?? '(none)', status: q?.status ?? `not delivered within ${waitMs / 1000} s`, ...(q?.lastError ? { lastError: q.lastError } : {}) };
  });
  const hops = lab.sim.evidence.filter((h) => h.messageIds.some((id) => bare(id) === messageId)).map(hopSummary);
  return { messageId, from: r.from, to: r.to, delivered: r.to.flatMap((x) => delivered.get(x) ?? []), queued, hops };
}
