// Owns the single wiring of @peculiar/x509 to Node's WebCrypto; every file in src/ca reaches x509 through here.
// @peculiar/x509 uses tsyringe, which throws at load time unless reflect-metadata is imported first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/** Node's WebCrypto (globalThis.crypto exists on Node >= 19); shared so keys made here work with x509 and pkijs alike. */
export const webcrypto: Crypto = globalThis.crypto;
x509.cryptoProvider.set(webcrypto);

export { x509 };
