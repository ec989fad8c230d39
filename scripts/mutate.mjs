// `npm run mutate`: a small, built-in mutation test. Each mutant changes one decision, log line or message in the
// source, the tests that should notice run, and the report says which mutants they killed (not part of `npm test`).
//
//   node scripts/mutate.mjs                 every mutant, its own unit tests and feature files
//   node scripts/mutate.mjs --only ID,ID    just those mutants
//   node scripts/mutate.mjs --list          the mutants, without running anything
//   node scripts/mutate.mjs --json FILE     also write the results as JSON
//
// Measured: 36/36 killed (see docs/conformance.md for the figure without the scenarios written for them).
//
// Mutants are applied in place and restored afterwards (also on Ctrl-C, and at the next start if a run was killed:
// the original text waits in .tmp/mutate-backup.json). A mutant whose text is no longer in its file is "stale" and
// fails the run, so the list cannot rot silently. Each test run has a time limit; a mutant that hangs counts as killed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BACKUP = path.join(ROOT, '.tmp', 'mutate-backup.json');
const LIMIT_MS = 240_000;

const RECV = { unit: ['src/orgs/policy/receive-decision.test.ts'], features: ['features/failures/receiver.feature', 'features/failures/check-order.feature'] };
const SEND = { unit: ['src/orgs/policy/send-decision.test.ts'], features: ['features/failures/sender.feature', 'features/failures/check-order.feature', 'features/foundation/opportunistic.feature'] };
const LOGS = { unit: [], features: ['features/failures/logs.feature', 'features/failures/certificate-line-scope.feature', 'features/foundation/adatum-treyresearch.feature'] };
const SEND_CONF = { unit: ['src/orgs/send-connector.test.ts', 'src/orgs/shell/send-connector-cmdlets.test.ts'], features: ['features/shell/connector-validation.feature'] };
const RECV_CONF = { unit: ['src/orgs/receive-connector.test.ts', 'src/orgs/shell/receive-connector-cmdlets.test.ts'], features: ['features/shell/connector-validation.feature'] };
const NAMES = { unit: ['src/ca/names.test.ts'], features: ['features/failures/certificates.feature'] };
const CERTS = { unit: ['src/ca/validate-chain.test.ts'], features: ['features/failures/certificates.feature'] };
const QUEUE = { unit: [], features: ['features/failures/queue.feature'] };

