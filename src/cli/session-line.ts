// The line `lab up` prints as each SMTP session ends: who connected, which receive connector took it, the deciding DS rule, the reply.
import type { SessionSummary } from '../sim/index.js';

/**
 * `session 127.0.0.1:41234 mail.adatum.com → treyresearch.net/EX1 "EX1\From adatum.com" TLS, cert CN=mail.adatum.com:
 * DS-RECV-07 partner → 250 2.6.0 … Queued mail for delivery`, on one line.
 */
export function sessionLine(s: SessionSummary): string {
  const who = [s.remote, s.ehlo, s.hop ? `(${s.from ?? 'lab'} ${s.hop})` : undefined].filter(Boolean).join(' ');
  const where = `${s.org}/${s.edge}${s.connector ? ` "${s.connector}"` : ' (no receive connector for this address)'}`;
  const tls = s.tls ? ` TLS${s.clientCertificate ? `, cert ${s.clientCertificate}` : ', no client cert'}` : '';
  const rule = s.decision ? `${s.decision.rule} ${s.decision.outcome}` : 'no MAIL FROM';
  return `session ${who} → ${where}${tls}: ${rule} → ${s.reply ?? '(no reply)'}`;
}
