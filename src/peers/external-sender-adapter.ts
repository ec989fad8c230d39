// What the sender role asks an outside MTA's adapter (docs/adapter-contract.md): to submit the check messages, to retry
// its queue now (so a fault's session and the recovery do not wait for the MTA's production retry schedule), and, after
// each fault, its queue's last error and its own texts read as DS outcomes. Whatever the adapter cannot answer is shown
// with its message and never turns a check into a pass.
import { randomUUID } from 'node:crypto';
import type { ExternalTarget } from './external-catalogue.js';
import type { MtaAdapter } from './mta-adapter.js';
import type { DsReading } from './peer.js';
import { probeSmtp } from './smtp-probe.js';

export type Submitted = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Hands the MTA one check message for the partner: through the adapter's `submit` when it answers (preferred: the MTA's
 * own submission path), else over SMTP at `submit=HOST:PORT`. The first answer decides the path for the whole run.
 */
export interface CheckSubmitter {
  submit(what: string): Promise<Submitted>;
  /** How the messages were handed over ("through the adapter …", "over SMTP at …"), once one was. */
  readonly via: string | undefined;
}

export function checkSubmitter(t: ExternalTarget, adapter: MtaAdapter): CheckSubmitter {
  let path: 'adapter' | 'smtp' | undefined;
  let adapterReason = '';
  const message = (what: string, id: string) => ({
    from: `domsec-check@${t.domain}`, to: [`kim@${t.partner}`], subject: `domsec conformance check: ${what}`, body: 'A domsec check message.', messageId: id,
  });
  const smtp = async (what: string, id: string): Promise<Submitted> => {
    const s = t.submit!;
    const m = message(what, id);
    const r = await probeSmtp({
      host: s.host, port: s.port, ehlo: 'domsec-submit.invalid', starttls: 'skip', from: m.from, to: m.to, timeoutMs: 10_000,
      data: `From: <${m.from}>\nTo: <${m.to[0]}>\nSubject: ${m.subject}\nMessage-ID: <${id}>\n\n${m.body}\n`,
    });
    if (r.data?.code === 250) return { ok: true, id };
    const why = r.data ? `${r.data.code} ${r.data.text.split('\n')[0]}` : r.error ?? 'no reply';
    return { ok: false, reason: `submitting the check message at ${s.host}:${s.port} was refused (${what}: ${why}); the sender role needs a submission your MTA relays to ${t.partner}` };
  };
  return {
    get via() {
      return path === 'adapter' ? `through ${adapter.name}` : path === 'smtp' ? `over SMTP at ${t.submit!.host}:${t.submit!.port}` : undefined;
    },
    async submit(what) {
      const id = `${randomUUID()}@${t.domain}`;
      if (path !== 'smtp') {
        const a = await adapter.submit(message(what, id));
        if (a.observable) {
          path = 'adapter';
          return { ok: true, id: a.value };
        }
        if (path === 'adapter') return { ok: false, reason: a.reason };
        adapterReason = a.reason;
      }
      if (!t.submit) return { ok: false, reason: `${adapterReason}; and no submit=HOST:PORT was given in --external, so the harness cannot make your MTA send` };
      path = 'smtp';
      return smtp(what, id);
    },
  };
}

/** The adapter's retry (Retry-Queue; `postqueue -f`), as a line of evidence: asked when a fault starts and when the partner is good again. */
export async function askRetry(adapter: MtaAdapter): Promise<string> {
  const r = await adapter.retry();
  return r.observable ? `${new Date().toISOString()} asked ${adapter.name} to retry its queue now: done` : `${new Date().toISOString()} ${r.reason}`;
}

export interface QueueView {
  /** Evidence lines: the partner's queue and the MTA's readings for the check's rules. */
  lines: string[];
  /** The partner's queue: undefined when the adapter cannot tell; null when the MTA has none for the partner. */
  queue: { status: string; messageCount: number; lastError?: string } | null | undefined;
  /** A reading of the check's rules that contradicts Exchange (the message returned instead of kept for a retry). */
  contradiction?: string;
  /** The summary for a check's "actual". */
  summary: string;
}

/**
 * After a fault (or the drain): the MTA's queue for the partner with its LastError in the MTA's own words, and the
 * readings the adapter maps the MTA's texts to (only those about the check's rules, new since `seen`).
 */
export async function viewQueue(t: ExternalTarget, adapter: MtaAdapter, rules: string[], seen: { readings: number }): Promise<QueueView> {
  const lines: string[] = [];
  // Asked side by side: each is a run of the shim, and the check waits for both.
  const [q, r] = await Promise.all([adapter.queueState(), adapter.readings()]);
  let queue: QueueView['queue'];
  let summary: string;
  if (!q.observable) {
    lines.push(q.reason);
    summary = q.reason;
  } else {
    const mine = q.value.find((x) => x.nextHopDomain.toLowerCase() === t.partner);
    queue = mine ? { status: mine.status, messageCount: mine.messageCount, ...(mine.lastError ? { lastError: mine.lastError } : {}) } : null;
    summary = mine ? `your MTA's queue for ${t.partner}: ${mine.status}, ${mine.messageCount} message(s), LastError ${mine.lastError ?? '-'}` : `your MTA has no queue for ${t.partner}`;
    lines.push(summary);
  }
  let contradiction: string | undefined;
  if (!r.observable) lines.push(r.reason);
  else {
    const fresh = r.value.slice(Math.min(seen.readings, r.value.length));
    seen.readings = r.value.length;
    const about = fresh.filter((x) => rules.includes(x.rule));
    for (const x of about) lines.push(`reading ${x.rule} ${x.outcome}: ${x.phrase}`);
    if (about.length === 0) lines.push(`no reading of ${rules.join(', ')} among ${fresh.length} new one(s)`);
    const returned = about.find((x: DsReading) => x.outcome === 'bounced');
    if (returned) contradiction = `your MTA returned the message (${returned.rule} ${returned.outcome}: ${returned.phrase}) instead of keeping it for a retry`;
  }
  return { lines, queue, summary, ...(contradiction ? { contradiction } : {}) };
}
