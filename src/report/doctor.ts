// doctor: names the cause of a failed delivery from its evidence, in seed 000's checklist terms, with the DS rule and the cmdlet that fixes it.
import type { Decision } from '../orgs/policy/decision.js';
import type { HopEvidence, QueueSnapshot } from '../sim/evidence.js';
import type { CheckId, Finding } from './doctor-checklist.js';

export interface DoctorInput {
  hops: readonly HopEvidence[];
  queues?: readonly (readonly QueueSnapshot[])[];
}

const FAILED = new Set(['reject', 'defer']);
const WINSOCK = /Winsock error code: (\d+)/;

interface HopFacts {
  h: HopEvidence;
  sender: string;
  receiver: string;
  senderDomain: string;
  sendConnector: string;
  receiveConnector: string;
}

function facts(h: HopEvidence): HopFacts {
  const lines = [...h.clientTranscript, ...h.serverTranscript].map((l) => l.text);
  const mailFrom = lines.map((t) => /MAIL FROM:\s*<[^@>]*@([^>\s]+)>/i.exec(t)?.[1]).find(Boolean);
  return {
    h,
    sender: h.from.org,
    receiver: h.to.org ?? h.nextHopDomain,
    senderDomain: (mailFrom ?? h.from.org).toLowerCase(),
    sendConnector: h.from.connector ?? '<send connector>',
    receiveConnector: h.to.connector ?? '<receive connector>',
  };
}

/** Chain status as the decision's info line or reason names it (DS-CERT-06 vocabulary). */
function chainStatus(d: Decision): string | undefined {
  const text = [...(d.info ?? []), d.reason].join(' ');
  return /status(?: was)?:? '(\w+)'/.exec(text)?.[1] ?? /failed validation: (\w+)/.exec(text)?.[1];
}

function tlsError(d: Decision): string {
  return (d.info ?? []).map((i) => /TLS negotiation failed with error (.*)/.exec(i)?.[1]).find(Boolean) ?? d.reason;
}

function renew(thumbprint: string | undefined): string {
  return `Get-ExchangeCertificate -Thumbprint ${thumbprint ?? '<thumbprint>'} | New-ExchangeCertificate -GenerateRequest -KeySize 2048`;
}

function importRoot(partner: string): string {
  return `Import-Certificate -FilePath "C:\\certs\\${partner}-root.cer" -CertStoreLocation Cert:\\LocalMachine\\Root`;
}

function finding(check: CheckId, dsRule: string, f: HopFacts, org: string, text: string, fix: string[]): Finding {
  return { check, dsRule, hop: f.h.id, org, finding: text, fix };
}

/** A chain failure: which DS-CERT rule it breaks decides who must act (the validator imports, the presenter renews). */
function chainFinding(d: Decision, f: HopFacts, validator: string, presenter: string, cert: HopEvidence['certificates']['client']): Finding {
  const status = chainStatus(d) ?? 'unknown';
  const who = `${presenter}'s certificate${cert ? ` (${cert.subject}, issued by ${cert.issuer})` : ''}`;
  switch (status) {
    case 'CertificateExpired':
      return finding('trust', 'DS-CERT-03', f, presenter, `${who} is outside its validity dates (${cert ? `${cert.notBefore} → ${cert.notAfter}` : 'expired'}); ${d.rule} deferred the message.`, [renew(cert?.thumbprint), 'Enable-ExchangeCertificate -Thumbprint <new thumbprint> -Services SMTP']);
    case 'Revoked':
      return finding('trust', 'DS-CERT-04', f, presenter, `${who} is on its issuer's CRL; ${d.rule} deferred the message.`, [renew(cert?.thumbprint), 'Enable-ExchangeCertificate -Thumbprint <new thumbprint> -Services SMTP']);
    case 'WrongUsage':
      return finding('trust', 'DS-CERT-05', f, presenter, `${who} is not valid for both TLS server and client authentication (EKU).`, [`New-ExchangeCertificate -GenerateRequest -SubjectName "CN=${presenter === f.sender ? f.h.from.fqdn : f.h.to.host}" -DomainName ${presenter === f.sender ? f.senderDomain : f.h.nextHopDomain}`]);
    case 'SubjectMismatch':
      return finding('certificate-name', d.rule, f, presenter, `${who} does not cover the partner domain (DS-CERT-02).`, [`New-ExchangeCertificate -GenerateRequest -SubjectName "CN=${f.h.from.fqdn}" -DomainName ${f.senderDomain},${f.h.from.fqdn}`]);
    default:
      return finding('trust', 'DS-CERT-01', f, validator, `${validator} does not trust ${who}: chain status ${status}. ${validator} must import ${presenter}'s root into its trusted root store.`, [importRoot(presenter)]);
  }
}