/** id, what it breaks, file, the exact text it replaces (must occur once), the replacement, and the tests to run. */
const MUTANTS = [
  // Receiver: the MAIL FROM decision, first match wins (DS-RECV-01…10).
  { id: 'recv-tls-before-dse', what: 'a missing STARTTLS is checked before DomainSecureEnabled false (DS-RECV-01 order)', file: 'src/orgs/policy/receive-decision.ts', find: 'if (!f.connector.domainSecureEnabled) {', replace: 'if (!f.connector.domainSecureEnabled && f.tls) {', ...RECV },
  { id: 'recv-cert-before-dse', what: 'a missing client certificate is checked before DomainSecureEnabled false', file: 'src/orgs/policy/receive-decision.ts', find: 'if (!f.connector.domainSecureEnabled) {', replace: 'if (!f.connector.domainSecureEnabled && f.clientCertificate) {', ...RECV },
  { id: 'recv-dse-ignored', what: 'DomainSecureEnabled false on the receive connector is ignored', file: 'src/orgs/policy/receive-decision.ts', find: 'if (!f.connector.domainSecureEnabled) {', replace: 'if (false) {', ...RECV },
  { id: 'recv-02-03-swapped', what: 'DS-RECV-02 and DS-RECV-03 replies swapped', file: 'src/orgs/policy/receive-decision.ts', find: 'return f.starttlsAdvertised', replace: 'return !f.starttlsAdvertised', ...RECV },
  { id: 'recv-no-cert-ignored', what: 'TLS without a client certificate is not refused as DS-RECV-04', file: 'src/orgs/policy/receive-decision.ts', find: 'if (!f.clientCertificate) {', replace: 'if (false) {', ...RECV },
  { id: 'recv-names-ignored', what: 'the client certificate names are not checked (DS-RECV-05)', file: 'src/orgs/policy/receive-decision.ts', find: 'if (f.nameMatch && !f.nameMatch.ok) {', replace: 'if (false) {', ...RECV },
  { id: 'recv-chain-before-names', what: 'a chain failure is reported before a name mismatch', file: 'src/orgs/policy/receive-decision.ts', find: 'if (f.nameMatch && !f.nameMatch.ok) {', replace: 'if (f.nameMatch && !f.nameMatch.ok && f.chain?.ok) {', ...RECV },
  { id: 'recv-chain-ignored', what: 'the client chain is not validated (DS-RECV-06)', file: 'src/orgs/policy/receive-decision.ts', find: 'if (!f.chain || !f.chain.ok) {', replace: 'if (false) {', ...RECV },
  { id: 'recv-permission-before-chain', what: 'the Partners permission group is looked at before the chain', file: 'src/orgs/policy/receive-decision.ts', find: 'if (!f.chain || !f.chain.ok) {', replace: "if ((!f.chain || !f.chain.ok) && f.connector.permissionGroups.includes('Partners')) {", ...RECV },
  { id: 'recv-partners-ignored', what: 'a Partner session is accepted without the Partners permission group (DS-RECV-09)', file: 'src/orgs/policy/receive-decision.ts', find: "if (!f.connector.permissionGroups.includes('Partners')) {", replace: 'if (false) {', ...RECV },
  { id: 'recv-requiretls-ignored', what: 'RequireTLS on the receive connector is ignored (DS-RECV-10)', file: 'src/orgs/policy/receive-decision.ts', find: 'if (f.connector.requireTls && !f.tls) {', replace: 'if (false) {', ...RECV },
  { id: 'recv-list-subdomains', what: 'the secure list also matches subdomains', file: 'src/orgs/secure-list.ts', find: 'return list.includes(d);', replace: 'return list.some((x) => d === x || d.endsWith(`.${x}`));', unit: RECV.unit, features: [...RECV.features, 'features/failures/one-sided.feature'] },
  { id: 'recv-auth-mechanism', what: 'the Partner AuthMechanism header says 04 instead of 02 (DS-RECV-08)', file: 'src/sim/receive-session.ts', find: "['X-MS-Exchange-Organization-AuthMechanism', '02']", replace: "['X-MS-Exchange-Organization-AuthMechanism', '04']", unit: [], features: RECV.features },
  // Sender (DS-SEND-01…06).
  { id: 'send-dse-ignored', what: 'DomainSecureEnabled false on the send connector is ignored (DS-SEND-01)', file: 'src/orgs/policy/send-decision.ts', find: 'if (!c.connector.domainSecureEnabled) {', replace: 'if (false) {', ...SEND },
  { id: 'send-clear-to-secure', what: 'a secure domain without STARTTLS is sent in clear (DS-SEND-02)', file: 'src/orgs/policy/send-decision.ts', find: 'if (isSecureDomain(c)) {', replace: 'if (false) {', ...SEND },
  { id: 'send-chain-before-names', what: 'a remote chain failure is reported before a name mismatch', file: 'src/orgs/policy/send-decision.ts', find: 'if (!nameMatch.ok) {', replace: 'if (!nameMatch.ok && chain.ok) {', ...SEND },
  { id: 'send-names-ignored', what: 'the remote certificate names are not checked (DS-SEND-04)', file: 'src/orgs/policy/send-decision.ts', find: 'if (!nameMatch.ok) {', replace: 'if (false) {', ...SEND },
  { id: 'send-chain-ignored', what: 'the remote chain is not validated (DS-SEND-05)', file: 'src/orgs/policy/send-decision.ts', find: 'if (!chain.ok) {', replace: 'if (false) {', ...SEND },
  // Protocol log lines (DS-LOG-03).
  { id: 'log-secure-domain-opportunistic', what: '"Secure domain certificate" lines are written for opportunistic sends', file: 'src/sim/outbound-attempt.ts', find: "if (d.outcome === 'sent') for (const [data, context] of certificateLines('Secure domain certificate'", replace: "if (d.outcome !== 'defer') for (const [data, context] of certificateLines('Secure domain certificate'", ...LOGS },
  { id: 'log-secure-domain-missing', what: 'no "Secure domain certificate" lines at all', file: 'src/sim/outbound-attempt.ts', find: "if (d.outcome === 'sent') for (const [data, context] of certificateLines('Secure domain certificate'", replace: "if (false) for (const [data, context] of certificateLines('Secure domain certificate'", ...LOGS },
  { id: 'log-validated-anonymous', what: '"Validated received certificate" lines are written for anonymous sessions', file: 'src/sim/receive-session.ts', find: "if (d.outcome === 'partner' && this.clientCert) {", replace: 'if (this.clientCert) {', ...LOGS },
  { id: 'log-validated-missing', what: 'no "Validated received certificate" lines at all', file: 'src/sim/receive-session.ts', find: "if (d.outcome === 'partner' && this.clientCert) {", replace: 'if (false) {', ...LOGS },
  // Configuration messages (DS-CONF-03, DS-CONF-05): one changed word each.
  { id: 'conf03-dns-routing-text', what: 'DS-CONF-03 DNS routing sentence reworded', file: 'src/orgs/send-connector.ts', find: "can't be set to $True unless the DNSRoutingEnabled parameter is also set to $True.", replace: "cannot be set to $True unless the DNSRoutingEnabled parameter is also set to $True.", ...SEND_CONF },
  { id: 'conf03-ignore-starttls-text', what: 'DS-CONF-03 IgnoreSTARTTLS sentence reworded', file: 'src/orgs/send-connector.ts', find: 'if the IgnoreSTARTTLS parameter is set to $True.', replace: 'if the IgnoreSTARTTLS parameter is set to $true.', ...SEND_CONF },
  { id: 'conf03-tls-auth-level-text', what: 'DS-CONF-03 TLSAuthLevel sentence reworded', file: 'src/orgs/send-connector.ts', find: "The TLSAuthLevel parameter can't be set if", replace: "The TlsAuthLevel parameter can't be set if", ...SEND_CONF },
  { id: 'conf03-smart-host-text', what: 'DS-CONF-03 smart host sentence reworded', file: 'src/orgs/send-connector.ts', find: 'not using DNS to route mails.', replace: 'not using DNS to route mail.', ...SEND_CONF },
  { id: 'conf03-ignore-starttls-check', what: 'DomainSecureEnabled with IgnoreSTARTTLS is accepted', file: 'src/orgs/send-connector.ts', find: 'if (s.domainSecureEnabled && s.ignoreStartTls)', replace: 'if (false)', ...SEND_CONF },
  { id: 'conf05-domain-secure-text', what: 'DS-CONF-05 DomainSecureEnabled sentence reworded', file: 'src/orgs/receive-connector.ts', find: 'unless Transport Layer Security (TLS) is set on the AuthMechanism parameter.', replace: 'unless TLS is set on the AuthMechanism parameter.', ...RECV_CONF },
  { id: 'conf05-require-tls-text', what: 'DS-CONF-05 RequireTLS sentence reworded', file: 'src/orgs/receive-connector.ts', find: 'If RequireTLS is set, TLS must also be set as an authentication mechanism.', replace: 'If RequireTLS is set, TLS must be set as an authentication mechanism.', ...RECV_CONF },
  { id: 'conf05-require-tls-check', what: 'RequireTLS without TLS authentication is accepted', file: 'src/orgs/receive-connector.ts', find: 'if (s.requireTls && !tls)', replace: 'if (false)', ...RECV_CONF },
  // Certificate names and chains (DS-CERT-02, DS-CERT-03).
  { id: 'cert-two-labels-below', what: 'a name two labels below the domain also covers it', file: 'src/ca/names.ts', find: "if (label !== '' && !label.includes('.')) return 'one-label-below';", replace: "if (label !== '') return 'one-label-below';", ...NAMES },
  { id: 'cert-wildcard-of-domain', what: '*.D no longer covers D', file: 'src/ca/names.ts', find: "if (n === `*.${d}`) return 'wildcard-of-domain';", replace: '', ...NAMES },
  { id: 'cert-expiry-ignored', what: 'an expired certificate is accepted', file: 'src/ca/validate-chain.ts', find: 'if (at.getTime() > c.notAfter.getTime()) {', replace: 'if (false) {', ...CERTS },
  { id: 'cert-revocation-strict', what: 'an unreachable CRL fails validation by default', file: 'src/orgs/transport-config.ts', find: "revocationMode: 'lenient',", replace: "revocationMode: 'strict',", unit: ['src/orgs/transport-config.test.ts'], features: ['features/failures/certificates.feature', 'features/failures/logs.feature'] },
  // Queue (DS-QUEUE-02, DS-QUEUE-03).
  { id: 'queue-retry-count', what: 'five quick retries instead of six', file: 'src/orgs/transport-config.ts', find: 'transientFailureRetryCount: 6,', replace: 'transientFailureRetryCount: 5,', unit: ['src/orgs/transport-config.test.ts'], features: QUEUE.features },
  { id: 'queue-last-error-text', what: 'LastError wording of 2010/2013 changed', file: 'src/sim/last-error.ts', find: '451 4.4.0 Primary target IP address responded with:', replace: '451 4.4.0 Primary target host responded with:', ...QUEUE },
];

