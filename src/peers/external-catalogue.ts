// The conformance catalogue against an outside MTA (issue 9 item 5): every check that applies to the role it plays,
// what each concluded (pass / divergent / not observable / not applicable) and the evidence per hop behind it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Certificate, KeyedCertificate } from '../ca/index.js';
import type { HopEvidence } from '../sim/index.js';
import type { InteropRole } from './interop-expectations.js';
import type { MtaAdapter } from './mta-adapter.js';
import { runReceiverChecks } from './external-receiver-checks.js';
import { runSenderChecks } from './external-sender-checks.js';
import { CHECK_FAULTS, issueCheckCertificates } from './external-check-certificates.js';

export type ExternalStatus = 'pass' | 'divergent' | 'not-observable' | 'not-applicable';

export interface ExternalCheckResult {
  /** Stable: `receiver/expired`, `sender/no-starttls`. */
  id: string;
  role: InteropRole;
  rules: string[];
  title: string;
  expected: string;
  status: ExternalStatus;
  actual: string;
  /** The SMTP sessions behind the verdict, as the harness saw them (its own side of the dialogue). */
  hops: HopEvidence[];
  /** Other evidence by name (who fetched the CRL). */
  logs?: Record<string, string[]>;
  durationMs: number;
}

export interface ExternalTarget {
  /** The organization the outside MTA plays, and the partner the harness plays for it. */
  domain: string;
  partner: string;
  /** Where the MTA listens (host as given, address resolved). */
  host: string;
  address: string;
  port: number;
  /** Where the harness submits mail for the MTA to send (sender role); absent: the sender role is not observable. */
  submit?: { host: string; port: number };
  /** The partner edge the MTA's mail to the partner domain is routed to (the lab's address and port for it). */
  partnerEdge: { address: string; port: number; fqdn: string };
  partnerIssuing: KeyedCertificate;
  /** What the partner trusts for the MTA's own certificate: its organization's root and issuing CA. */
  externalRoots: Certificate[];
  /** The real time the MTA judges certificates by. */
  now: Date;
}

/** Real-time bounds of the sender role (the MTA's own scheduling decides when it connects). */
export interface ExternalTiming {
  /** Longest wait for the MTA's session under one fault. */
  windowMs: number;
  /** A refusal is believed once the MTA ended a session without a message and sent none for this long. */
  quietMs: number;
  /** Longest wait, at the end, for the messages the faults deferred to arrive at the good partner. */
  drainMs: number;
}

/** The drain ends as soon as everything arrived: its bound is only paid when a message is missing (a loaded machine slows the MTA's retries). */
export const DEFAULT_TIMING: ExternalTiming = { windowMs: 15_000, quietMs: 1_000, drainMs: 30_000 };

export type ExternalRole = 'receiver' | 'sender' | 'both';

/** Rules the run cannot put to an outside MTA, each with the reason (shown in the report, never counted as passed). */
export const NOT_APPLICABLE: { id: string; role: InteropRole; rules: string[]; title: string; reason: string }[] = [
  { id: 'receiver/connector-disabled', role: 'receiver', rules: ['DS-RECV-01'], title: 'receive connector with DomainSecureEnabled false', reason: 'an Exchange receive-connector setting; the run does not reconfigure your MTA' },
  { id: 'receiver/starttls-not-advertised', role: 'receiver', rules: ['DS-RECV-03'], title: 'STARTTLS not advertised', reason: 'needs your MTA without a certificate; the run does not reconfigure your MTA' },
  { id: 'receiver/permission-group', role: 'receiver', rules: ['DS-RECV-09'], title: 'connector without the Partners permission group', reason: 'Exchange\'s permission model has no counterpart outside Exchange' },
  { id: 'receiver/require-tls', role: 'receiver', rules: ['DS-RECV-10'], title: 'connector with RequireTLS', reason: 'an Exchange receive-connector setting; for a listed domain DS-RECV-02 covers mail without TLS' },
  { id: 'sender/connector-disabled', role: 'sender', rules: ['DS-SEND-01'], title: 'send connector with DomainSecureEnabled false', reason: 'an Exchange send-connector setting; the run does not reconfigure your MTA' },
  { id: 'sender/delay-and-expiry', role: 'sender', rules: ['DS-QUEUE-04', 'DS-QUEUE-05'], title: 'delay notice after 4 h, expiry after 2 days', reason: 'hours and days of your MTA\'s real time; the run takes a minute' },
];

