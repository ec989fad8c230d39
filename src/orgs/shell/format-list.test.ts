import { describe, expect, it } from 'vitest';
import { formatByteSize, formatDate, formatTimeSpan } from './display-value.js';
import { formatList } from './format-list.js';

describe('formatList', () => {
  it('aligns the colons and writes lists as {a, b} and {} (DS-CONF-08)', () => {
    expect(formatList([{ type: 't', props: { TLSSendDomainSecureList: ['a.com', 'b.com'], Empty: [], Flag: true, Missing: undefined } }])).toBe([
      'TLSSendDomainSecureList : {a.com, b.com}',
      'Empty                   : {}',
      'Flag                    : True',
      'Missing                 :',
    ].join('\n'));
  });

  it('separates objects with a blank line', () => {
    expect(formatList([{ type: 't', props: { A: 1 } }, { type: 't', props: { A: 2 } }])).toBe('A : 1\n\nA : 2');
  });

  it('writes dates, time spans and sizes as EMS does', () => {
    expect(formatDate(new Date('2027-03-01T00:05:09Z'))).toBe('3/1/2027 12:05:09 AM');
    expect(formatDate(new Date('2027-03-01T13:00:00Z'))).toBe('3/1/2027 1:00:00 PM');
    expect(formatTimeSpan(30 * 60_000)).toBe('00:30:00');
    expect(formatTimeSpan(2 * 86_400_000 + 1000)).toBe('2.00:00:01');
    expect(formatByteSize(35 * 1024 * 1024)).toBe('35 MB (36,700,160 bytes)');
  });
});
