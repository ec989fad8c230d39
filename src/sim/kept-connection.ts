// A kept connection (SmtpMaxMessagesPerConnection): what its handshake established, and the decision each follow-on message gets.
import type { ChainResult, NameMatch } from '../ca/index.js';
import {
  chooseSendConnector, decideAfterEhlo, decideBeforeConnect, decideRemoteCertificate, type Decision, type Organization, type SendContext,
} from '../orgs/index.js';

/** The facts the session's first message was decided on; a follow-on is decided again on the same facts and today's configuration. */
export interface SessionFacts {
  connector: string;
  tlsMode: Decision['tlsMode'];
  secure: boolean;
  /** The partner's certificate as the handshake checked it; absent when the session is not secured or nothing was presented. */
  certificate?: { match: NameMatch; chain: ChainResult; outcome: Decision['outcome'] };
}

export type FollowOnVerdict =
  /** The message may ride this connection: `decisions` are what decided it (DS IDs), recorded with a follow-on marker. */
  | { ok: true; decisions: Decision[] }
  /** The configuration changed under the session: the message waits for a new session, which decides from scratch. */
  | { ok: false; decisions: Decision[]; reason: string };

/**
 * Decides one follow-on message: the same connector must still route the domain, and the send list, connector and the
 * certificate the partner presented must still give the decision the session was opened on. Pure: no socket, no clock.
 */
export function decideFollowOn(org: Organization, edgeName: string, domain: string, facts: SessionFacts): FollowOnVerdict {
  const connector = chooseSendConnector(org.sendConnectors.filter((c) => c.sourceServers.length === 0 || c.sourceServers.includes(edgeName)), domain);
  if (connector?.name !== facts.connector) return { ok: false, decisions: [], reason: `the send connector for ${domain} is now ${connector?.name ?? 'none'}` };
  const ctx: SendContext = { nextHopDomain: domain, sendList: org.transport.tlsSendDomainSecureList, connector };
  const d0 = decideBeforeConnect(ctx);
  const decisions = [d0];
  if (d0.outcome === 'defer' || d0.tlsMode !== facts.tlsMode) return { ok: false, decisions, reason: d0.reason };
  if (facts.certificate) {
    const d = decideRemoteCertificate(ctx, facts.certificate.match, facts.certificate.chain);
    decisions.push(d);
    if (d.outcome !== facts.certificate.outcome) return { ok: false, decisions, reason: d.reason };
  } else if (!facts.secure) {
    const d = decideAfterEhlo(ctx, 'not-offered');
    decisions.push(d);
    if (d.outcome === 'defer') return { ok: false, decisions, reason: d.reason };
  }
  return { ok: true, decisions };
}
