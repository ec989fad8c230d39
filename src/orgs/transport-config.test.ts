import { describe, expect, it } from 'vitest';
import { TransportConfig } from './transport-config.js';

describe('TransportConfig secure lists (DS-CONF-01)', () => {
  it('starts empty', () => {
    const t = new TransportConfig();
    expect([t.tlsSendDomainSecureList, t.tlsReceiveDomainSecureList]).toEqual([[], []]);
  });

  it('a plain value replaces the whole list', () => {
    const t = new TransportConfig();
    t.edit({ send: { kind: 'replace', values: ['a.com', 'b.com'] } });
    t.edit({ send: { kind: 'replace', values: ['c.com'] } });
    expect(t.tlsSendDomainSecureList).toEqual(['c.com']);
  });

  it('@{Add;Remove} edits and $null clears', () => {
    const t = new TransportConfig();
    t.edit({ receive: { kind: 'replace', values: ['a.com', 'b.com'] } });
    t.edit({ receive: { kind: 'edit', add: ['C.com'], remove: ['a.com'] } });
    expect(t.tlsReceiveDomainSecureList).toEqual(['b.com', 'c.com']);
    t.edit({ receive: { kind: 'clear' } });
    expect(t.tlsReceiveDomainSecureList).toEqual([]);
  });

  it('rejects wildcards with Exchange\'s message and changes nothing', () => {
    const t = new TransportConfig();
    t.edit({ send: { kind: 'replace', values: ['a.com'] } });
    expect(() => t.edit({ send: { kind: 'replace', values: ['*'] } })).toThrow('"*" isn\'t a valid SMTP domain.');
    expect(() => t.edit({ send: { kind: 'edit', add: ['*.contoso.com'] } })).toThrow('"*.contoso.com" isn\'t a valid SMTP domain.');
    expect(t.tlsSendDomainSecureList).toEqual(['a.com']);
  });

  it('a bad value on one list leaves the other list unchanged too', () => {
    const t = new TransportConfig();
    expect(() => t.edit({ send: { kind: 'replace', values: ['ok.com'] }, receive: { kind: 'replace', values: ['bad domain'] } })).toThrow();
    expect(t.tlsSendDomainSecureList).toEqual([]);
  });

  it('holds at most 256 entries', () => {
    const t = new TransportConfig();
    const many = Array.from({ length: 257 }, (_, i) => `d${i}.com`);
    expect(() => t.edit({ send: { kind: 'replace', values: many } })).toThrow(expect.objectContaining({ code: 'ERR_SECURE_LIST_TOO_LONG' }));
    t.edit({ send: { kind: 'replace', values: many.slice(0, 256) } });
    expect(t.tlsSendDomainSecureList).toHaveLength(256);
  });
});
