// Owns the one TLS concession to legacy certificates: Schannel (Exchange) presents a SHA-1-signed certificate, OpenSSL 3 refuses to load one.
import type { Certificate } from '../ca/index.js';

/**
 * OpenSSL 3 at its default security level refuses to *load* a certificate signed with SHA-1 ("ca md too weak").
 * Exchange presents one without complaint (docs/model-choices.md, weak keys and signatures), so an edge whose own
 * chain holds one lowers the level for its own context only; the partner's chain is still judged by validateChain.
 */
export function legacyTlsOptions(own: { certificate: Certificate; chain: Certificate[] } | undefined): { ciphers?: string } {
  if (!own) return {};
  const legacy = [own.certificate, ...own.chain].some((c) => c.signatureHash === 'SHA-1');
  return legacy ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {};
}
