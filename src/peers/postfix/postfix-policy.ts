// Postfix's side of the DS policy service: what smtpd's policy request says about the session, and the access(5) action a Decision becomes.
import type { Decision } from '../../orgs/index.js';
import { decideMailFrom, type MtaSessionView, type PolicyEnvironment } from '../policy/mta-session.js';
import type { PolicyAnswer, PolicyAttributes } from '../policy/policy-server.js';
import type { PolicyRecord } from '../peer.js';

/** Restriction classes rendered into main.cf: they PREPEND the DS-RECV-08 headers (see render-postfix.ts). */
export const PARTNER_CLASS = 'ds_partner';
export const ANONYMOUS_CLASS = 'ds_anonymous';
/** policy_context values: check_ccert_access sees a certificate even when it is untrusted; the policy service does not. */
export const CONTEXT_CERT_PRESENT = 'ccert-present';
export const CONTEXT_CERT_ABSENT = 'ccert-absent';

/** Postfix sends certificate names xtext-encoded (`adatum+20Root`). */
export function decodeXtext(v: string): string {
  return v.replace(/\+([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function postfixSessionView(a: PolicyAttributes): MtaSessionView {
  const tls = (a.encryption_protocol ?? '') !== '';
  const present = a.policy_context === CONTEXT_CERT_PRESENT;
  const subject = decodeXtext(a.ccert_subject ?? '');
  const certificate: MtaSessionView['certificate'] = !present
    ? { kind: 'none' }
    : subject !== ''
      ? { kind: 'verified-by-mta', names: [subject], detail: `Postfix verified the chain against smtpd_tls_CAfile (issuer CN ${decodeXtext(a.ccert_issuer ?? '')})` }
      : { kind: 'untrusted-by-mta', detail: `Postfix did not verify certificate ${a.ccert_fingerprint ?? '(no fingerprint)'}: untrusted issuer, bad dates or usage` };
  return { sender: a.sender || undefined, clientAddress: a.client_address, tls, certificate };
}

/** The access(5) action for a Decision: the reply verbatim, or the class that adds the Partner/Anonymous headers. */
export function postfixAction(d: Decision): string {
  if (d.outcome === 'reject' && d.reply) return `${d.reply.code} ${d.reply.enhanced} ${d.reply.text}`;
  return d.outcome === 'partner' ? PARTNER_CLASS : ANONYMOUS_CLASS;
}

export function postfixPolicyHandler(env: PolicyEnvironment, record: (r: PolicyRecord) => void) {
  return async (a: PolicyAttributes): Promise<PolicyAnswer> => {
    if (a.request !== 'smtpd_access_policy') return { text: 'action=DUNNO\n\n', close: false };
    const view = postfixSessionView(a);
    const verdict = await decideMailFrom(env, view);
    const action = postfixAction(verdict.decision);
    record({
      at: new Date().toISOString(), implementation: 'postfix', stage: 'mail-from', clientAddress: view.clientAddress, sender: view.sender,
      domain: verdict.facts.senderDomain, decision: verdict.decision, certificate: verdict.certificate, answer: action,
    });
    return { text: `action=${action}\n\n`, close: false };
  };
}
