// Renders a private Exim 4 configuration (one -C file plus PEM files) from a PeerPlan: pure text, no files touched here.
import { DomsecError } from '../../errors.js';
import { type OutboundRoute, pemBundle, type PeerPlan } from '../peer-plan.js';
import { REQUEST_MAIL_FROM, REQUEST_SERVER_CERT } from './exim-policy.js';

export interface EximLayout {
  root: string;
  binary: string;
  policy: { address: string; port: number };
}

export const EXIM_PATHS = (root: string) => ({
  etc: `${root}/etc`, conf: `${root}/etc/exim.conf`, spool: `${root}/spool`, log: `${root}/log`, mainlog: `${root}/log/mainlog`,
  paniclog: `${root}/log/paniclog`, mail: `${root}/mail`, inbox: `${root}/mail/inbox`,
});

const AUTH_HEADERS = ['AuthSource', 'AuthAs', 'AuthMechanism', 'AuthDomain'].map((h) => `X-MS-Exchange-Organization-${h}`);

function checkPath(p: string): string {
  if (/[\s:;${}"\\]/.test(p)) throw new DomsecError('ERR_MTA_START', `Exim cannot use the path "${p}" safely (white space or list/expansion characters). Choose another workDir.`);
  return p;
}

function readsocket(policy: EximLayout['policy'], request: string, failure: string): string {
  return `\${readsocket{inet:${policy.address}:${policy.port}}{${request}}{5s}{ }{${failure}}}`;
}

export function renderExim(plan: PeerPlan, layout: EximLayout): Record<string, string> {
  const p = EXIM_PATHS(checkPath(layout.root));
  const cert = plan.certificate;
  const files: Record<string, string> = {};
  if (cert) {
    files['etc/edge-cert.pem'] = pemBundle([cert.certificate, ...cert.chain.filter((c) => !c.isSelfSigned)]);
    files['etc/edge-key.pem'] = cert.privateKeyPem.trim() + '\n';
  }
  const roots = plan.trustedRoots.length > 0;
  if (roots) files['etc/trusted-roots.pem'] = pemBundle(plan.trustedRoots);
  const tlsFiles = cert ? [`tls_certificate = ${p.etc}/edge-cert.pem`, `tls_privatekey = ${p.etc}/edge-key.pem`] : [];
  const verifyFile = roots ? `${p.etc}/trusted-roots.pem` : '';

  const mailRequest = [
    `request=${REQUEST_MAIL_FROM}`, 'sender=$sender_address', 'client_address=$sender_host_address', 'encryption_protocol=$tls_in_ver',
    'cert_verified=$tls_in_certificate_verified', 'ccert_der=${if def:tls_in_peercert {${base64:$tls_in_peercert}}}',
  ].join('\\n') + '\\n\\n';
  const certRequest = `request=${REQUEST_SERVER_CERT}\\ndomain=$domain\\ncert_der=\${base64:$tls_out_peercert}\\n\\n`;
  const ds = (key: string) => `\${extract{${key}}{$acl_m_ds}}`;
  const isOutcome = (o: string) => `\${if eq{${ds('outcome')}}{${o}}}`;

  const main = [
    '# Rendered by domsec from the Organization model; do not edit.',
    `exim_path = ${layout.binary}`,
    `primary_hostname = ${plan.fqdn}`, `qualify_domain = ${plan.domains[0]}`,
    `spool_directory = ${p.spool}`, `log_file_path = ${p.log}/%slog`, `pid_file_path = ${p.spool}/exim.pid`,
    `local_interfaces = <; ${plan.address}.${plan.port}`,
    'keep_environment =', 'host_lookup =', 'rfc1413_hosts =', 'never_users = root',
    `domainlist local_domains = ${plan.domains.join(' : ')}`,
    `hostlist relay_hosts = <; ${plan.address}`,
    `tls_advertise_hosts = ${plan.starttlsAdvertised ? '*' : ''}`,
    ...(plan.starttlsAdvertised ? tlsFiles : []),
    ...(roots ? [`tls_verify_certificates = ${verifyFile}`] : []),
    // Ask for a client certificate without requiring one: the DS policy decides at MAIL FROM (§3).
    `tls_try_verify_hosts = ${plan.askClientCertificate && roots ? '*' : ''}`,
    'log_selector = +tls_peerdn +tls_certificate_verified +tls_cipher +received_recipients +smtp_connection +outgoing_port',
    'acl_smtp_mail = acl_check_mail', 'acl_smtp_rcpt = acl_check_rcpt', 'acl_smtp_data = acl_check_data',
    `timeout_frozen_after = ${plan.queue.lifetimeSeconds}s`, `ignore_bounce_errors_after = ${plan.queue.lifetimeSeconds}s`,
    '',
    'begin acl',
    'acl_check_mail:',
    `  warn  set acl_m_ds = ${readsocket(layout.policy, mailRequest, 'outcome=defer rule=DS-POLICY reply="451 4.3.0 Domain security policy service unavailable"')}`,
    ...(['drop', 'deny', 'defer'] as const).flatMap((verb) => [
      `  ${verb}  condition = ${isOutcome(verb)}`,
      `        message = ${ds('reply')}`,
      `        log_message = ${ds('rule')} ${ds('reply')}`,
    ]),
    '  accept',
    '',
    'acl_check_rcpt:',
    '  accept  domains = +local_domains',
    '  accept  hosts = +relay_hosts',
    '  deny    message = 550 5.7.1 Relay not permitted',
    '',
    'acl_check_data:',
    // DS-RECV-08: the family is stripped on the way in, then this edge's own verdict is added.
    `  warn  remove_header = ${AUTH_HEADERS.join(' : ')}`,
    `  warn  add_header = X-MS-Exchange-Organization-AuthSource: ${plan.fqdn}`,
    `  warn  condition = ${isOutcome('partner')}`,
    `        add_header = X-MS-Exchange-Organization-AuthAs: Partner\\nX-MS-Exchange-Organization-AuthMechanism: 02\\nX-MS-Exchange-Organization-AuthDomain: ${ds('domain')}`,
    `  warn  condition = \${if !eq{${ds('outcome')}}{partner}}`,
    '        add_header = X-MS-Exchange-Organization-AuthAs: Anonymous',
    '  accept',
    '',
    'begin routers',
    ...renderRouters(plan),
    '',
    'begin transports',
    'maildir_delivery:', '  driver = appendfile', `  directory = ${p.inbox}`, '  maildir_format', '  envelope_to_add', '  return_path_add', '  delivery_date_add',
    ...plan.routes.concat(plan.defaultRoute ? [plan.defaultRoute] : []).flatMap((r, i) => renderTransport(plan, r, i, tlsFiles, verifyFile, layout, certRequest)),
    '',
    'begin retry',
    `* * F,${plan.queue.lifetimeSeconds}s,${plan.queue.retrySeconds}s`,
    '',
  ];
  files['etc/exim.conf'] = main.join('\n');
  return files;
}

function routerName(r: OutboundRoute, i: number): string {
  return r.domain === '*' ? 'default_route' : `route_${i + 1}`;
}

function renderRouters(plan: PeerPlan): string[] {
  const out: string[] = [];
  plan.routes.forEach((r, i) => {
    if (r.mode === 'disallowed') {
      // DS-SEND-01: listed, but its connector is not DomainSecureEnabled: stays queued, never sent.
      out.push(`${routerName(r, i)}:`, '  driver = redirect', `  domains = ${r.domain}`, '  allow_defer', '  data = :defer: 451 4.7.3 The admin has temporarily disallowed this secure domain');
      return;
    }
    out.push(`${routerName(r, i)}:`, '  driver = manualroute', `  domains = ${r.domain}`, `  route_list = * ${r.nextHop.address}`, `  transport = ${routerName(r, i)}_smtp`, '  self = send');
  });
  if (plan.defaultRoute) {
    out.push('default_route:', '  driver = manualroute', '  domains = ! +local_domains', `  route_list = * ${plan.defaultRoute.nextHop.address}`, '  transport = default_route_smtp', '  self = send');
  } else {
    out.push('no_route:', '  driver = redirect', '  domains = ! +local_domains', '  allow_defer', '  data = :defer: No route to this domain in the harness');
  }
  out.push('local_user:', '  driver = accept', '  domains = +local_domains', '  transport = maildir_delivery');
  return out;
}

function renderTransport(plan: PeerPlan, r: OutboundRoute, i: number, tlsFiles: string[], verifyFile: string, layout: EximLayout, certRequest: string): string[] {
  if (r.mode === 'disallowed') return [];
  const head = [`${routerName(r, i)}_smtp:`, '  driver = smtp', `  port = ${r.nextHop.port}`, `  interface = ${plan.address}`, `  helo_data = ${r.heloName}`,
    ...tlsFiles.map((l) => `  ${l}`)];
  switch (r.mode) {
    case 'domain-secure':
      return [...head, '  hosts_require_tls = *', '  tls_verify_hosts = *', ...(verifyFile ? [`  tls_verify_certificates = ${verifyFile}`] : []),
        // Exim checks names against the host it connected to (an IP here); DS-CERT-02 wants the domain: the policy service decides.
        '  tls_verify_cert_hostnames =',
        `  event_action = \${if eq{$event_name}{tls:cert}{\${if eq{$event_data}{0}{${readsocket(layout.policy, certRequest, 'DS-SEND-04: domain security policy service unavailable')}}}}}`];
    case 'require-tls':
      return [...head, '  hosts_require_tls = *', '  tls_verify_hosts =', '  tls_try_verify_hosts =', '  tls_verify_cert_hostnames ='];
    case 'none':
      return [...head, '  hosts_avoid_tls = *'];
    default:
      // Opportunistic: TLS if offered, any certificate accepted.
      return [...head, '  tls_verify_hosts =', '  tls_try_verify_hosts =', '  tls_verify_cert_hostnames ='];
  }
}
