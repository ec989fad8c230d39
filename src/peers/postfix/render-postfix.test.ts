// The rendered Postfix instance says what docs/interop.md promises (listener, per-partner policy maps, policy service, header nonce).
import { beforeAll, describe, expect, it } from 'vitest';
import { planPeer, type PeerPlan } from '../peer-plan.js';
import { addOutboundFaults, buildInteropLab, OUTBOUND_FAULTS } from '../testing/interop-lab.js';
import { renderPostfix } from './render-postfix.js';

let plan: PeerPlan;
let files: Record<string, string>;
beforeAll(async () => {
  const lab = await buildInteropLab();
  addOutboundFaults(lab);
  plan = planPeer(lab.trey.org, { workDir: '.tmp', port: 2525, relayHost: { address: '127.0.1.1', port: 2526 } });
  files = renderPostfix(plan, { root: '/srv/pf', policy: { address: '127.0.0.1', port: 10040 }, nonce: 'abc', mailOwner: { uid: 65534, gid: 65534 } });
});

describe('renderPostfix', () => {
  it('listens on the edge address in master.cf and gives each secure partner its own smtp transport and policy map', () => {
    expect(files['etc/master.cf']).toContain('127.0.2.1:2525 inet n - n - - smtpd');
    expect(files['etc/transport']).toContain('adatum.com ds-secure-1:[127.0.1.1]:2526');
    expect(files['etc/tls-policy-1']).toBe('[127.0.1.1]:2526 secure match=adatum.com:.adatum.com\n');
    expect(files['etc/master.cf']).toContain('ds-secure-1 unix - - n - - smtp -o smtp_tls_policy_maps=texthash:/srv/pf/etc/tls-policy-1');
  });

  it('keeps a listed domain whose connector is not DomainSecureEnabled queued with Exchange\'s words (DS-SEND-01)', () => {
    expect(files['etc/transport']).toContain(`${OUTBOUND_FAULTS.disallowed.domain} retry:4.7.3 The admin has temporarily disallowed this secure domain`);
  });

  it('asks for client certificates and sends every MAIL FROM to the policy service, with and without a certificate', () => {
    const main = files['etc/main.cf'];
    expect(main).toMatch(/^smtpd_tls_ask_ccert = yes$/m);
    expect(main).toMatch(/^smtpd_delay_reject = no$/m);
    expect(main).toMatch(/^smtpd_sender_restrictions = check_ccert_access static:ds_ccert_present, check_policy_service \{ inet:127\.0\.0\.1:10040, policy_context=ccert-absent/m);
    expect(main).toContain('ds_ccert_present = check_policy_service { inet:127.0.0.1:10040, policy_context=ccert-present');
  });

  it('strips client-sent X-MS-Exchange-Organization-Auth* and keeps only the nonce-marked ones it added (DS-RECV-08)', () => {
    expect(files['etc/header_checks'].split('\n').slice(0, 2)).toEqual([
      '/^X-Domsec-abc-(Auth[A-Za-z]+):(.*)$/ REPLACE X-MS-Exchange-Organization-$1:$2', '/^X-MS-Exchange-Organization-Auth/ IGNORE',
    ]);
  });

  it('refuses a work directory Postfix would split', () => {
    expect(() => renderPostfix(plan, { root: '/srv/my dir', policy: { address: '127.0.0.1', port: 1 }, nonce: 'n', mailOwner: { uid: 1, gid: 1 } })).toThrow(expect.objectContaining({ code: 'ERR_MTA_START' }));
  });
});