function args() {
  const a = process.argv.slice(2);
  const value = (name) => { const i = a.indexOf(name); return i >= 0 ? a[i + 1] : undefined; };
  return { list: a.includes('--list'), only: value('--only')?.split(',').map((s) => s.trim()), json: value('--json') };
}

function restoreBackup() {
  if (!existsSync(BACKUP)) return;
  const { file, text } = JSON.parse(readFileSync(BACKUP, 'utf8'));
  writeFileSync(path.join(ROOT, file), text);
  rmSync(BACKUP);
  console.log(`restored ${file} from an interrupted mutation run`);
}

class Interrupted extends Error {}

function run(cmd, argv) {
  const started = Date.now();
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', timeout: LIMIT_MS, env: { ...process.env, FORCE_COLOR: '0' } });
  // Ctrl-C reaches the child too (same process group); spawnSync blocks signal handlers, so stop here, not at the end.
  if (r.signal === 'SIGINT' || r.signal === 'SIGHUP') throw new Interrupted();
  const timedOut = r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM';
  return { ok: r.status === 0 && !timedOut, timedOut, ms: Date.now() - started, tail: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-6).join('\n') };
}

function unitTests(files) {
  return files.length === 0 ? { ok: true, ms: 0 } : run(process.execPath, [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files]);
}