function forDecision(d: Decision, f: HopFacts): Finding | undefined {
  const { h } = f;
  switch (d.rule) {
    case 'DS-SEND-04':
      return finding('certificate-name', 'DS-SEND-04', f, f.receiver, `${h.to.host} presented a certificate whose names (${h.certificates.server?.names.join(', ') || 'none'}) do not cover ${h.nextHopDomain} (DS-CERT-02); ${f.sender} deferred the message with 454 4.7.5.`,
        [`New-ExchangeCertificate -GenerateRequest -SubjectName "CN=${h.to.host}" -DomainName ${h.nextHopDomain},${h.to.host}`, 'Enable-ExchangeCertificate -Thumbprint <new thumbprint> -Services SMTP']);
    case 'DS-RECV-05':
      return finding('certificate-name', 'DS-RECV-05', f, f.sender, `${f.sender}'s edge presented a client certificate whose names (${h.certificates.client?.names.join(', ') || 'none'}) do not cover the sender domain ${f.senderDomain} (DS-CERT-02); the certificate is picked by the Send connector FQDN ${h.from.fqdn}.`,
        [`New-ExchangeCertificate -GenerateRequest -SubjectName "CN=${h.from.fqdn}" -DomainName ${f.senderDomain},${h.from.fqdn}`, 'Enable-ExchangeCertificate -Thumbprint <new thumbprint> -Services SMTP']);
    case 'DS-CONF-07':
      return finding('certificate-name', 'DS-CONF-07', f, f.sender, `No SMTP certificate matches Send connector "${f.sendConnector}" (FQDN ${h.from.fqdn} or TlsCertificateName): ${d.reason}`,
        ['Get-ExchangeCertificate | Format-List Subject,Issuer,Thumbprint,Services,CertificateDomains', `Set-SendConnector "${f.sendConnector}" -TlsCertificateName "<I>issuer<S>subject"`]);
    case 'DS-SEND-05':
      return chainFinding(d, f, f.sender, f.receiver, h.certificates.server);
    case 'DS-RECV-06':
      return chainFinding(d, f, f.receiver, f.sender, h.certificates.client);
    case 'DS-SEND-03': {
      const err = tlsError(d);
      if (/certificate|unknown ca|bad cert|alert/i.test(err)) {
        return finding('trust', 'DS-SEND-03', f, f.receiver, `The TLS handshake with ${h.to.host} failed (${err}): ${f.receiver} refused ${f.sender}'s certificate.`, [importRoot(f.sender)]);
      }
      return finding('tls-version', 'DS-SEND-03', f, f.receiver, `The TLS handshake with ${h.to.host} failed (${err}); the two edges share no TLS version or cipher. No retry in clear.`,
        ['New-ItemProperty -Path "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server" -Name Enabled -Value 1 -PropertyType DWord -Force']);
    }
    case 'DS-SEND-02':
      if (h.network?.some((n) => /strip-starttls/.test(n))) {
        return finding('starttls-log', 'DS-SEND-02', f, f.sender, `${h.to.host}'s EHLO reply reached ${f.sender} without STARTTLS: something on the path (an SMTP-inspecting firewall) removed it. The message was not sent in clear.`,
          ['Get-ReceiveConnector | Format-List Identity,AuthMechanism,Fqdn   # on the partner: STARTTLS is configured, the path strips it', `Retry-Queue -Identity "<queue for ${h.nextHopDomain}>"   # after the firewall's SMTP inspection is off`]);
      }
      return finding('starttls-log', 'DS-SEND-02', f, f.receiver, `${h.to.host} did not offer STARTTLS, so ${f.sender} could not deliver to the secure domain ${h.nextHopDomain}. The receive connector advertises STARTTLS only with AuthMechanism Tls and a certificate for its FQDN (DS-CONF-07).`,
        ['Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services SMTP', `Set-ReceiveConnector "${f.receiveConnector}" -AuthMechanism Tls`]);
    case 'DS-RECV-03':
      return finding('starttls-log', 'DS-RECV-03', f, f.receiver, `${f.receiver} did not advertise STARTTLS on ${f.receiveConnector}, so the secure domain ${f.senderDomain} was refused with 454 4.7.0.`,
        ['Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services SMTP', `Set-ReceiveConnector "${f.receiveConnector}" -AuthMechanism Tls`]);
    case 'DS-RECV-02':
      return finding('starttls-log', 'DS-RECV-02', f, f.sender, `${f.sender} did not use the STARTTLS ${f.receiver} offered; ${f.senderDomain} is a secure domain there (530 5.7.1).`,
        [`Set-SendConnector "${f.sendConnector}" -IgnoreSTARTTLS:$false -DomainSecureEnabled:$true`, `Set-TransportConfig -TLSSendDomainSecureList @{Add="${h.nextHopDomain}"}`]);
    case 'DS-RECV-04': {
      const opportunistic = h.decisions.some((x) => x.tlsMode === 'opportunistic' || x.tlsMode === 'none');
      if (opportunistic || h.decisions.every((x) => !x.rule.startsWith('DS-SEND'))) {
        return finding('both-sides', 'DS-RECV-04', f, f.sender, `${f.receiver} lists ${f.senderDomain} as a secure domain, but ${f.sender} sent no client certificate: it does not treat ${h.nextHopDomain} as a secure domain (530 5.7.1 Not authenticated).`,
          [`Set-TransportConfig -TLSSendDomainSecureList @{Add="${h.nextHopDomain}"}`, `Set-SendConnector "${f.sendConnector}" -DomainSecureEnabled:$true`]);
      }
      return finding('certificate-name', 'DS-RECV-04', f, f.sender, `${f.sender} sent no client certificate: none enabled for SMTP matches Send connector FQDN ${h.from.fqdn} (DS-CONF-07).`,
        ['Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services SMTP', `Set-SendConnector "${f.sendConnector}" -Fqdn ${h.from.fqdn}`]);
    }
    case 'DS-RECV-01':
      return finding('both-sides', 'DS-RECV-01', f, f.receiver, `${f.receiver} lists ${f.senderDomain} on TLSReceiveDomainSecureList, but its receive connector ${f.receiveConnector} has DomainSecureEnabled false (451 4.7.3).`,
        [`Set-ReceiveConnector "${f.receiveConnector}" -AuthMechanism Tls -DomainSecureEnabled:$true`]);
    case 'DS-SEND-01':
      return finding('both-sides', 'DS-SEND-01', f, f.sender, `${f.sender} lists ${h.nextHopDomain} on TLSSendDomainSecureList, but Send connector "${f.sendConnector}" has DomainSecureEnabled false (451 4.7.3).`,
        [`Set-SendConnector "${f.sendConnector}" -DomainSecureEnabled:$true`]);
    case 'DS-RECV-09':
      return finding('both-sides', 'DS-RECV-09', f, f.receiver, `${f.senderDomain} authenticated as Partner, but ${f.receiveConnector} lacks the Partners permission group (550 5.7.1).`,
        [`Set-ReceiveConnector "${f.receiveConnector}" -PermissionGroups AnonymousUsers,Partners`]);
    case 'DS-RECV-10':
      return finding('starttls-log', 'DS-RECV-10', f, f.sender, `${f.receiver}'s connector requires TLS and ${f.sender} sent without it.`, [`Set-SendConnector "${f.sendConnector}" -IgnoreSTARTTLS:$false`]);
    default:
      return undefined;
  }
}

