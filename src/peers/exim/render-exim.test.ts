// The rendered Exim configuration says what docs/interop.md promises (listener, ask-not-require, secure transports, DS-SEND-01, DS-RECV-08).
import { beforeAll, describe, expect, it } from 'vitest';
import { planPeer } from '../peer-plan.js';
import { addOutboundFaults, buildInteropLab, OUTBOUND_FAULTS } from '../testing/interop-lab.js';
import { renderExim } from './render-exim.js';

let conf: string;
beforeAll(async () => {
  const lab = await buildInteropLab();
  addOutboundFaults(lab);
  const plan = planPeer(lab.trey.org, { workDir: '.tmp', port: 2525, relayHost: { address: '127.0.1.1', port: 2526 } });
  conf = renderExim(plan, { root: '/srv/ex', binary: '/opt/domsec-exim/usr/sbin/exim4', policy: { address: '127.0.0.1', port: 10041 } })['etc/exim.conf'];
});

describe('renderExim', () => {
  it('listens on the edge address and asks for (never requires) a client certificate', () => {
    expect(conf).toContain('local_interfaces = <; 127.0.2.1.2525');
    expect(conf).toMatch(/^tls_try_verify_hosts = \*$/m);
    expect(conf).toContain('acl_smtp_mail = acl_check_mail');
  });

  it('secure routes require TLS, verify the chain, and leave the name rule to the policy service (DS-SEND-04)', () => {
    const t = conf.slice(conf.indexOf('route_1_smtp:'), conf.indexOf('\n\n', conf.indexOf('route_1_smtp:')));
    expect(t).toContain('hosts_require_tls = *');
    expect(t).toContain('tls_verify_hosts = *');
    expect(t).toContain('tls_verify_cert_hostnames =');
    expect(t).toContain('request=exim_server_cert');
  });

  it('defers a listed domain whose connector is not DomainSecureEnabled (DS-SEND-01)', () => {
    expect(conf).toMatch(new RegExp(`domains = ${OUTBOUND_FAULTS.disallowed.domain.replace('.', '\\.')}\\n  allow_defer\\n  data = :defer: 451 4\\.7\\.3 The admin has temporarily disallowed this secure domain`));
  });

  it('logs the policy\'s DS id with every refusal, and re-adds the Auth headers only after stripping them (DS-RECV-08)', () => {
    expect(conf).toContain('log_message = ${extract{rule}{$acl_m_ds}} ${extract{reply}{$acl_m_ds}}');
    expect(conf.indexOf('remove_header = X-MS-Exchange-Organization-AuthSource')).toBeLessThan(conf.indexOf('add_header = X-MS-Exchange-Organization-AuthSource'));
  });
});
