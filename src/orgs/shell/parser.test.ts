import { describe, expect, it } from 'vitest';
import { isDomsecError } from '../../errors.js';
import { parseLine } from './parser.js';

describe('parseLine', () => {
  it('parses a pipeline with a formatter', () => {
    const [st] = parseLine('Get-SendConnector –identity ConnectorName | FL');
    expect(st.kind).toBe('pipeline');
    if (st.kind !== 'pipeline') return;
    expect(st.pipeline.map((c) => c.name)).toEqual(['Get-SendConnector', 'FL']);
    expect(st.pipeline[0].elements).toEqual([
      { kind: 'param', name: 'identity', raw: '–identity', colon: false, value: undefined },
      { kind: 'value', value: { kind: 'text', text: 'ConnectorName', quoted: false } },
    ]);
  });

  it('attaches the colon-form value to its parameter', () => {
    const [st] = parseLine('Set-SendConnector Internet -DomainSecureEnabled:$True');
    expect(st.kind === 'pipeline' && st.pipeline[0].elements[1]).toEqual({
      kind: 'param', name: 'DomainSecureEnabled', raw: '-DomainSecureEnabled:', colon: true, value: { kind: 'variable', name: 'True' },
    });
  });

  it('makes comma lists and hash literals values', () => {
    const [st] = parseLine('Set-TransportConfig -TLSSendDomainSecureList a.com,"b.com" -TLSReceiveDomainSecureList @{Add="c.com";Remove="d.com"}');
    if (st.kind !== 'pipeline') throw new Error('pipeline expected');
    const values = st.pipeline[0].elements.filter((e) => e.kind === 'value').map((e) => e.kind === 'value' && e.value.kind);
    expect(values).toEqual(['list', 'hash']);
  });

  it('parses a subexpression and an assignment', () => {
    const [a, b] = parseLine('$pw = "x"; Import-ExchangeCertificate -Path c:\\a.pfx -Password (ConvertTo-SecureString -String $pw -AsPlainText -Force)');
    expect(a.kind).toBe('assignment');
    expect(b.kind === 'pipeline' && b.pipeline[0].elements[3]).toMatchObject({ kind: 'value', value: { kind: 'subexpression' } });
  });

  it('reports syntax errors with ERR_SHELL_SYNTAX', () => {
    for (const bad of ['Get-Queue |', 'Set-TransportConfig -TLSSendDomainSecureList a.com,', '"Get-Queue"', 'Set-SendConnector X -DomainSecureEnabled:']) {
      let err: unknown;
      try { parseLine(bad); } catch (e) { err = e; }
      expect(isDomsecError(err, 'ERR_SHELL_SYNTAX'), bad).toBe(true);
    }
  });
});

describe('nesting (found by parser.fuzz.test.ts: 20,000 "(" overflowed the stack)', () => {
  it('parses 64 levels and refuses 65 with a syntax error', () => {
    expect(parseLine(`Set-X -P ${'('.repeat(64)}1${')'.repeat(64)}`)).toHaveLength(1);
    expect(() => parseLine(`Set-X -P ${'('.repeat(65)}1${')'.repeat(65)}`)).toThrow(/nests parentheses or @\{…\} more than 64 deep/);
    expect(() => parseLine(`Set-X -P ${'(Get-X '.repeat(20_000)}`)).toThrow(expect.objectContaining({ code: 'ERR_SHELL_SYNTAX' }));
  });
});
