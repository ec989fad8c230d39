// Exim's side of the DS policy service: the ${readsocket} requests the rendered ACL and transport send, and the one-line answers they extract.
import type { Decision } from '../../orgs/index.js';
import type { PolicyRecord } from '../peer.js';
import { decideMailFrom, decideServerName, type MtaSessionView, type PolicyEnvironment } from '../policy/mta-session.js';
import type { PolicyAnswer, PolicyAttributes } from '../policy/policy-server.js';

export const REQUEST_MAIL_FROM = 'exim_mail_from';
export const REQUEST_SERVER_CERT = 'exim_server_cert';

export function eximSessionView(a: PolicyAttributes): MtaSessionView {
  const der = (a.ccert_der ?? '').replace(/\s+/g, '');
  return {
    sender: a.sender || undefined,
    clientAddress: a.client_address,
    tls: (a.encryption_protocol ?? '') !== '',
    certificate: der ? { kind: 'leaf', der: new Uint8Array(Buffer.from(der, 'base64')), mtaVerified: a.cert_verified === '1' } : { kind: 'none' },
  };
}

function quote(v: string): string {
  return `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * One line of key=value pairs for ${extract}: outcome deny|defer|drop|partner|accept. Exim takes a 5xx text for deny/drop
 * and a 4xx for defer, so the outcome follows the reply's class; drop closes the session (DS-RECV-09).
 */
export function eximAnswer(d: Decision): string {
  if (d.outcome === 'reject' && d.reply) {
    const outcome = d.disconnect ? 'drop' : d.reply.code >= 500 ? 'deny' : 'defer';
    return `outcome=${outcome} rule=${d.rule} reply=${quote(`${d.reply.code} ${d.reply.enhanced} ${d.reply.text}`)}`;
  }
  if (d.outcome === 'partner') return `outcome=partner rule=${d.rule} domain=${d.authDomain ?? ''}`;
  return `outcome=accept rule=${d.rule}`;
}

export function eximPolicyHandler(env: PolicyEnvironment, record: (r: PolicyRecord) => void) {
  return async (a: PolicyAttributes): Promise<PolicyAnswer> => {
    if (a.request === REQUEST_SERVER_CERT) {
      const domain = a.domain ?? '';
      const decision = decideServerName(env, domain, new Uint8Array(Buffer.from(a.cert_der ?? '', 'base64')));
      // An empty answer lets the handshake go on; any text fails it and Exim logs the text (our DS id first).
      const answer = decision.outcome === 'defer' ? `${decision.rule}: ${decision.reason}` : '';
      record({ at: new Date().toISOString(), implementation: 'exim', stage: 'server-certificate', domain, decision, certificate: 'server leaf from Exim (tls:cert event)', answer });
      return { text: answer, close: true };
    }
    if (a.request !== REQUEST_MAIL_FROM) return { text: 'outcome=accept rule=none', close: true };
    const view = eximSessionView(a);
    const verdict = await decideMailFrom(env, view);
    const answer = eximAnswer(verdict.decision);
    record({
      at: new Date().toISOString(), implementation: 'exim', stage: 'mail-from', clientAddress: view.clientAddress, sender: view.sender,
      domain: verdict.facts.senderDomain, decision: verdict.decision, certificate: verdict.certificate, answer,
    });
    return { text: answer, close: true };
  };
}
