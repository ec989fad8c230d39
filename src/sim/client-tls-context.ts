// The send side's TLS context per certificate: built once and reused by every attempt, since parsing the key and chain
// is a large share of a session's cost and a queue retries the same partner many times over two virtual days.
import tls from 'node:tls';
import type { StoredCertificate, TlsVersion } from '../orgs/index.js';
import { legacyTlsOptions } from './legacy-tls.js';
import { remember } from './tls-context-recipes.js';

const contexts = new Map<string, WeakMap<StoredCertificate, tls.SecureContext>>();
const anonymous = new Map<string, tls.SecureContext>();

/** Node's version bounds for an edge's TLS versions (EdgeServer.tlsVersions; TLS 1.2 alone by default). */
export function tlsVersionBounds(versions: readonly TlsVersion[]): { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion } {
  const sorted = [...(versions.length ? versions : ['1.2' as const])].sort();
  return { minVersion: `TLSv${sorted[0]}`, maxVersion: `TLSv${sorted[sorted.length - 1]}` };
}

/** The edge's TLS versions; the certificate and its issuers, not the root. */
export function clientTlsContext(own: StoredCertificate | undefined, versions: readonly TlsVersion[] = ['1.2']): tls.SecureContext {
  const base = tlsVersionBounds(versions);
  const key = `${base.minVersion}-${base.maxVersion}`;
  if (!own) {
    let a = anonymous.get(key);
    if (!a) anonymous.set(key, (a = remember(tls.createSecureContext(base), base)));
    return a;
  }
  let byCert = contexts.get(key);
  if (!byCert) contexts.set(key, (byCert = new WeakMap()));
  let c = byCert.get(own);
  if (!c) {
    const options = { ...base, ...legacyTlsOptions(own), key: own.privateKeyPem, cert: [own.certificate.pem, ...own.chain.filter((x) => !x.isSelfSigned).map((x) => x.pem)].join('\n') };
    c = remember(tls.createSecureContext(options), options);
    byCert.set(own, c);
  }
  return c;
}
