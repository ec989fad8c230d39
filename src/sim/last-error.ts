// How a failed attempt reads in the queue's LastError (DS-QUEUE-02), in the 2010/2013 or 2016/2019 wording.
import type { ExchangeVersion } from '../orgs/index.js';

const FAILOVER = 'Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts.';

export type AttemptFailure =
  | { kind: 'reply'; reply: string; endpoint?: string } // the remote (or our policy, for that session) answered
  | { kind: 'socket'; winsock: number; endpoint: string }
  | { kind: 'local'; reply: string }; // decided before any connection (no endpoint)

export function lastError(f: AttemptFailure, version: ExchangeVersion): string {
  const reply = f.kind === 'socket' ? '' : f.reply.replace(/\.$/, '');
  if (version === '2016') {
    if (f.kind === 'socket') return `451 4.4.397 Error communicating with target host. -> 421 4.2.1 Unable to connect -> SocketError: Failed to connect. Winsock error code: ${f.winsock}, Win32 error code: ${f.winsock}. The last endpoint attempted was ${f.endpoint}`;
    if (f.kind === 'local' || !f.endpoint) return f.reply;
    return `451 4.4.395 Target host responded with error. -> ${reply}`;
  }
  if (f.kind === 'socket') {
    return `441 4.4.1 Error encountered while communicating with primary target IP address: "Failed to connect. Winsock error code: ${f.winsock}, Win32 error code: ${f.winsock}." ${FAILOVER} The last endpoint attempted was ${f.endpoint}`;
  }
  if (f.kind === 'local' || !f.endpoint) return f.reply;
  return `451 4.4.0 Primary target IP address responded with: "${reply}." ${FAILOVER} The last endpoint attempted was ${f.endpoint}`;
}
