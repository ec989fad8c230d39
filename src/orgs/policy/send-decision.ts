// The sender's decisions on the way out (BEHAVIOUR §4, DS-SEND-01…06), one pure function per stage of the session.
import type { ChainResult, NameMatch } from '../../ca/index.js';
import { listContains } from '../secure-list.js';
import { type Decision, REPLIES } from './decision.js';

export interface SendContext {
  nextHopDomain: string;
  sendList: readonly string[];
  connector: { name: string; domainSecureEnabled: boolean; requireTls: boolean; ignoreStartTls: boolean };
}

const FAILURE = 'Domain-Secured Outbound Session Failures' as const;

function secureFailure(c: SendContext, because: string): string {
  return `Message to secure domain '${c.nextHopDomain}' on send connector '${c.connector.name}' failed because ${because} .`;
}

export function isSecureDomain(c: SendContext): boolean {
  return listContains(c.sendList, c.nextHopDomain);
}

/** Before connecting: a listed domain needs a DomainSecureEnabled connector (DS-SEND-01). */
export function decideBeforeConnect(c: SendContext): Decision {
  if (!isSecureDomain(c)) {
    const mode = c.connector.ignoreStartTls ? 'none' : c.connector.requireTls ? 'require-tls' : 'opportunistic';
    return { rule: 'DS-CONF-01', outcome: 'proceed', tlsMode: mode, reason: `${c.nextHopDomain} is not on TLSSendDomainSecureList: ${mode === 'opportunistic' ? 'opportunistic TLS, any certificate accepted' : mode}.` };
  }
  if (!c.connector.domainSecureEnabled) {
    return {
      rule: 'DS-SEND-01', outcome: 'defer', reply: REPLIES.adminDisallowed, event: 11021, counter: FAILURE,
      info: [secureFailure(c, 'DomainSecureEnabled was set to false')],
      reason: `${c.nextHopDomain} is a secure domain but send connector ${c.connector.name} has DomainSecureEnabled set to false.`,
    };
  }
  return { rule: 'DS-SEND-06', outcome: 'proceed', tlsMode: 'domain-secure', reason: `${c.nextHopDomain} is a secure domain: mutual TLS required.` };
}

/** After EHLO: STARTTLS must be offered and accepted for a secure domain (DS-SEND-02) or with RequireTLS. */
export function decideAfterEhlo(c: SendContext, starttls: 'offered' | 'not-offered' | 'refused'): Decision {
  if (starttls === 'offered') return { rule: 'DS-SEND-02', outcome: 'proceed', reason: 'STARTTLS offered.' };
  const because = starttls === 'refused' ? 'STARTTLS was refused' : 'TLS was not offered';
  if (isSecureDomain(c)) {
    return {
      rule: 'DS-SEND-02', outcome: 'defer', reply: REPLIES.startTlsRequired, event: 11014, counter: FAILURE,
      info: [secureFailure(c, because)], reason: `${c.nextHopDomain} is a secure domain and ${because}; the message is never sent in clear.`,
    };
  }
  if (c.connector.requireTls) {
    return { rule: 'DS-CONF-02', outcome: 'defer', reply: REPLIES.startTlsRequired, reason: `Send connector ${c.connector.name} has RequireTLS and ${because}.` };
  }
  return { rule: 'DS-CONF-01', outcome: 'proceed', tlsMode: 'none', reason: `${because}: opportunistic TLS falls back to plain text for a domain that is not listed.` };
}

/** After the handshake attempt: a failed handshake defers with 421 4.4.1 and never retries in clear (DS-SEND-03). */
export function decideAfterHandshake(c: SendContext, h: { ok: true } | { ok: false; error: string }): Decision {
  if (h.ok) return { rule: 'DS-SEND-03', outcome: 'proceed', reason: 'TLS negotiated.' };
  const secure = isSecureDomain(c);
  return {
    rule: secure ? 'DS-SEND-03' : 'DS-CONF-01', outcome: 'defer', reply: REPLIES.tlsTimedOut,
    event: secure ? 11013 : undefined, counter: secure ? FAILURE : undefined,
    info: [`TLS negotiation failed with error ${h.error}`],
    reason: `The TLS handshake with ${c.nextHopDomain} failed (${h.error}); no retry in clear.`,
  };
}

/** After TLS: the remote certificate must cover the next hop (DS-SEND-04) and chain to a trusted root (DS-SEND-05). */
export function decideRemoteCertificate(c: SendContext, nameMatch: NameMatch, chain: ChainResult): Decision {
  if (!isSecureDomain(c)) {
    return { rule: 'DS-CONF-01', outcome: 'proceed', reason: 'Opportunistic TLS: any certificate is accepted.' };
  }
  if (!nameMatch.ok) {
    return {
      rule: 'DS-SEND-04', outcome: 'defer', reply: REPLIES.certValidation, event: 11016, counter: FAILURE,
      info: [secureFailure(c, `the remote certificate names (${nameMatch.names.join(';')}) do not match the domain`)],
      reason: `The remote certificate names (${nameMatch.names.join(', ') || 'none'}) do not cover ${c.nextHopDomain} (DS-CERT-02).`,
    };
  }
  if (!chain.ok) {
    return {
      rule: 'DS-SEND-05', outcome: 'defer', reply: REPLIES.certValidation, event: 11020, counter: FAILURE,
      info: [...chain.info, secureFailure(c, `the remote certificate chain validation status was '${chain.status}'`)],
      reason: `The remote certificate for ${c.nextHopDomain} failed validation: ${chain.status} (${chain.detail}).`,
    };
  }
  return {
    rule: 'DS-SEND-06', outcome: 'sent', counter: 'Domain-Secured Messages Sent', info: chain.info,
    reason: `Mutual TLS with ${c.nextHopDomain} verified: domain-secured.`,
  };
}
