// `domsec cert issue`: certificates for outside parties from a stable lab's CAs (D/pki), good or with one named fault.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { canonicalDomain, CertificateAuthority, exportPfx, type FaultKind, issueFaulty, type KeyAlgorithm, type KeyedCertificate, type LeafOptions } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { callLab } from './lab-control.js';
import type { Endpoints } from './lab-export.js';
import { isAlive, readLock } from './lab-lock.js';
import { loadPki, storeRevocation } from './lab-pki-store.js';
import { DEFAULT_LAB_DIR, DEFAULT_PFX_PASSWORD } from './lab-up-command.js';
import { parseClock } from './lab-stable.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

export const CERT_KINDS = ['good', 'expired', 'not-yet-valid', 'revoked', 'no-clientauth', 'no-serverauth', 'self-signed', 'untrusted-ca', 'wrong-name'] as const;
export type CertKind = (typeof CERT_KINDS)[number];

/** The kinds that are one of src/ca/faulty.ts's faults, under that module's name. */
const FAULTS: Partial<Record<CertKind, FaultKind>> = {
  expired: 'expired', 'not-yet-valid': 'not-yet-valid', 'no-clientauth': 'no-client-auth', 'self-signed': 'self-signed', 'untrusted-ca': 'unknown-issuer', 'wrong-name': 'wrong-names',
};
const KEYS: Record<string, KeyAlgorithm> = { rsa: 'RSA-2048', ecdsa: 'ECDSA-P256' };

/** The issuing CA's CRL URL as the lab's CRL service names it (sim/crl-service.ts: http://pki.<domain>/<label>-issuing.crl). */
function crlUrlOf(domain: string): string {
  return `http://pki.${domain}/${domain.split('.')[0]}-issuing.crl`;
}

/** Issues `kind` from `ca` for `names`, relative to `now`: valid since the day before unless the kind says otherwise. */
export async function issueForOutside(ca: CertificateAuthority, kind: CertKind, names: string[], algorithm: KeyAlgorithm, now: Date): Promise<KeyedCertificate> {
  const base: LeafOptions & { now: Date } = { commonName: names[0]!, dnsNames: names, algorithm, notBefore: new Date(now.getTime() - 86_400_000), now };
  const fault = FAULTS[kind];
  if (fault) return issueFaulty(ca, fault, base);
  if (kind === 'no-serverauth') return ca.issue({ ...base, ekus: ['clientAuth'] });
  return ca.issue(base); // good, revoked (revoked after issuing)
}

function running(dir: string): Endpoints | undefined {
  const lock = readLock(dir);
  const file = join(dir, 'endpoints.json');
  if (!lock || !isAlive(lock) || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
}

export async function certCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    println(sub === undefined ? io.stderr : io.stdout, USAGE.cert);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub !== 'issue') throw new DomsecError('ERR_USAGE', `domsec cert: "${sub}" is not a cert command; the one there is: issue. Run "domsec cert --help".`);
  const { values } = parseOptions('cert issue', rest, {
    dir: { type: 'string', short: 'd' }, org: { type: 'string' }, name: { type: 'string', multiple: true }, kind: { type: 'string' },
    key: { type: 'string' }, out: { type: 'string' }, 'pfx-password': { type: 'string' }, at: { type: 'string' },
  });
  if (values.help) {
    println(io.stdout, USAGE.cert);
    return EXIT.ok;
  }
  const dir = resolve(io.cwd, values.dir ?? DEFAULT_LAB_DIR);
  const shown = shownPath(io.cwd, dir);
  const kind = (values.kind ?? 'good') as CertKind;
  if (!CERT_KINDS.includes(kind)) throw new DomsecError('ERR_USAGE', `domsec cert issue: --kind ${kind} is not a kind; use one of ${CERT_KINDS.join(', ')}.`);
  const algorithm = KEYS[values.key ?? 'rsa'];
  if (!algorithm) throw new DomsecError('ERR_USAGE', `domsec cert issue: --key ${values.key} is not a key type; use rsa (2048-bit) or ecdsa (P-256).`);
  if (!values.org) throw new DomsecError('ERR_USAGE', 'domsec cert issue: --org DOMAIN is required: the organization whose CA issues the certificate.');
  const loaded = loadPki(dir, false);
  if (!loaded) throw new DomsecError('ERR_LAB_PKI', `There is no lab PKI in ${shown}/pki: start the lab once with "domsec lab up --dir ${shown}" (it keeps its CAs there), then issue.`);
  const domain = canonicalDomain(values.org);
  const stored = loaded.cas.get(domain);
  if (!stored) throw new DomsecError('ERR_USAGE', `domsec cert issue: ${values.org} is not an organization of the lab in ${shown}; its organizations are ${[...loaded.cas.keys()].join(', ')}.`);
  const names = values.name?.length ? values.name : [`mail.${domain}`];
  const live = running(dir);
  // Relative to the lab's virtual clock when it runs (what its edges judge by), else --at, else the real time.
  const status = live ? await callLab<{ at: string }>(live.control, 'GET', '/status') : undefined;
  const now = parseClock(values.at) ?? (status ? new Date(status.at) : new Date());
  // Random serials: the lab's own are seeded, and a duplicate serial would put the lab's certificate on the CRL too.
  const ca = await CertificateAuthority.fromKeyed(stored.issuing, { now, crlUrl: crlUrlOf(domain) });
  const k = await issueForOutside(ca, kind, names, algorithm, now);
  const serialNumber = k.certificate.serialNumber;
  const prefix = resolve(io.cwd, values.out ?? join(dir, 'issued', `${names[0]!.replace(/^\*\./, 'wildcard.')}-${kind}`));
  mkdirSync(dirname(prefix), { recursive: true });
  const files = { cert: `${prefix}.crt.pem`, key: `${prefix}.key.pem`, chain: `${prefix}.chain.pem`, pfx: `${prefix}.pfx` };
  writeFileSync(files.cert, k.certificate.pem);
  writeFileSync(files.chain, [k.certificate, ...k.chain].map((c) => c.pem.trim()).join('\n') + '\n');
  writeFileSync(files.key, k.privateKeyPem, { mode: 0o600 });
  chmodSync(files.key, 0o600);
  writeFileSync(files.pfx, await exportPfx(k, values['pfx-password'] ?? DEFAULT_PFX_PASSWORD), { mode: 0o600 });
  let published = '';
  if (kind === 'revoked') {
    // Stored in D in any case, so every later start publishes it; a running lab is told at once through its control port.
    storeRevocation(dir, { domain, ca: 'issuing', serialNumber, revokedAt: now.toISOString() });
    if (live) await callLab(live.control, 'POST', '/revoke', { domain, serialNumber, ca: 'issuing' });
    published = live ? ' It is on the running lab\'s CRL now.' : ' It will be on the CRL when the lab next starts.';
  }
  println(io.stdout, `Issued ${kind} certificate for ${names.join(', ')} from ${k.certificate.issuer} (serial ${serialNumber}, thumbprint ${k.certificate.thumbprint}, valid ${k.certificate.notBefore.toISOString()} to ${k.certificate.notAfter.toISOString()}).${published}`);
  for (const [what, f] of Object.entries(files)) println(io.stdout, `  ${what.padEnd(5)} ${shownPath(io.cwd, f)}`);
  return EXIT.ok;
}