function socketFinding(f: HopFacts, code: string): Finding {
  const what = code === '10060' ? 'timed out (10060: a firewall drops the packets)' : code === '10061' ? 'was refused (10061: a firewall rejects it, or nothing listens)' : `failed (Winsock ${code})`;
  return finding('firewall', 'DS-QUEUE-06', f, f.receiver, `TCP connection from ${f.h.from.address} to ${f.h.to.address}:${f.h.to.port} ${what}. ${f.sender} keeps the message queued and retries.`,
    [`New-NetFirewallRule -DisplayName "SMTP from ${f.sender}" -Direction Inbound -Protocol TCP -LocalPort 25 -RemoteAddress ${f.h.from.address} -Action Allow`]);
}

/** Delivered, but not as the sender meant: one side of the partnership is not configured (seed 000 step 5). */
function oneSidedSuccess(f: HopFacts): Finding | undefined {
  const { h } = f;
  const sentSecure = h.decisions.some((d) => d.tlsMode === 'domain-secure' || (d.rule === 'DS-SEND-06' && d.outcome === 'sent'));
  const recv = h.decisions.find((d) => d.rule === 'DS-RECV-07');
  if (sentSecure && recv?.outcome === 'accept') {
    return finding('both-sides', 'DS-RECV-07', f, f.receiver, `${f.sender} sent over mutual TLS, but ${f.receiver} does not list ${f.senderDomain} on TLSReceiveDomainSecureList: the message arrived as Anonymous, not Domain Secured.`,
      [`Set-TransportConfig -TLSReceiveDomainSecureList @{Add="${f.senderDomain}"}`]);
  }
  if (recv?.outcome === 'partner' && h.decisions.some((d) => d.tlsMode === 'opportunistic')) {
    return finding('both-sides', 'DS-SEND-06', f, f.sender, `${f.receiver} accepted ${f.senderDomain} as Partner, but ${f.sender} does not list ${h.nextHopDomain} on TLSSendDomainSecureList: it did not verify ${h.to.host}'s certificate.`,
      [`Set-TransportConfig -TLSSendDomainSecureList @{Add="${h.nextHopDomain}"}`, `Set-SendConnector "${f.sendConnector}" -DomainSecureEnabled:$true`]);
  }
  return undefined;
}

