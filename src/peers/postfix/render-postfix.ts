// Renders a private Postfix instance (main.cf, master.cf, maps, PEM files) from a PeerPlan: pure text, no files touched here.
import { DomsecError } from '../../errors.js';
import { type OutboundRoute, pemBundle, type PeerPlan } from '../peer-plan.js';
import { ANONYMOUS_CLASS, CONTEXT_CERT_ABSENT, CONTEXT_CERT_PRESENT, PARTNER_CLASS } from './postfix-policy.js';

export interface PostfixLayout {
  root: string; // instance directory; etc/, queue/, data/, mail/, log/ below it
  policy: { address: string; port: number };
  /** Random per instance: only headers carrying it survive header_checks (spoofed X-MS-Exchange-Organization-Auth* never do). */
  nonce: string;
  /** uid:gid the virtual(8) agent delivers as. */
  mailOwner: { uid: number; gid: number };
}

export const POSTFIX_PATHS = (root: string) => ({
  etc: `${root}/etc`, queue: `${root}/queue`, data: `${root}/data`, mail: `${root}/mail`, log: `${root}/log`, maillog: `${root}/log/maillog`,
  inbox: `${root}/mail/inbox`,
});

/** Postfix splits parameter values on whitespace and commas; a path with those would silently break the instance. */
function checkPath(p: string): string {
  if (/[\s,{}]/.test(p)) throw new DomsecError('ERR_MTA_START', `Postfix cannot use the path "${p}": it contains white space, a comma or a brace. Choose another workDir.`);
  return p;
}

const DISALLOWED = 'retry:4.7.3 The admin has temporarily disallowed this secure domain';

/** Transport name per domain-secure route: its own smtp(8) clone with its own policy map, so two partners behind one hop never share a match list. */
function transportName(i: number): string {
  return `ds-secure-${i + 1}`;
}

function hop(r: OutboundRoute): string {
  return `[${r.nextHop.address}]:${r.nextHop.port}`;
}

