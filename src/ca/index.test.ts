// Checks that the public surface still has contract.md's names and signatures (tsc checks the assignments; vitest checks the values exist).
import { describe, it, expect } from 'vitest';
import * as ca from './index.js';
import type {
  AuthorityOptions, Certificate, CertificateAuthority, ChainResult, ChainStatus, Eku, KeyAlgorithm, KeyedCertificate,
  LeafOptions, NameMatch, NameRule, ValidationOptions,
} from './index.js';

// Each line restates a contract.md signature; a drift in index.ts breaks `tsc --noEmit`.
const contract = {
  createRoot: ca.CertificateAuthority.createRoot satisfies (o: AuthorityOptions) => Promise<CertificateAuthority>,
  fromPem: ca.Certificate.fromPem satisfies (pem: string) => Certificate,
  fromDer: ca.Certificate.fromDer satisfies (der: Uint8Array) => Certificate,
  createSelfSigned: ca.createSelfSigned satisfies (o: LeafOptions & { now?: Date }) => Promise<KeyedCertificate>,
  parseExchangeSubject: ca.parseExchangeSubject satisfies (s: string) => string,
  createRequest: ca.createRequest satisfies (o: { subjectName: string; domainNames?: string[]; keySize?: 1024 | 2048 | 4096; algorithm?: KeyAlgorithm }) =>
    Promise<{ csrBase64: string; csrPem: string; privateKeyPem: string; names: string[] }>,
  readRequest: ca.readRequest satisfies (csrPemOrBase64: string) => { subject: string; names: string[]; publicKeySize: number },
  exportPfx: ca.exportPfx satisfies (k: KeyedCertificate, password: string) => Promise<Uint8Array>,
  importPfx: ca.importPfx satisfies (bytes: Uint8Array, password: string) => Promise<KeyedCertificate>,
  exportPkcs7: ca.exportPkcs7 satisfies (certs: Certificate[]) => Uint8Array,
  importPkcs7: ca.importPkcs7 satisfies (bytes: Uint8Array) => Certificate[],
  nameCovers: ca.nameCovers satisfies (name: string, domain: string) => NameRule | undefined,
  matchDomain: ca.matchDomain satisfies (names: string[], domain: string) => NameMatch,
  matchHost: ca.matchHost satisfies (names: string[], host: string) => boolean,
  validateChain: ca.validateChain satisfies (o: ValidationOptions) => Promise<ChainResult>,
  issueFaulty: ca.issueFaulty satisfies (c: CertificateAuthority, kind: 'expired' | 'not-yet-valid' | 'no-client-auth' | 'wrong-names' | 'self-signed' | 'unknown-issuer', base: LeafOptions & { now: Date }) => Promise<KeyedCertificate>,
};

type Methods = {
  createSubordinate(o: AuthorityOptions): Promise<CertificateAuthority>;
  issue(o: LeafOptions): Promise<KeyedCertificate>;
  signRequest(csrPem: string, o?: { notBefore?: Date; notAfter?: Date; ekus?: Eku[] | 'none' }): Promise<KeyedCertificate['certificate']>;
  revoke(serialNumber: string, at?: Date): void;
  isRevoked(serialNumber: string): boolean;
  crl(now?: Date, nextUpdate?: Date): Promise<Uint8Array>;
  readonly certificate: Certificate;
  readonly chain: Certificate[];
};
type Fields = {
  der: Uint8Array; pem: string; subject: string; issuer: string; commonName?: string; dnsNames: string[]; names: string[];
  serialNumber: string; thumbprint: string; notBefore: Date; notAfter: Date; ekus: Eku[] | 'any'; isSelfSigned: boolean;
  isCa: boolean; crlDistributionPoints: string[]; publicKeySize: number; keyAlgorithm: KeyAlgorithm;
};
const statuses: ChainStatus[] = ['Valid', 'ValidSelfSigned', 'EmptyCertificate', 'UntrustedRoot', 'CertificateExpired', 'Revoked',
  'RevocationOffline', 'SubjectMismatch', 'WrongUsage', 'SignatureFailure'];

describe('public surface (contract.md)', () => {
  it('exports every contract function', () => {
    for (const [name, fn] of Object.entries(contract)) expect(typeof fn, name).toBe('function');
  });

  it('has the CertificateAuthority and Certificate shapes', async () => {
    const root = await ca.CertificateAuthority.createRoot({ name: 'Surface Root CA' });
    const methods: Methods = root;
    const fields: Fields = root.certificate;
    expect(typeof methods.crl).toBe('function');
    expect(fields.subject).toBe('CN=Surface Root CA');
  });

  it('has exactly the DS-CERT-06 statuses', () => {
    expect([...ca.CHAIN_STATUSES].sort()).toEqual([...statuses].sort());
  });
});
