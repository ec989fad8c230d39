import { describe, expect, it } from 'vitest';
import { type Arg, convert, parseByteSize, parseTimeSpan, T } from './parameter-types.js';

const text = (t: string): Arg => ({ kind: 'text', text: t, quoted: false });
const list = (...t: string[]): Arg => ({ kind: 'list', items: t.map(text) });

describe('convert', () => {
  it('turns the list forms into ListEdits (DS-CONF-01)', () => {
    const p = T.listEdit('MVP');
    expect(convert('L', p, list('a.com', 'b.com'))).toEqual({ kind: 'replace', values: ['a.com', 'b.com'] });
    expect(convert('L', p, { kind: 'null' })).toEqual({ kind: 'clear' });
    expect(convert('L', p, { kind: 'hash', entries: new Map([['add', list('x.com')], ['Remove', text('y.com')]]) })).toEqual({ kind: 'edit', add: ['x.com'], remove: ['y.com'] });
    expect(() => convert('L', p, { kind: 'hash', entries: new Map([['Replace', text('x')]]) })).toThrow('Use @{Add="domain"} or @{Remove="domain"}.');
  });

  it('bool accepts $true/$false and numbers only', () => {
    expect(convert('B', T.bool, { kind: 'bool', value: true })).toBe(true);
    expect(convert('B', T.bool, text('0'))).toBe(false);
    expect(() => convert('B', T.bool, text('true'))).toThrow('Cannot convert value "true" to type "System.Boolean".');
    expect(() => convert('B', T.bool, { kind: 'null' })).toThrow();
  });

  it('flags accept a comma string or an array; enums are case-insensitive', () => {
    const f = T.flags('Auth', ['None', 'Tls', 'Integrated']);
    expect(convert('A', f, text('tls, integrated'))).toEqual(['Tls', 'Integrated']);
    expect(convert('A', f, list('TLS', 'Integrated'))).toEqual(['Tls', 'Integrated']);
    expect(() => convert('E', T.enum('Lvl', ['None', 'Verbose']), list('Verbose', 'and'))).toThrow('Cannot convert value "Verbose,and" to type "Lvl".');
  });

  it('thumbprints lose spaces and gain upper case; strings refuse arrays', () => {
    expect(convert('T', T.thumbprint, text('ab493a0c 9a6c0327162fe04ef74609cb8fb7fe24'))).toBe('AB493A0C9A6C0327162FE04EF74609CB8FB7FE24');
    expect(() => convert('S', T.string, list('a', 'b'))).toThrow('Cannot convert value "a,b" to type "System.String".');
    expect(convert('S', T.string, { kind: 'null' })).toBeNull();
  });

  it('parses Exchange time spans and byte sizes', () => {
    expect(parseTimeSpan('00:10:00')).toBe(600_000);
    expect(parseTimeSpan('2.00:00:00')).toBe(172_800_000);
    expect(parseTimeSpan('25:00:00')).toBeUndefined();
    expect(parseByteSize('10MB')).toBe(10 * 1024 * 1024);
    expect(parseByteSize('512 kb')).toBe(524_288);
    expect(parseByteSize('lots')).toBeUndefined();
  });
});
