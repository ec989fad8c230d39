// An edge server's Exchange certificate store (DS-CONF-06) and the choice of the certificate it presents (DS-CONF-07).
import { type Certificate, type KeyedCertificate, matchHost } from '../ca/index.js';
import { DomsecError } from '../errors.js';

export type ExchangeService = 'IMAP' | 'POP' | 'UM' | 'IIS' | 'SMTP' | 'Federation' | 'UMCallRouter';

/** Get-ExchangeCertificate's 7-letter Services column: IPUWSFC, `.` where absent. */
const SERVICE_LETTERS: [ExchangeService, string][] = [
  ['IMAP', 'I'], ['POP', 'P'], ['UM', 'U'], ['IIS', 'W'], ['SMTP', 'S'], ['Federation', 'F'], ['UMCallRouter', 'C'],
];

export interface StoredCertificate {
  certificate: Certificate;
  privateKeyPem?: string;
  chain: Certificate[];
  services: ReadonlySet<ExchangeService>;
  friendlyName: string;
  privateKeyExportable: boolean;
}

export function servicesString(services: ReadonlySet<ExchangeService>): string {
  return SERVICE_LETTERS.map(([s, l]) => (services.has(s) ? l : '.')).join('');
}

export class CertificateStore {
  #items = new Map<string, StoredCertificate>();
  /** The certificate Exchange uses for SMTP when nothing more specific matches. */
  defaultSmtpThumbprint?: string;

  list(): StoredCertificate[] {
    return [...this.#items.values()];
  }

  get(thumbprint: string): StoredCertificate {
    const item = this.#items.get(thumbprint.toUpperCase().replace(/\s/g, ''));
    if (!item) throw new DomsecError('ERR_CERT_NOT_FOUND', `The certificate with thumbprint ${thumbprint} was not found. Run Get-ExchangeCertificate to list the thumbprints.`, { thumbprint });
    return item;
  }

  /** Import-ExchangeCertificate: the private key is always marked non-exportable (DS-CONF-06). */
  import(k: KeyedCertificate | { certificate: Certificate; chain?: Certificate[]; privateKeyPem?: string }, friendlyName = 'Microsoft Exchange'): StoredCertificate {
    const item: StoredCertificate = {
      certificate: k.certificate,
      privateKeyPem: k.privateKeyPem,
      chain: k.chain ?? [],
      services: new Set(),
      friendlyName,
      privateKeyExportable: false,
    };
    this.#items.set(k.certificate.thumbprint, item);
    return item;
  }

  /** A key generated here (New-ExchangeCertificate) stays exportable when asked. */
  add(item: StoredCertificate): StoredCertificate {
    this.#items.set(item.certificate.thumbprint, item);
    return item;
  }

  remove(thumbprint: string): void {
    this.get(thumbprint);
    this.#items.delete(thumbprint.toUpperCase());
    if (this.defaultSmtpThumbprint === thumbprint.toUpperCase()) this.defaultSmtpThumbprint = undefined;
  }

  /**
   * Enable-ExchangeCertificate: services are additive. Replacing an existing default SMTP certificate needs
   * -Force (Exchange asks for confirmation; a non-interactive harness refuses instead).
   */
  enable(thumbprint: string, services: ExchangeService[], force = false): StoredCertificate {
    const item = this.get(thumbprint);
    if (services.includes('SMTP')) {
      if (!item.privateKeyPem) {
        throw new DomsecError('ERR_CERT_NO_PRIVATE_KEY', `The certificate ${item.certificate.thumbprint} has no private key, so it can't be enabled for SMTP. Import it from a PFX file with its key.`);
      }
      const current = this.defaultSmtpThumbprint;
      if (current && current !== item.certificate.thumbprint && !force) {
        throw new DomsecError('ERR_CONFIRM_REQUIRED', `Overwrite the existing default SMTP certificate ${current}? Run the command again with -Force to replace it.`, { current });
      }
      this.defaultSmtpThumbprint = item.certificate.thumbprint;
    }
    const next: StoredCertificate = { ...item, services: new Set([...item.services, ...services]) };
    this.#items.set(item.certificate.thumbprint, next);
    return next;
  }

  /**
   * DS-CONF-07: the SMTP-enabled certificate with a key whose CN or DNS SAN matches the FQDN (exact name first,
   * then a wildcard), newest NotBefore first. `tlsCertificateName` (`<I>issuer<S>subject`) overrides the FQDN match.
   */
  selectForFqdn(fqdn: string, tlsCertificateName?: string): SelectedCertificate {
    const usable = this.list().filter((i) => i.services.has('SMTP') && i.privateKeyPem);
    if (tlsCertificateName) {
      const want = parseTlsCertificateName(tlsCertificateName);
      const found = usable.filter((i) => sameDn(i.certificate.issuer, want.issuer) && sameDn(i.certificate.subject, want.subject));
      const pick = newest(found);
      return pick ? { ok: true, stored: pick, how: 'TlsCertificateName' } : { ok: false, reason: 'TlsCertificateNameNotFound', detail: `No SMTP certificate with issuer "${want.issuer}" and subject "${want.subject}".` };
    }
    const f = fqdn.toLowerCase();
    const exact = usable.filter((i) => i.certificate.names.some((n) => n.toLowerCase() === f));
    const wildcard = usable.filter((i) => matchHost(i.certificate.names, f));
    const pick = newest(exact) ?? newest(wildcard);
    return pick
      ? { ok: true, stored: pick, how: exact.includes(pick) ? 'exact' : 'wildcard' }
      : { ok: false, reason: 'NoCertificateForFqdn', detail: `No certificate enabled for SMTP has the name ${fqdn} (CN or DNS SAN).` };
  }
}

export type SelectedCertificate =
  | { ok: true; stored: StoredCertificate; how: 'exact' | 'wildcard' | 'TlsCertificateName' }
  | { ok: false; reason: 'NoCertificateForFqdn' | 'TlsCertificateNameNotFound'; detail: string };

function newest(items: StoredCertificate[]): StoredCertificate | undefined {
  return [...items].sort((a, b) => b.certificate.notBefore.getTime() - a.certificate.notBefore.getTime())[0];
}

export function parseTlsCertificateName(value: string): { issuer: string; subject: string } {
  const m = /^<I>(.*)<S>(.*)$/is.exec(value.trim());
  if (!m) throw new DomsecError('ERR_SEND_CONNECTOR_INVALID', `"${value}" isn't a valid TlsCertificateName. Use <I>issuer<S>subject.`);
  return { issuer: m[1].trim(), subject: m[2].trim() };
}

function sameDn(a: string, b: string): boolean {
  const norm = (s: string) => s.split(/\s*,\s*/).map((p) => p.toLowerCase()).sort().join(',');
  return norm(a) === norm(b);
}
