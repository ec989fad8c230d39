// Issue 10: unrecognized critical extensions and weak keys/signatures, as the model choice in docs/model-choices.md decides them.
import forge from 'node-forge';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from './authority.js';
import { Certificate } from './certificate.js';
import { issueFaulty, UNKNOWN_CRITICAL_OID } from './faulty.js';
import { NOW } from './test-fixtures.js';
import { validateChain } from './validate-chain.js';

/** A root and a leaf made with node-forge, which (unlike WebCrypto) can sign with MD5 and make 512-bit RSA keys. */
function forgeChain(o: { leafHash: 'md5' | 'sha256'; leafBits: number }): { root: Certificate; leaf: Certificate } {
  const key = (bits: number) => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    const priv = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as unknown as forge.pki.rsa.PrivateKey;
    return { priv, pub: forge.pki.setRsaPublicKey(priv.n, priv.e) };
  };
  const make = (cn: string, serial: string, pub: forge.pki.PublicKey, issuer: forge.pki.CertificateField[], signer: forge.pki.rsa.PrivateKey, hash: forge.md.MessageDigest, ca: boolean) => {
    const c = forge.pki.createCertificate();
    c.publicKey = pub;
    c.serialNumber = serial;
    c.validity.notBefore = new Date(NOW.getTime() - 86_400_000);
    c.validity.notAfter = new Date(NOW.getTime() + 86_400_000 * 30);
    c.setSubject([{ name: 'commonName', value: cn }]);
    c.setIssuer(issuer);
    c.setExtensions(ca ? [{ name: 'basicConstraints', cA: true, critical: true }] : [{ name: 'subjectAltName', altNames: [{ type: 2, value: cn }] }]);
    c.sign(signer, hash);
    return Certificate.fromDer(new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary')));
  };
  const rk = key(2048);
  const lk = key(o.leafBits);
  const rootName = [{ name: 'commonName', value: 'Forge Root' }];
  const root = make('Forge Root', '01', rk.pub, rootName, rk.priv, forge.md.sha256.create(), true);
  const leaf = make('mail.contoso.com', '02', lk.pub, rootName, rk.priv, o.leafHash === 'md5' ? forge.md.md5.create() : forge.md.sha256.create(), false);
  return { root, leaf };
}

const validate = (leaf: Certificate, root: Certificate) =>
  validateChain({ presented: [leaf], trustedRoots: [root], at: NOW, domain: 'contoso.com', revocation: 'off' });

describe('chain policy beyond trust and dates', () => {
  it('an unrecognized critical extension makes the chain WrongUsage, naming the OID', async () => {
    const ca = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW });
    const k = await issueFaulty(ca, 'unknown-critical-extension', { commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'], now: NOW });
    expect(k.certificate.criticalExtensions).toContain(UNKNOWN_CRITICAL_OID);
    const r = await validate(k.certificate, ca.certificate);
    expect(r.status).toBe('WrongUsage');
    expect(r.detail).toContain(UNKNOWN_CRITICAL_OID);
  });

  it('the same extension not marked critical is ignored', async () => {
    const ca = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW });
    const k = await ca.issue({ commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'], now: NOW, extraExtensions: [{ oid: UNKNOWN_CRITICAL_OID, critical: false, value: new Uint8Array([5, 0]) }] });
    expect((await validate(k.certificate, ca.certificate)).status).toBe('Valid');
  });

  it('SHA-1 signatures and RSA-1024 keys pass (Exchange on a private PKI)', async () => {
    const ca = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW });
    const sha1 = await issueFaulty(ca, 'sha1-signature', { commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'], now: NOW });
    expect(sha1.certificate.signatureHash).toBe('SHA-1');
    expect((await validate(sha1.certificate, ca.certificate)).status).toBe('Valid');
    const rsa = await issueFaulty(ca, 'rsa-1024', { commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'], now: NOW });
    expect(rsa.certificate.publicKeySize).toBe(1024);
    expect((await validate(rsa.certificate, ca.certificate)).status).toBe('Valid');
  });

  it('an MD5 signature is a SignatureFailure', () => {
    const { root, leaf } = forgeChain({ leafHash: 'md5', leafBits: 2048 });
    expect(leaf.signatureHash).toBe('MD5');
    return validate(leaf, root).then((r) => {
      expect(r.status).toBe('SignatureFailure');
      expect(r.detail).toContain('MD5');
    });
  });

  it('an RSA key under 1024 bits is a SignatureFailure; the forge-made chain is otherwise Valid', async () => {
    const weak = forgeChain({ leafHash: 'sha256', leafBits: 512 });
    const r = await validate(weak.leaf, weak.root);
    expect(r.status).toBe('SignatureFailure');
    expect(r.detail).toContain('512-bit RSA key');
    const good = forgeChain({ leafHash: 'sha256', leafBits: 1024 });
    expect((await validate(good.leaf, good.root)).status).toBe('Valid');
  });
});
