// The send side's TLS context per certificate: built once and reused by every attempt, since parsing the key and chain
// is a large share of a session's cost and a queue retries the same partner many times over two virtual days.
import tls from 'node:tls';
import type { StoredCertificate } from '../orgs/index.js';
import { legacyTlsOptions } from './legacy-tls.js';

const contexts = new WeakMap<StoredCertificate, tls.SecureContext>();
let anonymous: tls.SecureContext | undefined;

/** TLS 1.2 only, as the simulated edges speak (docs/model-choices.md); the certificate and its issuers, not the root. */
export function clientTlsContext(own: StoredCertificate | undefined): tls.SecureContext {
  const base = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } as const;
  if (!own) return (anonymous ??= tls.createSecureContext(base));
  let c = contexts.get(own);
  if (!c) {
    c = tls.createSecureContext({ ...base, ...legacyTlsOptions(own), key: own.privateKeyPem, cert: [own.certificate.pem, ...own.chain.filter((x) => !x.isSelfSigned).map((x) => x.pem)].join('\n') });
    contexts.set(own, c);
  }
  return c;
}
