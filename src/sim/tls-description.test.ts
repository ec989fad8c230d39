// The TLS line's parts from a real session (DS-LOG-03); the server's key-exchange group from OpenSSL's session record.
import { describe, expect, it } from 'vitest';
import { schannelParts, sessionKexGroup, tlsSuccessLine } from './tls-description.js';

// SSL_SESSION DER written by Node 20's OpenSSL 3.0 on the server side of real handshakes (tag [19] = kex_group).
const TLS13_X25519 = '3046020101020203040402130204000400a10602046b12f11ba20402021c20a42204203266386531653730363735393462323438636338626361336639373061303039b30302011d';
const TLS13_P384 = '3046020101020203040402130204000400a10602046b12f11ba20402021c20a42204203266386531653730363735393462323438636338626361336639373061303039b303020118';

describe('the TLS line', () => {
  it('reads the key-exchange group a server session recorded', () => {
    expect(sessionKexGroup(Buffer.from(TLS13_X25519, 'hex'))).toBe(29);
    expect(sessionKexGroup(Buffer.from(TLS13_P384, 'hex'))).toBe(24);
    expect(sessionKexGroup(Buffer.from('3003020101', 'hex'))).toBeUndefined();
    expect(sessionKexGroup(undefined)).toBeUndefined();
  });

  it('names TLS 1.3 suites and static RSA key exchange in SChannel terms', () => {
    expect(schannelParts('TLS_AES_256_GCM_SHA384')).toEqual({ bulk: 'CALG_AES_256', strength: 256, mac: 'CALG_SHA_384', kx: 'CALG_ECDH_EPHEM' });
    expect(schannelParts('AES128-GCM-SHA256').kx).toBe('CALG_RSA_KEYX');
    expect(tlsSuccessLine({ version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', ephemeralBits: 253 }, 'SERVER'))
      .toBe('TLS protocol SP_PROT_TLS1_3_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 253 bits');
  });
});
