// Checks Exchange subject parsing in both orders and Windows-style display.
import { describe, it, expect } from 'vitest';
import { isDomsecError } from '../errors.js';
import { commonNameOf, commonNameSubject, encodeSubject, formatName, parseExchangeSubject } from './subject-name.js';

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return isDomsecError(e) ? e.code : 'not-a-DomsecError'; }
  return undefined;
}

describe('parseExchangeSubject', () => {
  it("turns Exchange's DER-order subject into the Windows display order", () => {
    expect(parseExchangeSubject('DC=com,DC=Contoso,CN=mail1.contoso.com')).toBe('CN=mail1.contoso.com, DC=Contoso, DC=com');
    expect(parseExchangeSubject('C=US, O=Woodgrove Bank, CN=mail.woodgrovebank.com')).toBe('CN=mail.woodgrovebank.com, O=Woodgrove Bank, C=US');
  });

  it('accepts the display order as is', () => {
    expect(parseExchangeSubject('CN=x.contoso.com, O=Contoso, C=US')).toBe('CN=x.contoso.com, O=Contoso, C=US');
    expect(parseExchangeSubject('CN=mail1.contoso.com, DC=Contoso, DC=com')).toBe('CN=mail1.contoso.com, DC=Contoso, DC=com');
  });

  it('normalizes keys, aliases, spacing and the country code', () => {
    expect(parseExchangeSubject('c=us;o=Contoso ; cn = mail.contoso.com')).toBe('CN=mail.contoso.com, O=Contoso, C=US');
    expect(parseExchangeSubject('CN=a, ST=Washington, L=Redmond')).toBe('CN=a, S=Washington, L=Redmond');
  });

  it('keeps quoted and escaped separators inside values and quotes them on display', () => {
    expect(parseExchangeSubject('C=US, O="Contoso, Ltd", CN=mail.contoso.com')).toBe('CN=mail.contoso.com, O="Contoso, Ltd", C=US');
    expect(parseExchangeSubject('CN=mail.contoso.com, O=Contoso\\, Ltd')).toBe('CN=mail.contoso.com, O="Contoso, Ltd"');
  });

  it('refuses invalid names with ERR_SUBJECT_NAME', () => {
    for (const bad of ['', '   ', 'mail.contoso.com', 'CN=', 'XX=1, CN=a', 'C=USA, CN=a', 'DC=con_toso, CN=a', 'CN=a,', 'CN="open', 'CN=a+OU=b', `CN=${'a'.repeat(65)}`]) {
      expect(code(() => parseExchangeSubject(bad)), bad).toBe('ERR_SUBJECT_NAME');
    }
  });

  it('says how to write a valid name', () => {
    try { parseExchangeSubject('C=USA'); } catch (e) { expect((e as Error).message).toMatch(/two-letter country code.*DC=com,DC=Contoso,CN=mail1.contoso.com/); }
  });
});

describe('encodeSubject / formatName', () => {
  it('stores the name least specific first in DER, as OpenSSL and Windows expect', () => {
    const name = encodeSubject('DC=com,DC=Contoso,CN=mail1.contoso.com');
    expect(name.toJSON()).toEqual([{ DC: ['com'] }, { DC: ['Contoso'] }, { CN: ['mail1.contoso.com'] }]);
    expect(formatName(name)).toBe('CN=mail1.contoso.com, DC=Contoso, DC=com');
    expect(commonNameOf(name)).toBe('mail1.contoso.com');
  });

  it('produces the same DER from either order', () => {
    const a = Buffer.from(encodeSubject('C=US, O=Contoso, CN=mail.contoso.com').toArrayBuffer());
    const b = Buffer.from(encodeSubject('CN=mail.contoso.com, O=Contoso, C=US').toArrayBuffer());
    expect(a.equals(b)).toBe(true);
  });

  it('takes a CN-only subject literally', () => {
    expect(formatName(commonNameSubject('Contoso, Ltd Root'))).toBe('CN="Contoso, Ltd Root"');
    expect(code(() => commonNameSubject(' '))).toBe('ERR_SUBJECT_NAME');
  });
});

describe('bounded work (found by subject-name.fuzz.test.ts: trailing blanks made the separator check quadratic)', () => {
  it('still says a name ends with a separator when blanks follow it', () => {
    expect(() => parseExchangeSubject('CN=a,   ')).toThrow(/it ends with a separator/);
  });
  it('refuses a name over 4096 characters at once, with a short message', () => {
    const long = `${'CN=a,'.repeat(32_000)}CN=b${' '.repeat(32_000)}`;
    let message = '';
    try { parseExchangeSubject(long); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/it is 192004 characters long; at most 4096 are accepted/);
    expect(message.length).toBeLessThan(400);
  });
});
