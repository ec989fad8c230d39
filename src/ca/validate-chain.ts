// Owns peer certificate validation for Domain Security: one ordered pass over DS-CERT-01..05 that returns a status with its reason.
import type { Certificate, Eku } from './certificate.js';
import { buildPathCached } from './chain-path-cache.js';
import { criticalExtensionProblem, weakCryptoProblem } from './chain-policy.js';
import { REVOCATION_OFFLINE_INFO, RULE_OF_STATUS, type ChainResult, type ChainStatus, type ValidationOptions } from './chain-status.js';
import { checkCrl } from './crl.js';
import { matchDomain, type NameMatch } from './names.js';

const DEFAULT_REQUIRED_EKUS: Eku[] = ['serverAuth', 'clientAuth'];

type RevocationOutcome = { kind: 'good' } | { kind: 'revoked'; detail: string } | { kind: 'offline'; detail: string };

function dateProblem(chain: Certificate[], at: Date): string | undefined {
  for (const c of chain) {
    const role = c === chain[0] ? 'The certificate' : 'The CA certificate';
    if (at.getTime() < c.notBefore.getTime()) {
      return `${role} '${c.subject}' is not yet valid: it is valid from ${c.notBefore.toISOString()} and the time is ${at.toISOString()}.`;
    }
    if (at.getTime() > c.notAfter.getTime()) {
      return `${role} '${c.subject}' expired at ${c.notAfter.toISOString()}; the time is ${at.toISOString()}.`;
    }
  }
  return undefined;
}

function usageProblem(leaf: Certificate, required: Eku[]): string | undefined {
  if (leaf.ekus === 'any') return undefined;
  const has = leaf.ekus;
  const missing = required.filter((e) => !has.includes(e));
  if (missing.length === 0) return undefined;
  return `The certificate '${leaf.subject}' lacks the ${missing.join(' and ')} enhanced key usage (it has ${has.length ? has.join(', ') : 'neither serverAuth nor clientAuth'}); Domain Security needs serverAuth and clientAuth, or no EKU extension.`;
}

async function fetchBytes(fetchCrl: ValidationOptions['fetchCrl'], url: string, cache: Map<string, Promise<Uint8Array>>): Promise<Uint8Array> {
  if (!fetchCrl) throw new Error('no CRL fetcher is configured');
  let p = cache.get(url);
  if (!p) {
    // A fetcher that throws synchronously is treated like one that rejects.
    p = Promise.resolve().then(() => fetchCrl(url)).then((b) => {
      if (b instanceof Uint8Array) return b;
      if ((b as unknown) instanceof ArrayBuffer) return new Uint8Array(b as unknown as ArrayBuffer);
      throw new Error('the CRL fetcher returned no bytes');
    });
    cache.set(url, p);
  }
  return p;
}

/** Checks each non-root member against its issuer's CRL; any revoked member wins over an unreachable CRL elsewhere. */
async function checkRevocation(chain: Certificate[], o: ValidationOptions): Promise<RevocationOutcome> {
  const cache = new Map<string, Promise<Uint8Array>>();
  const offline: string[] = [];
  for (let i = 0; i < chain.length - 1; i++) {
    const cert = chain[i]!;
    const issuer = chain[i + 1]!;
    if (cert.crlDistributionPoints.length === 0) continue;
    const failures: string[] = [];
    let settled = false;
    for (const url of cert.crlDistributionPoints) {
      let bytes: Uint8Array;
      try {
        bytes = await fetchBytes(o.fetchCrl, url, cache);
      } catch (e) {
        failures.push(`${url}: ${(e as Error)?.message ?? String(e)}`);
        continue;
      }
      const check = await checkCrl(bytes, cert, issuer, o.at);
      if (check.status === 'revoked') {
        return { kind: 'revoked', detail: `The certificate '${cert.subject}' (serial ${cert.serialNumber}) was revoked at ${check.revokedAt.toISOString()} according to the CRL of '${issuer.subject}' at ${url}.` };
      }
      if (check.status === 'good') { settled = true; break; }
      failures.push(`${url}: ${check.reason}`);
    }
    if (!settled) offline.push(`The revocation status of '${cert.subject}' could not be checked (${failures.join('; ')}).`);
  }
  return offline.length ? { kind: 'offline', detail: offline.join(' ') } : { kind: 'good' };
}

/**
 * Validates a peer's certificate in the contract's order: EmptyCertificate -> SignatureFailure -> UntrustedRoot ->
 * CertificateExpired -> WrongUsage (unrecognized critical extension, then EKU) -> Revoked / RevocationOffline -> SubjectMismatch -> Valid | ValidSelfSigned.
 * `fetchCrl` must settle on its own (the simulation owns timeouts); a rejection means RevocationOffline.
 */
export async function validateChain(o: ValidationOptions): Promise<ChainResult> {
  const info: string[] = [];
  const nameMatch: NameMatch | undefined = o.domain !== undefined && o.presented.length > 0 ? matchDomain(o.presented[0]!.names, o.domain) : undefined;
  const result = (status: ChainStatus, detail: string, chain: Certificate[]): ChainResult => ({
    ok: status === 'Valid' || status === 'ValidSelfSigned',
    status, detail, rule: RULE_OF_STATUS[status], info, chain,
    ...(nameMatch ? { nameMatch } : {}),
  });

  const leaf = o.presented[0];
  if (!leaf) return result('EmptyCertificate', 'The peer presented no certificate.', []);

  const path = buildPathCached(leaf, [...o.presented.slice(1), ...(o.intermediates ?? [])], o.trustedRoots);
  if (path.kind === 'bad-signature') return result('SignatureFailure', path.detail, path.path);
  if (path.kind === 'untrusted') return result('UntrustedRoot', path.detail, path.path);
  const chain = path.path;

  const weak = weakCryptoProblem(chain);
  if (weak) return result('SignatureFailure', weak, chain);

  const dates = dateProblem(chain, o.at);
  if (dates) return result('CertificateExpired', dates, chain);

  // An unrecognized critical extension limits the certificate in a way nobody here can honour: not usable (DS-CERT-05).
  const critical = criticalExtensionProblem(chain);
  if (critical) return result('WrongUsage', critical, chain);

  const usage = usageProblem(leaf, o.requiredEkus ?? DEFAULT_REQUIRED_EKUS);
  if (usage) return result('WrongUsage', usage, chain);

  const mode = o.revocation ?? 'lenient';
  if (mode !== 'off') {
    const revocation = await checkRevocation(chain, o);
    if (revocation.kind === 'revoked') return result('Revoked', revocation.detail, chain);
    if (revocation.kind === 'offline') {
      if (mode === 'strict') return result('RevocationOffline', revocation.detail, chain);
      info.push(REVOCATION_OFFLINE_INFO);
    }
  }

  if (nameMatch && !nameMatch.ok) return result('SubjectMismatch', nameMatch.detail, chain);

  const root = chain[chain.length - 1]!;
  if (chain.length === 1 && leaf.isSelfSigned) {
    return result('ValidSelfSigned', `The self-signed certificate '${leaf.subject}' is in the trusted root store.`, chain);
  }
  return result('Valid', `The chain '${chain.map((c) => c.subject).join("' -> '")}' ends at the trusted root '${root.subject}' and is valid.`, chain);
}
