// Owns what Get-ExchangeCertificate shows for a certificate (DS-CONF-06), including Status from the org's trusted roots.
import { type ChainStatus, validateChain } from '../../ca/index.js';
import { type StoredCertificate, servicesString } from '../certificate-store.js';
import type { CmdletContext, ShellObject } from './cmdlet.js';
import type { PendingRequest } from './certificate-file.js';

/** Chain status (DS-CERT-06) → the Status names Exchange's CertificateStatus uses. */
const STATUS: Record<ChainStatus, string> = {
  Valid: 'Valid', ValidSelfSigned: 'Valid', UntrustedRoot: 'Untrusted', CertificateExpired: 'DateInvalid', Revoked: 'Revoked',
  RevocationOffline: 'RevocationCheckFailure', SignatureFailure: 'Invalid', EmptyCertificate: 'Invalid', WrongUsage: 'Invalid',
  SubjectMismatch: 'Invalid',
};

export async function certificateStatus(item: StoredCertificate, ctx: CmdletContext): Promise<string> {
  const c = item.certificate;
  // Windows puts a certificate it self-signed into the local root store, so Exchange shows it Valid on its own server.
  const roots = [...ctx.org.trustedRoots.list(), ...(c.isSelfSigned ? [c] : [])];
  const fetchCrl = ctx.runtime?.fetchCrl?.bind(ctx.runtime);
  const r = await validateChain({
    presented: [c, ...item.chain], trustedRoots: roots, intermediates: item.chain, at: ctx.now(),
    fetchCrl, revocation: fetchCrl ? 'strict' : 'off', requiredEkus: [],
  });
  return STATUS[r.status];
}

const SERVICE_NAMES = ['IMAP', 'POP', 'UM', 'IIS', 'SMTP', 'Federation', 'UMCallRouter'] as const;

export async function certificateObject(item: StoredCertificate, ctx: CmdletContext, server: string): Promise<ShellObject> {
  const c = item.certificate;
  const services = SERVICE_NAMES.filter((s) => item.services.has(s));
  return {
    type: 'ExchangeCertificate',
    props: {
      CertificateDomains: c.names,
      FriendlyName: item.friendlyName,
      HasPrivateKey: item.privateKeyPem !== undefined,
      IsSelfSigned: c.isSelfSigned,
      Issuer: c.issuer,
      NotAfter: c.notAfter,
      NotBefore: c.notBefore,
      PrivateKeyExportable: item.privateKeyPem !== undefined && item.privateKeyExportable,
      PublicKeySize: c.publicKeySize,
      SerialNumber: c.serialNumber,
      Services: services.length ? services.join(', ') : 'None',
      Status: await certificateStatus(item, ctx),
      Subject: c.subject,
      Thumbprint: c.thumbprint,
    },
    table: ['Thumbprint', 'Services', 'Subject'],
    tableValues: { Services: servicesString(item.services) },
    server,
  };
}

export function pendingRequestObject(r: PendingRequest, server: string): ShellObject {
  return {
    type: 'ExchangeCertificate',
    props: {
      CertificateDomains: r.names,
      CertificateRequest: r.requestBase64,
      FriendlyName: r.friendlyName,
      HasPrivateKey: true,
      IsSelfSigned: false,
      PrivateKeyExportable: r.privateKeyExportable,
      PublicKeySize: r.publicKeySize,
      Services: 'None',
      Status: 'PendingRequest',
      Subject: r.subject,
      Thumbprint: r.thumbprint,
    },
    table: ['Thumbprint', 'Services', 'Subject'],
    tableValues: { Services: '.......' },
    server,
  };
}
