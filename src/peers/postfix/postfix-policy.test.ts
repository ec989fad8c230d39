// Postfix policy requests → MTA session views, and decisions → access(5) actions.
import { describe, expect, it } from 'vitest';
import { REPLIES } from '../../orgs/index.js';
import { decodeXtext, postfixAction, postfixSessionView } from './postfix-policy.js';

describe('Postfix policy requests', () => {
  it('decodes xtext names', () => {
    expect(decodeXtext('adatum+20Root')).toBe('adatum Root');
  });

  it('tells none, untrusted and verified apart with policy_context plus ccert_subject', () => {
    const base = { request: 'smtpd_access_policy', sender: 'kim@adatum.com', client_address: '127.0.1.1', encryption_protocol: 'TLSv1.3' };
    expect(postfixSessionView({ ...base, policy_context: 'ccert-absent' }).certificate.kind).toBe('none');
    expect(postfixSessionView({ ...base, policy_context: 'ccert-present', ccert_fingerprint: 'AB:CD' }).certificate.kind).toBe('untrusted-by-mta');
    expect(postfixSessionView({ ...base, policy_context: 'ccert-present', ccert_subject: 'mail.adatum.com' }).certificate).toMatchObject({ kind: 'verified-by-mta', names: ['mail.adatum.com'] });
    expect(postfixSessionView({ ...base, encryption_protocol: '', policy_context: 'ccert-absent' }).tls).toBe(false);
  });

  it('maps decisions onto access(5) actions: the reply verbatim, or the header classes', () => {
    expect(postfixAction({ rule: 'DS-RECV-04', outcome: 'reject', reason: '', reply: REPLIES.notAuthenticated })).toBe('530 5.7.1 Not authenticated');
    expect(postfixAction({ rule: 'DS-RECV-07', outcome: 'partner', reason: '' })).toBe('ds_partner');
    expect(postfixAction({ rule: 'DS-RECV-07', outcome: 'accept', reason: '' })).toBe('ds_anonymous');
  });
});
