// The receiving edge's replies and events for its limits (issue 10): one table, so reply texts live in one place.
// Texts as Exchange's receive connector sends them; event ids as MSExchangeTransport logs them where Exchange has one.

export const LIMIT_REPLIES = {
  /** MaxInboundConnection reached on the connector. */
  tooManyConnections: { code: 421, text: '4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel' },
  /** MaxInboundConnectionPerSource reached for the client's IP address (Exchange 2013 and later; 2010 said "concurrent connections has exceeded a limit"). */
  tooManyFromSource: { code: 421, text: '4.3.2 The maximum number of concurrent server connections has exceeded a per-source limit, closing transmission channel' },
  /** The edge cannot take a socket right now (accept failed with EMFILE/ENFILE; it sheds until it recovers). */
  notAvailable: { code: 421, text: '4.3.2 Service not available, closing transmission channel' },
  /** ConnectionTimeout: the session lasted longer than the connector allows, busy or not. */
  connectionTimeout: { code: 421, text: '4.4.1 Connection timed out' },
  /** ConnectionInactivityTimeout: the client said nothing for too long. */
  inactivityTimeout: { code: 451, text: '4.7.0 Timeout waiting for client input' },
  /** MaxRecipientsPerMessage (and the organization's MaxRecipientEnvelopeLimit) reached: the client sends the rest later. */
  tooManyRecipients: { code: 452, text: '4.5.3 Too many recipients' },
  /** MaxMessageSize passed while the DATA streamed; the rest is read and dropped, never kept. */
  messageTooBig: { code: 552, text: '5.3.4 Message size exceeds fixed maximum message size' },
} as const;

export type LimitReply = (typeof LIMIT_REPLIES)[keyof typeof LIMIT_REPLIES];

export function limitReplyLine(r: LimitReply): string {
  return `${r.code} ${r.text}`;
}

/** Application event ids raised with the limits (DS-LOG-06 style events, source MSExchangeTransport). */
export const LIMIT_EVENTS = {
  /** Exchange 1021: the per-source connection limit of a connector was reached. */
  perSource: 1021,
  /** Exchange 1022: the connector's connection limit was reached. */
  perConnector: 1022,
  /** domsec's own: accepting a connection failed (EMFILE); the edge sheds connections for a while and goes on. */
  acceptFailed: 9101,
  /** domsec's own: a protocol log or evidence write failed (disk full, folder removed); the lab goes on without it. */
  writeFailed: 9102,
} as const;