export interface CatalogueOptions {
  role: ExternalRole;
  adapter: MtaAdapter;
  timing?: Partial<ExternalTiming>;
  /** Each result as it is reached (progress lines). */
  onResult?: (r: ExternalCheckResult) => void;
  /** Asked after each check: true ends the run there (Ctrl-C), with the checks done so far. */
  stopped?: () => boolean;
}

/** How many checks a role has (the receiver's 12, the sender's 15, and the rules that do not apply), for "n of m" when stopped early. */
export function plannedChecks(role: ExternalRole): number {
  const receiver = 5 + CHECK_FAULTS.length + NOT_APPLICABLE.filter((n) => n.role === 'receiver').length;
  const sender = 8 + CHECK_FAULTS.length + NOT_APPLICABLE.filter((n) => n.role === 'sender').length;
  return role === 'both' ? receiver + sender : role === 'receiver' ? receiver : sender;
}

/** Thrown out of a check's emit when the run was asked to stop: unwinds the role's checks, closing what they opened. */
class StopRequested extends Error {}

/** Runs the role's checks (receiver first: it needs nothing from the MTA but its port), then lists the rules that do not apply. */
export async function runExternalCatalogue(t: ExternalTarget, o: CatalogueOptions): Promise<ExternalCheckResult[]> {
  const timing = { ...DEFAULT_TIMING, ...o.timing };
  // The partner CA's CRL, with the revoked check certificate on it, served where the certificates' CDP points: an MTA
  // that checks revocation (as Exchange does, DS-CERT-04) can; one that does not is divergent on the revoked checks.
  let crl: Uint8Array | undefined;
  const fetches: string[] = [];
  const crlServer = http.createServer((req, res) => {
    fetches.push(`${req.socket.remoteAddress} GET ${req.url}`);
    if (!crl) { res.writeHead(503).end(); return; }
    res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': crl.length }).end(Buffer.from(crl));
  });
  await new Promise<void>((resolve, reject) => { crlServer.once('error', reject); crlServer.listen(0, t.partnerEdge.address, () => resolve()); });
  const crlUrl = `http://${t.partnerEdge.address}:${(crlServer.address() as AddressInfo).port}/${t.partner}-issuing.crl`;
  const results: ExternalCheckResult[] = [];
  try {
    const certificates = await issueCheckCertificates(t.partnerIssuing, [t.partnerEdge.fqdn, t.partner], t.now, crlUrl);
    crl = certificates.crl;
    const emit = (r: ExternalCheckResult) => {
      // Who fetched the CRL is part of the revoked checks' evidence.
      const withCrl = r.id.endsWith('/revoked') ? { ...r, logs: { ...r.logs, [`CRL ${crlUrl} (fetches since the previous revoked check)`]: fetches.length ? fetches.splice(0) : ['not fetched'] } } : r;
      results.push(withCrl);
      o.onResult?.(withCrl);
      if (o.stopped?.()) throw new StopRequested();
    };
    const roles: InteropRole[] = o.role === 'both' ? ['receiver', 'sender'] : [o.role];
    if (roles.includes('receiver')) await runReceiverChecks(t, certificates, o.adapter, emit);
    if (roles.includes('sender')) await runSenderChecks(t, certificates, o.adapter, timing, emit);
    for (const n of NOT_APPLICABLE.filter((x) => roles.includes(x.role))) {
      emit({ id: n.id, role: n.role, rules: n.rules, title: n.title, expected: '-', status: 'not-applicable', actual: n.reason, hops: [], durationMs: 0 });
    }
  } catch (e) {
    if (!(e instanceof StopRequested)) throw e;
  } finally {
    await new Promise<void>((resolve) => crlServer.close(() => resolve()));
  }
  return results;
}

