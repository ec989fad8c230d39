// The adapter contract (issue 9 item 4, first slice): what the harness asks an outside MTA beyond SMTP. Every answer is an
// Observation; whatever an adapter cannot answer, fails at, or does not answer in time is "not observable", never a pass.
import { isDomsecError } from '../errors.js';
import type { QueueSnapshot } from '../sim/index.js';
import type { DsReading, Observation, PeerDelivered, PeerMessage, RunningPeer } from './peer.js';

export interface MtaAdapter {
  /** Shown in reasons ("manual (SMTP only)", "Postfix peer"). */
  readonly name: string;
  /** Submit a message from the external organization through the MTA's own submission path; the Message-ID. */
  submit(msg: PeerMessage): Promise<Observation<string>>;
  /** Messages the MTA delivered to a local recipient. */
  readMailbox(address: string): Promise<Observation<PeerDelivered[]>>;
  /** The MTA's queues per next-hop domain, with the last error, in the shape the simulated edges use. */
  queueState(): Promise<Observation<QueueSnapshot[]>>;
  /** Try everything queued now (Retry-Queue). */
  retry(): Promise<Observation<void>>;
  /** The MTA's log lines, oldest first. */
  logLines(): Promise<Observation<string[]>>;
  /** The MTA's texts read as DS outcomes. */
  readings(): Promise<Observation<DsReading[]>>;
}

export const ADAPTER_TIMEOUT_MS = 10_000;

export function notObservable(adapter: string, what: string, why: string): { observable: false; reason: string } {
  return { observable: false, reason: `${what} is not observable through ${adapter}: ${why}` };
}

const observed = <T>(value: T): Observation<T> => ({ observable: true, value });

/**
 * The manual adapter: the MTA is reached over SMTP only, so nothing beyond SMTP can be asked. Receive rules still run
 * (the harness opens the sessions); everything here answers not observable with what the vendor would have to do.
 */
export function manualAdapter(): MtaAdapter {
  const name = 'the manual adapter (SMTP only)';
  const no = (what: string, why: string) => async () => notObservable(name, what, why);
  return {
    name,
    submit: no('submitting a message', 'submit it in your MTA yourself, then send the evidence'),
    readMailbox: no('the mailbox', 'only the SMTP replies of your MTA are seen'),
    queueState: no('the queue state', 'your MTA\'s queue is not visible over SMTP'),
    retry: no('retrying the queue', 'run your MTA\'s own flush command'),
    logLines: no('the log', 'your MTA\'s log is not visible over SMTP'),
    readings: no('the DS outcome in your MTA\'s texts', 'no log lines to read'),
  };
}

/** The project's private Postfix/Exim peers on the same contract (the first adapters that answer). */
export function runningPeerAdapter(peer: RunningPeer): MtaAdapter {
  return {
    name: `the ${peer.implementation} peer of ${peer.organization}`,
    submit: async (msg) => observed(await peer.submit(msg)),
    readMailbox: async (address) => observed(await peer.mailbox(address)),
    queueState: async () => observed(await peer.queues()),
    retry: async () => observed(await peer.flush()),
    logLines: async () => observed(await peer.log()),
    readings: async () => observed(await peer.readings()),
  };
}

/** A shim's own errors already name the adapter and the call; anything else is said to come from the adapter. */
function failed(adapter: string, what: string, e: Error): { observable: false; reason: string } {
  if (isDomsecError(e) && e.code.startsWith('ERR_ADAPTER_')) return { observable: false, reason: `${what} is not observable: ${e.message}` };
  return notObservable(adapter, what, `the adapter failed: ${e.message}`);
}

/**
 * Every call bounded and contained: an adapter that throws or does not answer within `timeoutMs` makes that answer not
 * observable, with the adapter's own message, so one broken adapter call never fails or hangs a run.
 */
export function guardedAdapter(a: MtaAdapter, timeoutMs = ADAPTER_TIMEOUT_MS): MtaAdapter {
  const guard = <A extends unknown[], T>(what: string, f: (...args: A) => Promise<Observation<T>>) => async (...args: A): Promise<Observation<T>> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Observation<T>>((resolve) => {
      timer = setTimeout(() => resolve(notObservable(a.name, what, `no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      return await Promise.race([f(...args).catch((e: Error) => failed(a.name, what, e)), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    name: a.name,
    submit: guard('submitting a message', a.submit.bind(a)),
    readMailbox: guard('the mailbox', a.readMailbox.bind(a)),
    queueState: guard('the queue state', a.queueState.bind(a)),
    retry: guard('retrying the queue', a.retry.bind(a)),
    logLines: guard('the log', a.logLines.bind(a)),
    readings: guard('the DS outcome in the MTA\'s texts', a.readings.bind(a)),
  };
}