export function renderPostfix(plan: PeerPlan, layout: PostfixLayout): Record<string, string> {
  const p = POSTFIX_PATHS(checkPath(layout.root));
  const files: Record<string, string> = {};
  const secure = plan.routes.filter((r) => r.mode === 'domain-secure');
  const cert = plan.certificate;

  const transport = plan.routes.map((r) => {
    if (r.mode === 'disallowed') return `${r.domain} ${DISALLOWED}`; // DS-SEND-01: stays queued, never sent
    if (r.mode === 'domain-secure') return `${r.domain} ${transportName(secure.indexOf(r))}:${hop(r)}`;
    return `${r.domain} ${plainTransport(r)}:${hop(r)}`;
  });
  files['etc/transport'] = transport.join('\n') + '\n';
  secure.forEach((r, i) => {
    // secure match=d:.d — Postfix's ".d" admits any depth below d; Exchange admits one label (documented divergence).
    files[`etc/tls-policy-${i + 1}`] = `${hop(r)} secure match=${r.domain}:.${r.domain}\n`;
  });
  if (cert) {
    // One file, key first then leaf and intermediates: the order smtpd_tls_chain_files wants.
    files['etc/edge-chain.pem'] = cert.privateKeyPem.trim() + '\n' + pemBundle([cert.certificate, ...cert.chain.filter((c) => !c.isSelfSigned)]);
  }
  files['etc/trusted-roots.pem'] = pemBundle(plan.trustedRoots);
  const n = layout.nonce;
  files['etc/auth-domain.regexp'] = `/@([^@]+)$/ PREPEND X-Domsec-${n}-AuthDomain: $1\n`;
  files['etc/header_checks'] = [
    `/^X-Domsec-${n}-(Auth[A-Za-z]+):(.*)$/ REPLACE X-MS-Exchange-Organization-$1:$2`,
    '/^X-MS-Exchange-Organization-Auth/ IGNORE', // DS-RECV-08: the family is stripped on the way in
    '/^X-Domsec-/ IGNORE',
  ].join('\n') + '\n';

  const policy = (ctx: string) =>
    `check_policy_service { inet:${layout.policy.address}:${layout.policy.port}, policy_context=${ctx}, { default_action = 451 4.3.0 Domain security policy service unavailable } }`;
  const prepend = (name: string, value: string) => `check_sender_access static:{PREPEND X-Domsec-${n}-${name}: ${value}}`;
  const q = plan.queue;
  const main: [string, string][] = [
    ['compatibility_level', '3.6'],
    ['queue_directory', p.queue], ['data_directory', p.data], ['mail_owner', 'postfix'],
    ['myhostname', plan.fqdn], ['mydomain', plan.domains[0]], ['myorigin', plan.domains[0]], ['mydestination', ''],
    // Postfix insists that inet_interfaces are addresses of a real interface; 127.0.x.y aliases are not. The listener is bound
    // to the edge address in master.cf instead, and the client binds it with smtp_bind_address.
    ['inet_interfaces', '127.0.0.1'], ['inet_protocols', 'ipv4'], ['smtp_bind_address', plan.address],
    ['mynetworks', `${plan.address}/32`], ['relayhost', ''],
    ['maillog_file', p.maillog], ['maillog_file_prefixes', p.log],
    ['alias_maps', ''], ['alias_database', ''], ['biff', 'no'], ['smtputf8_enable', 'no'],
    ['smtp_dns_support_level', 'disabled'], ['smtpd_peername_lookup', 'no'], ['smtpd_client_port_logging', 'yes'],
    ['virtual_mailbox_domains', plan.domains.join(' ')], ['virtual_mailbox_base', p.mail],
    // One catch-all Maildir; mailbox(address) reads Delivered-To (regexp $n substitution is not allowed in virtual(8) maps).
    ['virtual_mailbox_maps', 'static:inbox/'],
    ['virtual_uid_maps', `static:${layout.mailOwner.uid}`], ['virtual_gid_maps', `static:${layout.mailOwner.gid}`],
    ['transport_maps', `texthash:${p.etc}/transport`],
    // Nowhere to go: keep it queued (no message is ever dropped silently).
    ['default_transport', plan.defaultRoute ? defaultTransport(plan.defaultRoute) : 'retry:4.4.1 No route to this domain in the harness'],
    ['header_checks', `regexp:${p.etc}/header_checks`],
    ['smtpd_tls_security_level', plan.starttlsAdvertised ? 'may' : 'none'],
    ...(cert ? [['smtpd_tls_chain_files', `${p.etc}/edge-chain.pem`] as [string, string]] : []),
    ['smtpd_tls_ask_ccert', plan.askClientCertificate ? 'yes' : 'no'],
    ['smtpd_tls_CAfile', `${p.etc}/trusted-roots.pem`],
    ['smtpd_tls_loglevel', '1'], ['smtpd_tls_received_header', 'yes'],
    // Sender checks at MAIL FROM, as Exchange does (Postfix would otherwise wait for RCPT).
    ['smtpd_delay_reject', 'no'],
    ['smtpd_restriction_classes', `ds_ccert_present, ${PARTNER_CLASS}, ${ANONYMOUS_CLASS}`],
    ['ds_ccert_present', `${policy(CONTEXT_CERT_PRESENT)}, permit`],
    [PARTNER_CLASS, [prepend('AuthSource', plan.fqdn), prepend('AuthAs', 'Partner'), prepend('AuthMechanism', '02'),
      `check_sender_access regexp:${p.etc}/auth-domain.regexp`, 'permit'].join(', ')],
    [ANONYMOUS_CLASS, [prepend('AuthSource', plan.fqdn), prepend('AuthAs', 'Anonymous'), 'permit'].join(', ')],
    // check_ccert_access matches any presented certificate (trusted or not), which tells "none" from "untrusted".
    ['smtpd_sender_restrictions', `check_ccert_access static:ds_ccert_present, ${policy(CONTEXT_CERT_ABSENT)}`],
    ['smtpd_relay_restrictions', 'permit_mynetworks, reject_unauth_destination'],
    ['smtpd_policy_service_timeout', '10s'],
    ['smtp_tls_security_level', 'may'],
    ...(cert ? [['smtp_tls_chain_files', `${p.etc}/edge-chain.pem`] as [string, string]] : []),
    ['smtp_tls_CAfile', `${p.etc}/trusted-roots.pem`], ['smtp_tls_loglevel', '1'],
    ['smtp_helo_name', plan.defaultRoute?.heloName ?? plan.fqdn], ['smtp_connect_timeout', '5s'],
    ['queue_run_delay', `${q.retrySeconds}s`], ['minimal_backoff_time', `${q.retrySeconds}s`], ['maximal_backoff_time', `${q.retrySeconds * 2}s`],
    // Postfix caps bounce_queue_lifetime at maximal_queue_lifetime (and says so in the log when it is larger), and discards an
    // NDR that outlives it: its sender is <>. So no Postfix wait may outlast the compressed lifetime: a delivery agent or a
    // daemon that failed once is tried again on the queue's retry clock, not after Postfix's 60 s (DS-QUEUE-05: the NDR
    // reaches its sender; postfix-transient-agent.test.ts).
    ['maximal_queue_lifetime', `${q.lifetimeSeconds}s`], ['bounce_queue_lifetime', `${q.lifetimeSeconds}s`],
    ['transport_retry_time', `${q.retrySeconds}s`], ['service_throttle_time', `${q.retrySeconds}s`],
  ];
  files['etc/main.cf'] = '# Rendered by domsec from the Organization model; do not edit.\n' + main.map(([k, v]) => `${k} = ${v}`).join('\n') + '\n';
  files['etc/master.cf'] = renderMaster(plan, secure, p.etc);
  return files;
}

