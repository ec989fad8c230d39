// Owns the vocabulary of chain validation: the DS-CERT-06 statuses, which DS rule decides each, and the result shape.
import type { Certificate, Eku } from './certificate.js';
import type { NameMatch } from './names.js';

export type ChainStatus = 'Valid' | 'ValidSelfSigned' | 'EmptyCertificate' | 'UntrustedRoot' | 'CertificateExpired' | 'Revoked'
  | 'RevocationOffline' | 'SubjectMismatch' | 'WrongUsage' | 'SignatureFailure';

export const CHAIN_STATUSES: readonly ChainStatus[] = ['Valid', 'ValidSelfSigned', 'EmptyCertificate', 'UntrustedRoot', 'CertificateExpired',
  'Revoked', 'RevocationOffline', 'SubjectMismatch', 'WrongUsage', 'SignatureFailure'];

/** The BEHAVIOUR.md rule that decides each status. */
export const RULE_OF_STATUS: Record<ChainStatus, string> = {
  EmptyCertificate: 'DS-CERT-01',
  SignatureFailure: 'DS-CERT-01',
  UntrustedRoot: 'DS-CERT-01',
  CertificateExpired: 'DS-CERT-03',
  WrongUsage: 'DS-CERT-05',
  Revoked: 'DS-CERT-04',
  RevocationOffline: 'DS-CERT-04',
  SubjectMismatch: 'DS-CERT-02',
  Valid: 'DS-CERT-06',
  ValidSelfSigned: 'DS-CERT-06',
};

/** Exchange's information line when a CRL cannot be fetched and the failure is forgiven (DS-CERT-04, lenient). */
export const REVOCATION_OFFLINE_INFO = 'CRL validation failed with status RevocationOffline. Treating the failure as success.';

export interface ValidationOptions {
  /** Leaf first, then whatever intermediates the peer sent (may be empty). */
  presented: Certificate[];
  /** The validating organization's store (roots, or self-signed leaves imported as trusted). */
  trustedRoots: readonly Certificate[];
  /** Extra CA certificates known locally. */
  intermediates?: Certificate[];
  /** Virtual clock time. */
  at: Date;
  /** Rejects => RevocationOffline. Absent while a certificate names a CDP => RevocationOffline as well. */
  fetchCrl?: (url: string) => Promise<Uint8Array>;
  /** Default 'lenient' (DS-CERT-04 model choice). */
  revocation?: 'lenient' | 'strict' | 'off';
  /** When given, the DS-CERT-02 name check too (SubjectMismatch). */
  domain?: string;
  /** Default ['serverAuth','clientAuth']. */
  requiredEkus?: Eku[];
}

export interface ChainResult {
  ok: boolean;
  status: ChainStatus;
  detail: string;
  /** The DS-CERT-0x rule that decided. */
  rule: string;
  /** E.g. REVOCATION_OFFLINE_INFO. */
  info: string[];
  /** The path built, leaf first, root last (as far as it got). */
  chain: Certificate[];
  /** Set whenever `domain` was given, even when an earlier check decided the status (the receiver checks names first). */
  nameMatch?: NameMatch;
}