export function diagnoseHop(h: HopEvidence): Finding[] {
  const f = facts(h);
  const socket = WINSOCK.exec(h.reply ?? '')?.[1] ?? (h.network?.some((n) => /^drop/.test(n)) ? '10060' : h.network?.some((n) => /^reject/.test(n)) ? '10061' : undefined);
  if (h.result !== 'delivered' && socket && h.clientTranscript.length <= 1) return [socketFinding(f, socket)];
  const failed = h.decisions.filter((d) => FAILED.has(d.outcome));
  const out = failed.map((d) => forDecision(d, f)).filter((x): x is Finding => Boolean(x));
  if (h.result === 'delivered') {
    const one = oneSidedSuccess(f);
    if (one) out.push(one);
  }
  return out;
}

/** Queue LastError lines show socket failures even when no hop was recorded for them. */
function diagnoseQueues(queues: readonly (readonly QueueSnapshot[])[], hops: readonly HopEvidence[]): Finding[] {
  const latest = new Map<string, QueueSnapshot>();
  for (const snap of queues) for (const q of snap) latest.set(q.identity, q);
  const out: Finding[] = [];
  for (const q of latest.values()) {
    const code = WINSOCK.exec(q.lastError ?? '')?.[1];
    if (!code || hops.some((h) => h.nextHopDomain === q.nextHopDomain)) continue;
    const endpoint = /last endpoint attempted was ([\d.]+):(\d+)/.exec(q.lastError ?? '');
    out.push({ check: 'firewall', dsRule: 'DS-QUEUE-06', hop: q.identity, org: q.nextHopDomain,
      finding: `Queue ${q.identity} to ${q.nextHopDomain} is in ${q.status}: ${q.lastError}`,
      fix: [`New-NetFirewallRule -DisplayName "SMTP from partner" -Direction Inbound -Protocol TCP -LocalPort ${endpoint?.[2] ?? 25} -Action Allow`] });
  }
  return out;
}

/**
 * The hop that superseded `h`: a later delivered hop carrying every message `h` carried (a retry, or the
 * Retry-Queue after a fix), or for a hop without messages, a later delivered hop on the same route.
 */
export function supersededBy(h: HopEvidence, hops: readonly HopEvidence[]): string | undefined {
  const later = hops.slice(hops.indexOf(h) + 1).filter((x) => x.result === 'delivered' && x.from.org === h.from.org && x.nextHopDomain === h.nextHopDomain);
  if (later.length === 0) return undefined;
  if (h.messageIds.length === 0) return later[0].id;
  const by = h.messageIds.map((m) => later.find((x) => x.messageIds.includes(m))?.id);
  return by.every(Boolean) ? by[by.length - 1] : undefined;
}

/** Hops whose messages' latest attempt was not delivered: what is wrong now. */
export function currentHops(hops: readonly HopEvidence[]): HopEvidence[] {
  return hops.filter((h) => h.result !== 'delivered' && !supersededBy(h, hops));
}

/**
 * Every finding once: the same cause on many retries is one thing to fix. Each message is judged by its latest attempt:
 * a finding on hops that later attempts delivered is marked fixed (fixedBy), unless the same cause still stands elsewhere.
 */
export function diagnose(input: DoctorInput): Finding[] {
  const all = [
    ...input.hops.flatMap((h) => {
      const fixedBy = h.result === 'delivered' ? undefined : supersededBy(h, input.hops);
      return diagnoseHop(h).map((f) => (fixedBy ? { ...f, fixedBy } : f));
    }),
    ...diagnoseQueues(input.queues ?? [], input.hops),
  ];
  const byKey = new Map<string, Finding>();
  const keyOf = (x: Finding) => `${x.check}|${x.dsRule}|${x.org}|${x.fix.join('\n')}`;
  const stillStands = new Set(all.filter((x) => !x.fixedBy).map(keyOf));
  for (const x of all) {
    if (x.fixedBy && stillStands.has(keyOf(x))) continue; // fixed once, broken again: one current finding
    const key = keyOf(x);
    const seen = byKey.get(key);
    if (seen) {
      seen.hop = [seen.hop, x.hop].filter(Boolean).join(', ');
      if (x.fixedBy) seen.fixedBy = x.fixedBy;
    } else byKey.set(key, { ...x });
  }
  return [...byKey.values()];
}
