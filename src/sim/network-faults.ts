// The named fault switches of the simulated network (BoGo ProtocolBugs style): every deliberate misbehaviour is data here.
// DNS faults are records of the zone (dns-zone.ts: no MX/A, NXDOMAIN, an MX whose host has no A) and peer misbehaviour
// is per edge (edge-quirks.ts); docs/conformance.md lists all of them in one table.

export type FaultKind =
  /** Packets to the target are silently dropped: the sender waits its connect timeout (DS-QUEUE-06, Winsock 10060). */
  | 'drop'
  /** The target answers SYN with RST: connection refused (DS-QUEUE-06, Winsock 10061). */
  | 'reject'
  /** A man in the middle deletes STARTTLS from the EHLO reply (DS-SEND-02: never plaintext to a partner). */
  | 'strip-starttls'
  /** The connection is reset right after it is opened (Winsock 10054). */
  | 'reset'
  /** Adds latency (virtual ms) before the connection opens. */
  | 'delay';

export interface NetworkFault {
  kind: FaultKind;
  /** Source address the rule applies to; undefined = any sender. */
  from?: string;
  /** Destination address; undefined = any. */
  to?: string;
  /** Destination port as the sender dials it (25 for SMTP, 80 for CRL HTTP); undefined = any. */
  port?: number;
  /** For 'delay'. */
  ms?: number;
}

export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  drop: 'firewall drops packets (connect timeout, 10060)',
  reject: 'firewall rejects connections (connection refused, 10061)',
  'strip-starttls': 'man in the middle strips STARTTLS from EHLO',
  reset: 'connection reset by peer (10054)',
  delay: 'network latency',
};

export function faultApplies(f: NetworkFault, from: string, to: string, port: number): boolean {
  return (f.from === undefined || f.from === from) && (f.to === undefined || f.to === to) && (f.port === undefined || f.port === port);
}

export function describeFault(f: NetworkFault): string {
  const where = [f.from && `from ${f.from}`, f.to && `to ${f.to}`, f.port && `port ${f.port}`].filter(Boolean).join(' ');
  return `${f.kind}${where ? ` (${where})` : ''}`;
}
