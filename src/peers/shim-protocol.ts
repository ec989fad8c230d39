// The shim protocol v1 (docs/adapter-contract.md): the requests the harness sends an adapter and the one checker of its
// answers. Every answer is checked whole (types, sizes, no unknown fields) before anything reads it: a shim written in an
// afternoon in another language gets a sentence naming the field, not a harness that misreads it.
import { DomsecError } from '../errors.js';
import type { QueueSnapshot } from '../sim/evidence.js';
import { checkSchema, list, obj, oneOf, type Schema, str, int, bool } from '../sim/schema-check.js';
import type { DsReading, PeerDelivered, PeerMessage } from './peer.js';

export const SHIM_PROTOCOL_VERSION = 1;
/** Each call's bound: a shim that does not answer within it is not observable for that call. */
export const SHIM_TIMEOUT_MS = 10_000;
/** The largest answer read (a whole log or mailbox fits; a runaway shim does not fill the harness's memory). */
export const SHIM_MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export const SHIM_CALLS = ['capabilities', 'submit', 'mailbox', 'queues', 'retry', 'log', 'readings'] as const;
export type ShimCall = (typeof SHIM_CALLS)[number];

export type ShimRequest =
  | { v: 1; call: 'capabilities' | 'queues' | 'retry' | 'log' | 'readings' }
  | { v: 1; call: 'submit'; message: PeerMessage }
  | { v: 1; call: 'mailbox'; address: string };

export interface ShimCapabilities {
  v: 1;
  name: string;
  /** The calls this shim answers with a value (others answer notObservable). */
  calls: ShimCall[];
}

/** What each call answers with, once checked. */
export interface ShimValues {
  capabilities: ShimCapabilities;
  submit: string;
  mailbox: PeerDelivered[];
  queues: QueueSnapshot[];
  retry: void;
  log: string[];
  readings: DsReading[];
}

export type ShimAnswer<C extends ShimCall> = { observable: true; value: ShimValues[C] } | { observable: false; reason: string };

const LINES = 1_000_000;
const text = (max = 1000) => str(undefined, max);
const RULE = str((v) => (/^DS-[A-Z]+-\d{2}$/.test(v) ? undefined : `"${v}" is not a DS rule ID (e.g. DS-RECV-04; domsec rules lists them).`), 12);

const MESSAGE: Schema = obj({
  messageId: text(998), from: text(), to: list(text(), 1000), subject: text(998),
  headers: { kind: 'record', of: text(SHIM_MAX_ANSWER_BYTES), max: 10_000 }, raw: text(SHIM_MAX_ANSWER_BYTES),
  receivedBy: text(), authAs: oneOf('Partner', 'Anonymous'), authDomain: text(), domainSecured: bool,
}, ['messageId', 'from', 'to', 'subject', 'headers', 'raw']);

const QUEUE: Schema = obj({
  nextHopDomain: text(255), status: oneOf('Active', 'Ready', 'Retry', 'Suspended'), messageCount: int(0, 2 ** 31 - 1),
  identity: text(), deliveryType: oneOf('DnsConnectorDelivery', 'SmartHostConnectorDelivery'), lastError: text(10_000),
  retryCount: int(0, 2 ** 31 - 1), lastRetryTime: text(64), nextRetryTime: text(64), tlsDomain: text(255),
}, ['nextHopDomain', 'status', 'messageCount']);

const ANSWERS: Record<ShimCall, Schema> = {
  capabilities: obj({ v: int(1, 1), name: text(200), calls: list(oneOf(...SHIM_CALLS), SHIM_CALLS.length) }, ['v', 'name', 'calls']),
  submit: obj({ messageId: text(998) }, ['messageId']),
  mailbox: obj({ messages: list(MESSAGE, 100_000) }, ['messages']),
  queues: obj({ queues: list(QUEUE, 100_000) }, ['queues']),
  retry: obj({ ok: bool }, ['ok']),
  log: obj({ lines: list(text(SHIM_MAX_ANSWER_BYTES), LINES) }, ['lines']),
  readings: obj({ readings: list(obj({ rule: RULE, outcome: oneOf('delivered', 'deferred', 'rejected', 'accepted', 'partner', 'bounced'), phrase: text(10_000), note: text() }, ['rule', 'outcome', 'phrase']), LINES) }, ['readings']),
};

export function shimRequest(call: ShimCall, args: { message?: PeerMessage; address?: string } = {}): ShimRequest {
  if (call === 'submit') return { v: 1, call, message: args.message! };
  if (call === 'mailbox') return { v: 1, call, address: args.address! };
  return { v: 1, call };
}

function malformed(adapter: string, call: ShimCall, where: string, sentence: string): DomsecError {
  return new DomsecError('ERR_ADAPTER_ANSWER', `${adapter} answered "${call}" with something that is not a v1 answer: ${where}: ${sentence} See docs/adapter-contract.md.`, { call, where });
}

/**
 * Reads one answer: `{"notObservable": "why"}` → not observable with the shim's reason; `{"error": "…"}` →
 * ERR_ADAPTER_FAILED with it; the call's answer → its value; anything else → ERR_ADAPTER_ANSWER naming the field.
 */
export function readShimAnswer<C extends ShimCall>(adapter: string, call: C, body: string, now: () => Date = () => new Date()): ShimAnswer<C> {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw malformed(adapter, call, 'top level', `not one JSON value; the answer was ${JSON.stringify(body.slice(0, 80))}${body.length > 80 ? '…' : ''}.`);
  }
  const fail = (where: string, sentence: string) => malformed(adapter, call, where, sentence);
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    if ('notObservable' in v) {
      checkSchema(v, obj({ notObservable: text(2000) }, ['notObservable']), '', fail);
      return { observable: false, reason: (v as { notObservable: string }).notObservable };
    }
    if ('error' in v) {
      checkSchema(v, obj({ error: text(2000) }, ['error']), '', fail);
      throw new DomsecError('ERR_ADAPTER_FAILED', `${adapter} failed at "${call}": ${(v as { error: string }).error}`, { call });
    }
  }
  checkSchema(v, ANSWERS[call], '', fail);
  if (call === 'retry' && (v as { ok: boolean }).ok === false) throw new DomsecError('ERR_ADAPTER_FAILED', `${adapter} answered "retry" with ok: false.`, { call });
  return { observable: true, value: valueOf(call, v as Record<string, unknown>, now) as ShimValues[C] };
}

function valueOf(call: ShimCall, v: Record<string, unknown>, now: () => Date): ShimValues[ShimCall] {
  switch (call) {
    case 'capabilities': return v as unknown as ShimCapabilities;
    case 'submit': return v.messageId as string;
    // Absent facts are the weaker reading: a message the shim does not call domain-secured is not shown as such.
    case 'mailbox': return (v.messages as Partial<PeerDelivered>[]).map((m) => ({ receivedBy: '', domainSecured: false, ...m }) as PeerDelivered);
    case 'queues': {
      const at = now().toISOString();
      return (v.queues as (Partial<QueueSnapshot> & { nextHopDomain: string })[]).map((q) => ({ at, identity: q.nextHopDomain, retryCount: 0, ...q }) as QueueSnapshot);
    }
    case 'retry': return undefined;
    case 'log': return v.lines as string[];
    case 'readings': return v.readings as DsReading[];
  }
}
