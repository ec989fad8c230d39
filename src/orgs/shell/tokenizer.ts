// Owns the lexical layer of the management shell: one EMS command line into tokens, in PowerShell's argument mode.
import { ShellError } from './ps-error.js';

export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'param'; name: string; colon: boolean; raw: string }
  | { kind: 'comma' | 'pipe' | 'semicolon' | 'hashStart' | 'hashEnd' | 'equals' | 'parenStart' | 'parenEnd' };

// Documents pasted from the web carry typographic dashes and quotes; PowerShell itself accepts them, so must we.
const DASHES = new Set(['-', '\u2013', '\u2014', '\u2015']);
const DOUBLE_QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']);
const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
const SPACE = /[\s\u00A0]/;

export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let hashDepth = 0;
  // Inside @{…} `=` and `;` are structure; elsewhere `CN=mail1` is one bare word.
  const stops = (c: string): boolean =>
    SPACE.test(c) || c === '|' || c === ',' || c === ';' || c === ')' || c === '(' || (hashDepth > 0 && (c === '}' || c === '='));
  while (i < line.length) {
    const c = line[i];
    if (SPACE.test(c) || c === '`') { i++; continue; }
    if (c === '#') break; // a comment runs to the end of the line
    if (c === '|') { out.push({ kind: 'pipe' }); i++; continue; }
    if (c === ',') { out.push({ kind: 'comma' }); i++; continue; }
    if (c === ';') { out.push({ kind: 'semicolon' }); i++; continue; }
    if (c === '(') { out.push({ kind: 'parenStart' }); i++; continue; }
    if (c === ')') { out.push({ kind: 'parenEnd' }); i++; continue; }
    if (c === '@' && line[i + 1] === '{') { out.push({ kind: 'hashStart' }); hashDepth++; i += 2; continue; }
    if (c === '}' && hashDepth > 0) { out.push({ kind: 'hashEnd' }); hashDepth--; i++; continue; }
    if (c === '=' && hashDepth > 0) { out.push({ kind: 'equals' }); i++; continue; }
    if (DOUBLE_QUOTES.has(c) || SINGLE_QUOTES.has(c)) {
      const r = readQuoted(line, i, DOUBLE_QUOTES.has(c) ? DOUBLE_QUOTES : SINGLE_QUOTES);
      out.push({ kind: 'string', text: r.text });
      i = r.end;
      continue;
    }
    if (c === '$' && /[A-Za-z_]/.test(line[i + 1] ?? '')) {
      let j = i + 1;
      while (j < line.length && /[\w:]/.test(line[j])) j++;
      out.push({ kind: 'variable', name: line.slice(i + 1, j) });
      i = j;
      continue;
    }
    if (DASHES.has(c) && /[A-Za-z_]/.test(line[i + 1] ?? '')) {
      let j = i + 1;
      while (j < line.length && /[\w]/.test(line[j])) j++;
      const colon = line[j] === ':';
      out.push({ kind: 'param', name: line.slice(i + 1, j), colon, raw: line.slice(i, colon ? j + 1 : j) });
      i = colon ? j + 1 : j;
      // `-Name:value` glued to the colon: the value starts right here, read it as the next token.
      continue;
    }
    let j = i;
    let text = '';
    while (j < line.length && !stops(line[j])) {
      // A quote inside a bare word (c:\"my dir"\x) joins the word, as in PowerShell.
      if (DOUBLE_QUOTES.has(line[j]) || SINGLE_QUOTES.has(line[j])) {
        const r = readQuoted(line, j, DOUBLE_QUOTES.has(line[j]) ? DOUBLE_QUOTES : SINGLE_QUOTES);
        text += r.text;
        j = r.end;
        continue;
      }
      text += line[j];
      j++;
    }
    if (j === i) throw new ShellError('ERR_SHELL_SYNTAX', `Unexpected token '${c}' in expression or statement.`, { category: 'ParserError', fqid: 'UnexpectedToken' });
    out.push({ kind: 'word', text });
    i = j;
  }
  if (hashDepth > 0) throw new ShellError('ERR_SHELL_SYNTAX', "Missing closing '}' in statement block or type definition.", { category: 'ParserError', fqid: 'MissingEndCurlyBrace' });
  return out;
}

function readQuoted(line: string, start: number, quotes: Set<string>): { text: string; end: number } {
  const double = quotes === DOUBLE_QUOTES;
  let j = start + 1;
  let text = '';
  while (j < line.length) {
    const c = line[j];
    if (double && c === '`' && j + 1 < line.length) { text += line[j + 1]; j += 2; continue; }
    if (quotes.has(c)) {
      if (quotes.has(line[j + 1] ?? '')) { text += c; j += 2; continue; } // '' or "" is an escaped quote
      return { text, end: j + 1 };
    }
    text += c;
    j++;
  }
  throw new ShellError('ERR_SHELL_SYNTAX', 'The string is missing the terminator: ' + (double ? '".' : "'."), { category: 'ParserError', fqid: 'TerminatorExpectedAtEndOfString' });
}
