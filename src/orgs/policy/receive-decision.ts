// The receiver's decision at MAIL FROM (BEHAVIOUR §3, DS-RECV-01…10) as one pure function: first match wins.
import type { ChainResult, NameMatch } from '../../ca/index.js';
import { listContains } from '../secure-list.js';
import type { PermissionGroup } from '../receive-connector.js';
import { type Decision, REPLIES } from './decision.js';

export interface ReceiveFacts {
  /** MAIL FROM domain; undefined for the null sender `<>` (never checked). */
  senderDomain?: string;
  receiveList: readonly string[];
  connector: { domainSecureEnabled: boolean; requireTls: boolean; permissionGroups: readonly PermissionGroup[] };
  tls: boolean;
  starttlsAdvertised: boolean;
  clientCertificate: boolean;
  /** DS-CERT-02 match of the client certificate's names against senderDomain. */
  nameMatch?: NameMatch;
  /** Chain validation of the client certificate, without the name check. */
  chain?: ChainResult;
}

export function decideAtMailFrom(f: ReceiveFacts): Decision {
  if (f.connector.requireTls && !f.tls) {
    return { rule: 'DS-RECV-10', outcome: 'reject', reply: REPLIES.startTlsRequired, reason: 'The receive connector has RequireTLS and the session is not encrypted.' };
  }
  const d = f.senderDomain;
  if (!d || !listContains(f.receiveList, d)) {
    return {
      rule: 'DS-RECV-07',
      outcome: 'accept',
      authAs: 'Anonymous',
      reason: d ? `${d} is not on TLSReceiveDomainSecureList: accepted as anonymous.` : 'The null sender is never checked: accepted as anonymous.',
    };
  }
  if (!f.connector.domainSecureEnabled) {
    return { rule: 'DS-RECV-01', outcome: 'reject', reply: REPLIES.adminDisallowed, event: 11021, reason: `${d} is a secure domain but the receive connector has DomainSecureEnabled set to false.` };
  }
  if (!f.tls) {
    return f.starttlsAdvertised
      ? { rule: 'DS-RECV-02', outcome: 'reject', reply: REPLIES.notAuthenticated, event: 11012, reason: `${d} is a secure domain and the sender did not use the STARTTLS that was offered.` }
      : { rule: 'DS-RECV-03', outcome: 'reject', reply: REPLIES.tempAuthFailure, event: 11018, reason: `${d} is a secure domain but STARTTLS was not advertised (no certificate for the connector FQDN, or TLS not an auth mechanism).` };
  }
  if (!f.clientCertificate) {
    return { rule: 'DS-RECV-04', outcome: 'reject', reply: REPLIES.notAuthenticated, event: 11017, reason: `${d} is a secure domain and the sender presented no client certificate.` };
  }
  if (f.nameMatch && !f.nameMatch.ok) {
    return {
      rule: 'DS-RECV-05', outcome: 'reject', reply: REPLIES.certValidation, event: 11015,
      info: [`Client certificate chain validation status: 'SubjectMismatch'`],
      reason: `The client certificate names (${f.nameMatch.names.join(', ') || 'none'}) do not cover ${d} (DS-CERT-02).`,
    };
  }
  if (!f.chain || !f.chain.ok) {
    const status = f.chain?.status ?? 'EmptyCertificate';
    return {
      rule: 'DS-RECV-06', outcome: 'reject', reply: REPLIES.certValidation, event: 11011,
      info: [`Client certificate chain validation status: '${status}'`],
      reason: `The client certificate for ${d} failed validation: ${status}${f.chain ? ` (${f.chain.detail})` : ''}.`,
    };
  }
  if (!f.connector.permissionGroups.includes('Partners')) {
    return { rule: 'DS-RECV-09', outcome: 'reject', reply: REPLIES.noPermission, disconnect: true, reason: 'The session authenticated as Partner but the connector lacks the Partners permission group.' };
  }
  return {
    rule: 'DS-RECV-07', outcome: 'partner', authAs: 'Partner', authDomain: d, counter: 'Domain-Secured Messages Received',
    info: f.chain.info, reason: `Mutual TLS with ${d} verified: the session is Partner.`,
  };
}
