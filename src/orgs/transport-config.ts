// An organization's TransportConfig (DS-CONF-01, DS-CONF-08) plus the queue timers of DS-QUEUE-03…05 and model switches.
import { applyListEdit, type ListEdit } from './secure-list.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Get-TransportConfig's MaxRecipientEnvelopeLimit (Exchange default 500): no edge takes more RCPTs per message. */
export const MAX_RECIPIENT_ENVELOPE_LIMIT = 500;

/** The modelled Exchange version: LastError wording (DS-QUEUE-02), SMTP dialogue and certificate-line names (exchange-replies.ts). */
export type ExchangeVersion = '2007' | '2010' | '2013' | '2016';

export interface TransportSettings {
  transientFailureRetryCount: number;
  transientFailureRetryInterval: number; // ms
  outboundConnectionFailureRetryInterval: number; // ms
  delayNotificationTimeout: number; // ms
  messageExpirationTimeout: number; // ms
  exchangeVersion: ExchangeVersion;
  /** DS-CERT-04 model choice: an unreachable CRL is success with an info line (lenient) or a failure (strict). */
  revocationMode: 'lenient' | 'strict' | 'off';
  /** DS-RECV-02 tarpit before `530 5.7.1` (Exchange waits ~30 s); 0 by default. Virtual ms. */
  authTarpit: number;
  /** Connect timeout a dropped SYN costs on the virtual clock (DS-QUEUE-06). */
  connectTimeout: number;
  /** Set-TransportService -MaxPerDomainOutboundConnections (Exchange default 20): sessions open at once to one next hop. */
  maxPerDomainOutboundConnections: number;
  /** Set-TransportService -MaxOutboundConnections (Exchange default 1000): sessions open at once from this server. */
  maxOutboundConnections: number;
}

/** Edge role defaults (DS-QUEUE-03: Edge uses 10 min transient and 30 min outbound intervals). */
export function defaultTransportSettings(role: 'Edge' | 'Mailbox' = 'Edge'): TransportSettings {
  return {
    transientFailureRetryCount: 6,
    transientFailureRetryInterval: role === 'Edge' ? 10 * MINUTE : 5 * MINUTE,
    outboundConnectionFailureRetryInterval: role === 'Edge' ? 30 * MINUTE : 10 * MINUTE,
    delayNotificationTimeout: 4 * HOUR,
    messageExpirationTimeout: 2 * DAY,
    exchangeVersion: '2010',
    revocationMode: 'lenient',
    authTarpit: 0,
    connectTimeout: 21 * 1000,
    maxPerDomainOutboundConnections: 20,
    maxOutboundConnections: 1000,
  };
}

export class TransportConfig {
  #send: string[] = [];
  #receive: string[] = [];
  settings: TransportSettings;

  constructor(settings: Partial<TransportSettings> = {}, role: 'Edge' | 'Mailbox' = 'Edge') {
    this.settings = { ...defaultTransportSettings(role), ...settings };
  }

  get tlsSendDomainSecureList(): readonly string[] {
    return this.#send;
  }

  get tlsReceiveDomainSecureList(): readonly string[] {
    return this.#receive;
  }

  /** Both lists are validated before either changes, so a bad value leaves the config untouched. */
  edit(edits: { send?: ListEdit; receive?: ListEdit }): void {
    const send = edits.send ? applyListEdit(this.#send, edits.send) : this.#send;
    const receive = edits.receive ? applyListEdit(this.#receive, edits.receive) : this.#receive;
    this.#send = send;
    this.#receive = receive;
  }

  setSettings(patch: Partial<TransportSettings>): void {
    this.settings = { ...this.settings, ...patch };
  }
}
