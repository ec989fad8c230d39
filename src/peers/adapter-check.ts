// The adapter test-kit (`domsec adapter check SPEC`): asks a shim each call of the contract once and says, per call, what it
// answered, that it is not observable (with the shim's reason), or that the answer was malformed or the shim failed.
import { isDomsecError } from '../errors.js';
import type { PeerMessage } from './peer.js';
import type { ShimAdapter } from './shim-adapter.js';

export type CheckStatus = 'answered' | 'not observable' | 'malformed' | 'failed' | 'skipped';

export interface CallCheck {
  call: string;
  status: CheckStatus;
  /** What was answered (a summary), the shim's reason, or the error. */
  detail: string;
  ms: number;
}

export interface CheckInputs {
  /** submit is asked only with a message (it sends mail); mailbox only with an address. */
  message?: PeerMessage;
  mailbox?: string;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

async function one<T>(shim: ShimAdapter, call: string, ask: () => Promise<{ observable: true; value: T } | { observable: false; reason: string }>, summary: (v: T) => string): Promise<CallCheck> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  try {
    const a = await ask();
    if (a.observable) return { call, status: 'answered', detail: summary(a.value), ms: ms() };
    // The shim's own words: the adapter's prefix names the adapter, which the check already printed.
    const marker = ` through ${shim.name}: `;
    const i = a.reason.indexOf(marker);
    return { call, status: 'not observable', detail: i >= 0 ? a.reason.slice(i + marker.length) : a.reason, ms: ms() };
  } catch (e) {
    const malformed = isDomsecError(e, 'ERR_ADAPTER_ANSWER');
    if (!malformed && !isDomsecError(e)) throw e;
    return { call, status: malformed ? 'malformed' : 'failed', detail: `${(e as Error).message} [${(e as { code: string }).code}]`, ms: ms() };
  }
}

/** Each call in the contract's order; one shim's failure at one call never stops the others being asked. */
export async function checkAdapter(shim: ShimAdapter, inputs: CheckInputs): Promise<CallCheck[]> {
  const skipped = (call: string, why: string): CallCheck => ({ call, status: 'skipped', detail: why, ms: 0 });
  return [
    await one(shim, 'capabilities', () => shim.capabilities(), (c) => `v${c.v} "${c.name}", says it answers: ${c.calls.join(', ') || 'nothing'}`),
    inputs.message ? await one(shim, 'submit', () => shim.submit(inputs.message!), (id) => `Message-ID <${id}>`) : skipped('submit', 'it sends mail: give --from and --to to ask it'),
    inputs.mailbox ? await one(shim, 'mailbox', () => shim.readMailbox(inputs.mailbox!), (m) => `${plural(m.length, 'message')} for ${inputs.mailbox}`) : skipped('mailbox', 'give --mailbox ADDRESS (or --to) to ask it'),
    await one(shim, 'queues', () => shim.queueState(), (q) => (q.length === 0 ? 'no queue' : q.map((x) => `${x.nextHopDomain} ${x.status} ${x.messageCount}${x.lastError ? ` (${x.lastError})` : ''}`).join('; '))),
    await one(shim, 'retry', () => shim.retry(), () => 'ok'),
    await one(shim, 'log', () => shim.logLines(), (l) => plural(l.length, 'line')),
    await one(shim, 'readings', () => shim.readings(), (r) => (r.length === 0 ? 'no readings' : `${plural(r.length, 'reading')}: ${[...new Set(r.map((x) => `${x.rule} ${x.outcome}`))].slice(0, 6).join(', ')}`)),
  ];
}
