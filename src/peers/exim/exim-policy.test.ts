// Exim's readsocket requests and the one-line answers the rendered ACL extracts.
import { describe, expect, it } from 'vitest';
import { REPLIES } from '../../orgs/index.js';
import { eximAnswer, eximSessionView } from './exim-policy.js';

describe('Exim policy requests', () => {
  it('reads the base64 leaf and Exim\'s own verdict', () => {
    const v = eximSessionView({ sender: 'kim@adatum.com', client_address: '127.0.1.1', encryption_protocol: 'TLS1.3', cert_verified: '0', ccert_der: 'AAEC' });
    expect(v).toMatchObject({ tls: true, certificate: { kind: 'leaf', mtaVerified: false } });
    expect(eximSessionView({ sender: '', encryption_protocol: '', ccert_der: '' })).toMatchObject({ sender: undefined, tls: false, certificate: { kind: 'none' } });
  });

  it('answers one ${extract}-able line; the reply class picks deny or defer, DS-RECV-09 drops the session', () => {
    expect(eximAnswer({ rule: 'DS-RECV-04', outcome: 'reject', reason: '', reply: REPLIES.notAuthenticated })).toBe('outcome=deny rule=DS-RECV-04 reply="530 5.7.1 Not authenticated"');
    expect(eximAnswer({ rule: 'DS-RECV-05', outcome: 'reject', reason: '', reply: REPLIES.certValidation })).toBe('outcome=defer rule=DS-RECV-05 reply="454 4.7.5 Certificate validation failure"');
    expect(eximAnswer({ rule: 'DS-RECV-09', outcome: 'reject', reason: '', reply: REPLIES.noPermission, disconnect: true })).toMatch(/^outcome=drop /);
    expect(eximAnswer({ rule: 'DS-RECV-07', outcome: 'partner', reason: '', authDomain: 'adatum.com' })).toBe('outcome=partner rule=DS-RECV-07 domain=adatum.com');
  });
});
