// A PFX that asks for a huge key-derivation iteration count is refused with ERR_PFX_ITERATIONS before any derivation
// runs (issue 10: a 2.3 kB file froze every edge for 23 s); usual counts still import, in slices off the event loop.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { isDomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import { MAX_PFX_ITERATIONS } from './pbe.js';
import { exportPfx, importPfx } from './pfx.js';
import { pkcs12Kdf, pkcs12KdfAsync } from './pkcs12-kdf.js';
import { NOW, OPENSSL_3DES_PFX_BASE64, OPENSSL_3DES_PFX_PASSWORD } from './test-fixtures.js';

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** The same PFX with its MAC iteration count rewritten (the MAC no longer matches; the count is refused first). */
function withMacIterations(pfxBytes: Uint8Array, iterations: number): Uint8Array {
  const pfx = pkijs.PFX.fromBER(toArrayBuffer(pfxBytes));
  pfx.macData!.iterations = iterations;
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/** The 3DES PFX with the PBE iteration count of its encrypted parts rewritten, and no MAC (so decryption is reached). */
function withPbeIterations(pfxBytes: Uint8Array, iterations: number): Uint8Array {
  const pfx = pkijs.PFX.fromBER(toArrayBuffer(pfxBytes));
  const content = new Uint8Array((pfx.authSafe.content as asn1js.OctetString).getValue());
  const safe = pkijs.AuthenticatedSafe.fromBER(toArrayBuffer(content));
  for (const info of safe.safeContents) {
    if (info.contentType !== '1.2.840.113549.1.7.6') continue;
    const ed = new pkijs.EncryptedData({ schema: info.content });
    const params = ed.encryptedContentInfo.contentEncryptionAlgorithm.algorithmParams as asn1js.Sequence;
    params.valueBlock.value[1] = new asn1js.Integer({ value: iterations });
    info.content = ed.toSchema();
  }
  pfx.authSafe.content = new asn1js.OctetString({ valueHex: safe.toSchema().toBER(false) });
  delete (pfx as { macData?: unknown }).macData;
  return new Uint8Array(pfx.toSchema().toBER(false));
}

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try { await p; } catch (e) { return isDomsecError(e) ? { code: e.code, message: e.message } : { code: 'not-a-DomsecError', message: String(e) }; }
  return {};
}

describe('PFX iteration counts', () => {
  it('refuses a MAC iteration count above the limit at once, with ERR_PFX_ITERATIONS and the limit in the message', async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Iter Root CA', now: NOW });
    const leaf = await root.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'] });
    const good = await exportPfx(leaf, 'pw');
    expect((await importPfx(good, 'pw')).certificate.thumbprint).toBe(leaf.certificate.thumbprint);
    const started = Date.now();
    const e = await errorOf(importPfx(withMacIterations(good, 2_000_000), 'pw'));
    expect(e.code).toBe('ERR_PFX_ITERATIONS');
    expect(e.message).toContain('2000000');
    expect(e.message).toContain(MAX_PFX_ITERATIONS.toLocaleString('en-US'));
    expect(Date.now() - started).toBeLessThan(5000); // refused, not computed (a computed 2e6 would take many seconds)
  });

  it('refuses a PKCS#12 PBE iteration count above the limit in an encrypted part', async () => {
    const bytes = withPbeIterations(new Uint8Array(Buffer.from(OPENSSL_3DES_PFX_BASE64, 'base64')), MAX_PFX_ITERATIONS + 1);
    expect((await errorOf(importPfx(bytes, OPENSSL_3DES_PFX_PASSWORD))).code).toBe('ERR_PFX_ITERATIONS');
  });

  it('the sliced derivation gives the same key and lets other work run between slices', async () => {
    const salt = new Uint8Array([5, 222, 201, 89, 172, 255, 114, 247]);
    let ticks = 0;
    const ticker = setInterval(() => { ticks += 1; }, 0);
    const sliced = await pkcs12KdfAsync('sha1', 'queeg', salt, 20_000, 1, 24);
    clearInterval(ticker);
    expect(Buffer.from(sliced).toString('hex')).toBe(Buffer.from(pkcs12Kdf('sha1', 'queeg', salt, 20_000, 1, 24)).toString('hex'));
    expect(ticks).toBeGreaterThan(0);
  });
});
