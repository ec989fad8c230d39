import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('reads the seed 002 en-dash parameter prefix as a parameter', () => {
    expect(tokenize('Set-TransportConfig –TLSReceiveDomainSecureList treyresereach.net')).toEqual([
      { kind: 'word', text: 'Set-TransportConfig' },
      { kind: 'param', name: 'TLSReceiveDomainSecureList', colon: false, raw: '–TLSReceiveDomainSecureList' },
      { kind: 'word', text: 'treyresereach.net' },
    ]);
  });

  it('reads the colon form -Param:$True as a parameter followed by its variable', () => {
    expect(tokenize('-DomainSecureEnabled:$True')).toEqual([
      { kind: 'param', name: 'DomainSecureEnabled', colon: true, raw: '-DomainSecureEnabled:' },
      { kind: 'variable', name: 'True' },
    ]);
  });

  it('keeps quoted strings whole, including typographic quotes and doubled quotes', () => {
    expect(tokenize('"DC=com,DC=Contoso,CN=mail1.contoso.com" \u201Cdomain name\u201D \'it\'\'s\'').map((t) => (t as { text: string }).text))
      .toEqual(['DC=com,DC=Contoso,CN=mail1.contoso.com', 'domain name', "it's"]);
  });

  it('splits comma lists and pipes, even without spaces (|FL)', () => {
    expect(tokenize('a.com,b.com|FL').map((t) => t.kind)).toEqual(['word', 'comma', 'word', 'pipe', 'word']);
  });

  it('reads hash literals with = and ; as structure only inside @{…}', () => {
    expect(tokenize('@{Add="x.com";Remove=y.com} CN=a').map((t) => t.kind))
      .toEqual(['hashStart', 'word', 'equals', 'string', 'semicolon', 'word', 'equals', 'word', 'hashEnd', 'word']);
  });

  it('keeps a Windows path and an IP range as one word, and a negative number as a value', () => {
    expect(tokenize('c:\\certificates\\request.p7c 0.0.0.0-255.255.255.255 -5').map((t) => t.kind)).toEqual(['word', 'word', 'word']);
  });

  it('stops at a comment', () => {
    expect(tokenize('Get-Queue # look').length).toBe(1);
  });

  it('refuses an unterminated string with the ParserError shape', () => {
    expect(() => tokenize('Set-SendConnector "Internet')).toThrow(/missing the terminator/);
    expect(() => tokenize('Set-TransportConfig -TLSSendDomainSecureList @{Add="a.com"')).toThrow(/Missing closing '}'/);
  });
});
