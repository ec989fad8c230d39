// What an organization's CA hands its admin for an edge: the certificate with key and chain as a PFX file, either
// issued outright or signed from a request made from an Exchange subject string (seed 004's path).
import { createRequest, exportPfx } from '../ca/index.js';
import type { SimOrganization } from './sim-organization.js';

export interface HandOverSpec {
  commonName: string;
  dnsNames: string[];
  /** Given: a CSR from this subject (CN added to the names), signed by the CA; absent: issued directly. */
  subjectName?: string;
}

const DAY = 86_400_000;

export async function handOverPfx(org: SimOrganization, spec: HandOverSpec, password: string, now: number): Promise<Uint8Array> {
  // Valid since yesterday, so a scenario that starts "now" never meets a certificate that is not yet valid.
  const notBefore = new Date(now - DAY);
  const chain = [org.pki.issuing.certificate, org.pki.root.certificate];
  if (spec.subjectName === undefined) {
    const k = await org.pki.issuing.issue({ commonName: spec.commonName, dnsNames: spec.dnsNames, notBefore });
    return exportPfx({ ...k, chain }, password);
  }
  const req = await createRequest({ subjectName: spec.subjectName, domainNames: spec.dnsNames, algorithm: org.pki.issuing.algorithm, keySeed: org.nextKeySeed('request') });
  const certificate = await org.pki.issuing.signRequest(req.csrPem, { notBefore });
  return exportPfx({ certificate, privateKeyPem: req.privateKeyPem, chain }, password);
}
