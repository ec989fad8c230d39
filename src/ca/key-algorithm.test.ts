// Checks key generation, Exchange key sizes and PKCS#8 export.
import { describe, it, expect } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { isDomsecError } from '../errors.js';
import { describePublicKey, exportPrivateKeyPem, generateKeyPair, importSigningKey, keyAlgorithmForSize, readPrivateKey } from './key-algorithm.js';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try { await (typeof p === 'function' ? p() : p); } catch (e) { return isDomsecError(e) ? e.code : 'not-a-DomsecError'; }
  return undefined;
}

describe('key algorithms', () => {
  it('maps Exchange key sizes to RSA and refuses others with ERR_KEY_SIZE', async () => {
    expect(keyAlgorithmForSize(1024)).toBe('RSA-1024');
    expect(keyAlgorithmForSize(2048)).toBe('RSA-2048');
    expect(keyAlgorithmForSize(4096)).toBe('RSA-4096');
    expect(await codeOf(() => keyAlgorithmForSize(512))).toBe('ERR_KEY_SIZE');
    expect(await codeOf(() => keyAlgorithmForSize(3072))).toBe('ERR_KEY_SIZE');
    expect(await codeOf(generateKeyPair('DSA-1024' as never))).toBe('ERR_KEY_SIZE');
  });

  it('exports P-256 keys as PKCS#8 PEM that Node reads', async () => {
    const keys = await generateKeyPair();
    const pem = await exportPrivateKeyPem(keys.privateKey);
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyType).toBe('ec');
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    expect(describePublicKey(new Uint8Array(spki))).toEqual({ algorithm: 'ECDSA-P256', size: 256, description: 'ECDSA-P256' });
  });

  it('makes RSA keys of the asked size and re-imports them for signing', async () => {
    const keys = await generateKeyPair('RSA-1024');
    const pem = await exportPrivateKeyPem(keys.privateKey);
    const spki = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
    expect(describePublicKey(new Uint8Array(spki))).toEqual({ algorithm: 'RSA-1024', size: 1024, description: 'RSA-1024' });
    const again = await importSigningKey(pem);
    expect(again.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
  });

  it('refuses unreadable private keys with ERR_KEY_FORMAT', async () => {
    expect(await codeOf(() => readPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'))).toBe('ERR_KEY_FORMAT');
    expect(await codeOf(importSigningKey('not a key'))).toBe('ERR_KEY_FORMAT');
  });
});