function plainTransport(r: OutboundRoute): string {
  return r.mode === 'none' ? 'plain' : r.mode === 'require-tls' ? 'encrypt' : 'smtp';
}

function defaultTransport(r: OutboundRoute): string {
  return `${plainTransport(r)}:${hop(r)}`;
}

function renderMaster(plan: PeerPlan, secure: OutboundRoute[], etc: string): string {
  const lines = [
    '# service type private unpriv chroot wakeup maxproc command',
    `${plan.address}:${plan.port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup', 'cleanup unix n - n - 0 cleanup', 'qmgr unix n - n 300 1 qmgr',
    'tlsmgr unix - - n 1000? 1 tlsmgr', 'rewrite unix - - n - - trivial-rewrite', 'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce', 'trace unix - - n - 0 bounce', 'verify unix - - n - 1 verify', 'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap', 'smtp unix - - n - - smtp', 'relay unix - - n - - smtp', 'showq unix n - n - - showq',
    'error unix - - n - - error', 'retry unix - - n - - error', 'discard unix - - n - - discard', 'virtual unix - n n - - virtual',
    'anvil unix - - n - 1 anvil', 'scache unix - - n - 1 scache', 'postlog unix-dgram n - n - 1 postlogd',
    // IgnoreSTARTTLS connectors: never try TLS.
    'plain unix - - n - - smtp -o smtp_tls_security_level=none',
    // RequireTLS connectors (not domain-secure): encryption without certificate checks.
    'encrypt unix - - n - - smtp -o smtp_tls_security_level=encrypt',
  ];
  secure.forEach((r, i) => {
    lines.push(`${transportName(i)} unix - - n - - smtp -o smtp_tls_policy_maps=texthash:${etc}/tls-policy-${i + 1} -o smtp_helo_name=${r.heloName}`);
  });
  return lines.join('\n') + '\n';
}