function featureTests(files, out) {
  if (files.length === 0) return { ok: true, ms: 0 };
  return run(process.execPath, ['bin/domsec.mjs', 'run', '--quiet', '--out', out, '--run-id', 'mutant', ...files]);
}

/** Which of the mutant's tests fail: unit tests first (fast), features only when the unit tests did not notice. */
function judge(m, out) {
  const unit = unitTests(m.unit);
  if (!unit.ok) return { killed: true, by: unit.timedOut ? 'unit (time limit)' : 'unit', ms: unit.ms };
  const feat = featureTests(m.features, out);
  if (!feat.ok) return { killed: true, by: feat.timedOut ? 'features (time limit)' : 'features', ms: unit.ms + feat.ms };
  return { killed: false, by: '', ms: unit.ms + feat.ms };
}

function main() {
  const o = args();
  restoreBackup();
  const chosen = o.only ? MUTANTS.filter((m) => o.only.includes(m.id)) : MUTANTS;
  if (o.only && chosen.length !== o.only.length) {
    console.error(`Unknown mutant id(s): ${o.only.filter((id) => !MUTANTS.some((m) => m.id === id)).join(', ')}. Run with --list.`);
    process.exit(2);
  }
  if (o.list) {
    for (const m of chosen) console.log(`${m.id.padEnd(32)} ${m.file}: ${m.what}`);
    return;
  }
  const stale = chosen.filter((m) => readFileSync(path.join(ROOT, m.file), 'utf8').split(m.find).length !== 2);
  if (stale.length > 0) {
    console.error(`Stale mutants (their text is not exactly once in the file any more; update scripts/mutate.mjs):\n  ${stale.map((m) => `${m.id} (${m.file})`).join('\n  ')}`);
    process.exit(1);
  }
  mkdirSync(path.dirname(BACKUP), { recursive: true });
  const out = mkdtempSync(path.join(tmpdir(), 'domsec-mutate-'));
  // Baseline: the chosen tests must pass unmutated, or a "kill" would mean nothing.
  const base = { unit: unitTests([...new Set(chosen.flatMap((m) => m.unit))]), features: featureTests([...new Set(chosen.flatMap((m) => m.features))], out) };
  if (!base.unit.ok || !base.features.ok) {
    console.error(`The tests fail without any mutant; fix them first.\n${base.unit.ok ? '' : base.unit.tail}\n${base.features.ok ? '' : base.features.tail}`);
    process.exit(1);
  }
  let current;
  const restore = () => {
    if (!current) return;
    writeFileSync(path.join(ROOT, current.file), current.text);
    rmSync(BACKUP, { force: true });
    current = undefined;
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { restore(); process.exit(130); });
  const results = [];
  for (const [i, m] of chosen.entries()) {
    const file = path.join(ROOT, m.file);
    const text = readFileSync(file, 'utf8');
    current = { file: m.file, text };
    writeFileSync(BACKUP, JSON.stringify(current));
    writeFileSync(file, text.replace(m.find, m.replace));
    let r;
    try {
      r = judge(m, out);
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      restore();
      console.error(`Interrupted at mutant ${m.id}; ${m.file} restored.`);
      process.exit(130);
    } finally {
      restore();
    }
    results.push({ id: m.id, what: m.what, file: m.file, ...r });
    console.log(`${String(i + 1).padStart(2)}/${chosen.length} ${r.killed ? 'killed  ' : 'SURVIVED'} ${m.id.padEnd(32)} ${r.by ? `by ${r.by}` : ''} (${(r.ms / 1000).toFixed(1)} s)`);
  }
  rmSync(out, { recursive: true, force: true });
  const killed = results.filter((r) => r.killed).length;
  const rate = results.length === 0 ? 0 : (100 * killed) / results.length;
  console.log(`\nKill rate: ${killed}/${results.length} = ${rate.toFixed(1)}%`);
  const survivors = results.filter((r) => !r.killed);
  if (survivors.length > 0) console.log(`Survivors:\n${survivors.map((r) => `  ${r.id}: ${r.what} (${r.file})`).join('\n')}`);
  if (o.json) writeFileSync(path.resolve(o.json), `${JSON.stringify({ killed, total: results.length, rate, results }, null, 2)}\n`);
}

main();
