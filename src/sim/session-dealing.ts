// How queued messages are dealt to sessions for one next hop (SmtpMaxMessagesPerConnection, MaxPerDomainOutboundConnections, MaxOutboundConnections).

export interface DealingCaps {
  /** The send connector's SmtpMaxMessagesPerConnection. */
  perConnection: number;
  /** MaxPerDomainOutboundConnections minus the sessions already open to this hop. */
  perDomainFree: number;
  /** MaxOutboundConnections minus the sessions already open from this server. */
  globalFree: number;
  /** Messages the open sessions to this hop may still take as follow-ons on their kept connections. */
  spare: number;
}

/**
 * The sizes of the new sessions to open, in order: the ready messages the open sessions cannot take are dealt in queue
 * order, up to `perConnection` each, as many sessions as the caps allow. Pure, so a seed gives the same dealing every run.
 */
export function dealSessions(ready: number, caps: DealingCaps): number[] {
  const per = Math.max(1, caps.perConnection);
  const left = Math.max(0, ready - caps.spare);
  const count = Math.max(0, Math.min(Math.ceil(left / per), caps.perDomainFree, caps.globalFree));
  return Array.from({ length: count }, (_, k) => Math.min(per, left - k * per));
}
