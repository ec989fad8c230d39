// Owns the parameter types of the shell's cmdlets and the conversion of an argument into each, with PowerShell's conversion errors.
import type { ListEdit } from '../secure-list.js';
import { bindingErrors } from './ps-error.js';

/** An argument after variables and subexpressions are resolved. */
export type Arg =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'list'; items: Arg[] }
  | { kind: 'hash'; entries: Map<string, Arg> }
  | { kind: 'secure'; text: string };

export type ParamType =
  | { t: 'string' } | { t: 'strings' } | { t: 'switch' } | { t: 'bool' } | { t: 'int'; min?: number; max?: number }
  | { t: 'enum'; name: string; values: readonly string[] } | { t: 'flags'; name: string; values: readonly string[] }
  | { t: 'thumbprint' } | { t: 'listEdit'; name: string } | { t: 'timespan' } | { t: 'size' } | { t: 'secure' };

export const T = {
  string: { t: 'string' }, strings: { t: 'strings' }, switch: { t: 'switch' }, bool: { t: 'bool' }, thumbprint: { t: 'thumbprint' },
  timespan: { t: 'timespan' }, size: { t: 'size' }, secure: { t: 'secure' },
  int: (min?: number, max?: number): ParamType => ({ t: 'int', min, max }),
  enum: (name: string, values: readonly string[]): ParamType => ({ t: 'enum', name, values }),
  flags: (name: string, values: readonly string[]): ParamType => ({ t: 'flags', name, values }),
  listEdit: (name: string): ParamType => ({ t: 'listEdit', name }),
} as const satisfies Record<string, ParamType | ((...a: never[]) => ParamType)>;

/** The .NET type name PowerShell names in its binding errors. */
export function typeName(p: ParamType): string {
  switch (p.t) {
    case 'string': return 'System.String';
    case 'strings': return 'System.String[]';
    case 'switch': return 'System.Management.Automation.SwitchParameter';
    case 'bool': return 'System.Boolean';
    case 'int': return 'System.Int32';
    case 'enum': return p.name;
    case 'flags': return `${p.name}[]`;
    case 'thumbprint': return 'System.String';
    case 'listEdit': return p.name;
    case 'timespan': return 'Microsoft.Exchange.Data.EnhancedTimeSpan';
    case 'size': return 'Microsoft.Exchange.Data.ByteQuantifiedSize';
    case 'secure': return 'System.Security.SecureString';
  }
}

export function argText(a: Arg): string {
  switch (a.kind) {
    case 'text': case 'secure': return a.text;
    case 'bool': return a.value ? 'True' : 'False';
    case 'null': return '';
    case 'list': return a.items.map(argText).join(' ');
    case 'hash': return 'System.Collections.Hashtable';
  }
}

function scalars(param: string, p: ParamType, a: Arg): string[] {
  if (a.kind === 'list') return a.items.flatMap((i) => scalars(param, p, i));
  if (a.kind === 'text' || a.kind === 'secure') return [a.text];
  if (a.kind === 'bool') return [a.value ? 'True' : 'False'];
  throw bindingErrors.conversion(param, argText(a), typeName(p));
}

/** Converts one argument; `null` means the parameter was given `$null` (clear the property). */
export function convert(param: string, p: ParamType, a: Arg): unknown {
  const fail = (why?: string) => bindingErrors.conversion(param, a.kind === 'list' ? a.items.map(argText).join(',') : argText(a), typeName(p), why);
  if (a.kind === 'null') {
    if (p.t === 'bool' || p.t === 'switch' || p.t === 'int') throw fail();
    return p.t === 'listEdit' ? ({ kind: 'clear' } satisfies ListEdit) : null;
  }
  switch (p.t) {
    case 'string': case 'secure':
      if (a.kind === 'text' || a.kind === 'secure') return a.text;
      if (a.kind === 'bool') return a.value ? 'True' : 'False';
      throw fail();
    case 'strings': return scalars(param, p, a);
    case 'switch': case 'bool':
      if (a.kind === 'bool') return a.value;
      if (a.kind === 'text' && /^-?\d+$/.test(a.text)) return Number(a.text) !== 0;
      throw fail('Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.');
    case 'int': {
      if (a.kind !== 'text' || !/^-?\d+$/.test(a.text.trim())) throw fail();
      const n = Number(a.text);
      if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) {
        throw bindingErrors.validation(param, `The ${n} argument is ${p.min !== undefined && n < p.min ? 'less than the minimum allowed range of ' + p.min : 'greater than the maximum allowed range of ' + p.max}. Supply an argument that is ${p.min !== undefined && n < p.min ? 'greater than or equal to ' + p.min : 'less than or equal to ' + p.max} and then try the command again.`);
      }
      return n;
    }
    case 'enum': {
      if (a.kind !== 'text') throw fail();
      return matchEnum(a.text, p.values) ?? (() => { throw fail(enumHint(a.text, p.values)); })();
    }
    case 'flags': {
      // "Tls, Integrated" (one string) and Tls,Integrated (an array) are the same in PowerShell.
      const parts = scalars(param, p, a).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      return parts.map((s) => matchEnum(s, p.values) ?? (() => { throw bindingErrors.conversion(param, s, typeName(p), enumHint(s, p.values)); })());
    }
    case 'thumbprint': {
      if (a.kind !== 'text') throw fail();
      const t = a.text.replace(/[\s\u200E\u200F]/g, '').toUpperCase();
      if (!/^[0-9A-F]{40}$/.test(t)) throw bindingErrors.validation(param, `The thumbprint "${a.text}" isn't valid: a thumbprint is 40 hexadecimal digits. Run Get-ExchangeCertificate to list the thumbprints.`);
      return t;
    }
    case 'listEdit': {
      if (a.kind !== 'hash') return { kind: 'replace', values: scalars(param, p, a) } satisfies ListEdit;
      const edit: { kind: 'edit'; add?: string[]; remove?: string[] } = { kind: 'edit' };
      for (const [k, v] of a.entries) {
        const key = k.toLowerCase();
        if (key !== 'add' && key !== 'remove') throw fail(`The hash table key "${k}" isn't valid. Use @{Add="domain"} or @{Remove="domain"}.`);
        edit[key] = [...(edit[key] ?? []), ...(v.kind === 'null' ? [] : scalars(param, p, v))];
      }
      return edit satisfies ListEdit;
    }
    case 'timespan': {
      const ms = a.kind === 'text' ? parseTimeSpan(a.text) : undefined;
      if (ms === undefined) throw fail('Use [d.]hh:mm:ss, for example 00:10:00 or 2.00:00:00.');
      return ms;
    }
    case 'size': {
      const bytes = a.kind === 'text' ? parseByteSize(a.text) : undefined;
      if (bytes === undefined) throw fail('Use a number of bytes or a size with a unit, for example 10MB.');
      return bytes;
    }
  }
}

function matchEnum(text: string, values: readonly string[]): string | undefined {
  return values.find((v) => v.toLowerCase() === text.trim().toLowerCase());
}

function enumHint(text: string, values: readonly string[]): string {
  return `Error: "Unable to match the identifier name ${text} to a valid enumerator name. Specify one of the following enumerator names and try again: ${values.join(', ')}"`;
}

/** EnhancedTimeSpan's text form: [-][d.]hh:mm:ss, as Exchange prints and accepts it. */
export function parseTimeSpan(text: string): number | undefined {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [d, h, mi, s] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return (((d * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 'B').toUpperCase()]);
}
