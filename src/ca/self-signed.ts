// Owns self-signed leaf certificates: what New-ExchangeCertificate makes without a CA (trusted only once imported, DS-CERT-01).
import { checkLeafOptions, DEFAULT_EKUS, leafExtensions, validityWindow, type KeyedCertificate, type LeafOptions } from './certificate-profile.js';
import { DEFAULT_KEY_ALGORITHM, exportPrivateKeyPem, generateKeyPair } from './key-algorithm.js';
import { SerialNumberSource } from './serial-number.js';
import { signCertificate } from './sign-certificate.js';
import { commonNameSubject, encodeSubject } from './subject-name.js';

/** `serialSeed` is an addition to contract.md: a deterministic serial for seeded labs. */
export async function createSelfSigned(o: LeafOptions & { now?: Date; serialSeed?: string }): Promise<KeyedCertificate> {
  checkLeafOptions(o);
  const keys = await generateKeyPair(o.algorithm ?? DEFAULT_KEY_ALGORITHM, o.keySeed);
  const name = o.subject ? encodeSubject(o.subject) : commonNameSubject(o.commonName);
  const { notBefore, notAfter } = validityWindow(o.now ?? new Date(), o, 365);
  const certificate = await signCertificate({
    subject: name, issuer: name, publicKey: keys.publicKey, signingKey: keys.privateKey,
    serialNumber: new SerialNumberSource(o.serialSeed).next(), notBefore, notAfter,
    extensions: await leafExtensions({
      publicKey: keys.publicKey, keyIsEc: keys.publicKey.algorithm.name === 'ECDSA',
      dnsNames: o.dnsNames ?? [], ekus: o.ekus ?? DEFAULT_EKUS,
    }),
  });
  return { certificate, privateKeyPem: await exportPrivateKeyPem(keys.privateKey), chain: [] };
}
