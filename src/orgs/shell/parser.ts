// Owns the grammar of a shell line: statements of pipelines of commands whose arguments are parameters and value expressions.
import { ShellError } from './ps-error.js';
import { type Token, tokenize } from './tokenizer.js';

export type Value =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'variable'; name: string }
  | { kind: 'list'; items: Value[] }
  | { kind: 'hash'; entries: { key: string; value: Value }[] }
  | { kind: 'subexpression'; pipeline: Pipeline };

/** `-Name` (colon form carries its value: `-Name:$true`) or a bare value that the binder places. */
export type Element =
  | { kind: 'param'; name: string; raw: string; colon: boolean; value?: Value }
  | { kind: 'value'; value: Value };

export interface Command {
  name: string;
  elements: Element[];
}

export type Pipeline = Command[];

export type Statement =
  | { kind: 'pipeline'; pipeline: Pipeline }
  | { kind: 'assignment'; variable: string; value: Value };

const syntax = (message: string, fqid: string) => new ShellError('ERR_SHELL_SYNTAX', message, { category: 'ParserError', fqid });

export function parseLine(line: string): Statement[] {
  const p = new Parser(tokenize(line));
  const out: Statement[] = [];
  while (!p.done()) {
    if (p.peek()?.kind === 'semicolon') { p.next(); continue; }
    out.push(p.statement());
  }
  return out;
}

/** Parentheses, hash literals and subexpressions nest at most this deep; the parser recurses once per level. */
export const MAX_NESTING = 64;

class Parser {
  #i = 0;
  #depth = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.#i >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.#i + offset];
  }

  next(): Token | undefined {
    return this.tokens[this.#i++];
  }

  statement(): Statement {
    const t = this.peek();
    const eq = this.peek(1);
    if (t?.kind === 'variable' && eq?.kind === 'word' && eq.text === '=') {
      this.#i += 2;
      if (this.done()) throw syntax("You must provide a value expression following the '=' operator.", 'ExpectedValueExpression');
      return { kind: 'assignment', variable: t.name, value: this.expression() };
    }
    return { kind: 'pipeline', pipeline: this.pipeline(false) };
  }

  pipeline(nested: boolean): Pipeline {
    const commands: Command[] = [this.command(nested)];
    while (this.peek()?.kind === 'pipe') {
      this.next();
      if (this.done() || this.peek()?.kind === 'parenEnd') throw syntax('An empty pipe element is not allowed.', 'EmptyPipeElement');
      commands.push(this.command(nested));
    }
    return commands;
  }

  command(nested: boolean): Command {
    const t = this.next();
    if (!t || t.kind !== 'word') {
      throw syntax(`Unexpected token '${describe(t)}' in expression or statement. A command line starts with a cmdlet name, for example Get-TransportConfig.`, 'UnexpectedToken');
    }
    const elements: Element[] = [];
    for (;;) {
      const n = this.peek();
      if (!n || n.kind === 'pipe' || n.kind === 'semicolon' || (nested && n.kind === 'parenEnd')) break;
      if (n.kind === 'param') {
        this.next();
        const value = n.colon ? this.colonValue(n.raw) : undefined;
        elements.push({ kind: 'param', name: n.name, raw: n.raw, colon: n.colon, value });
      } else {
        elements.push({ kind: 'value', value: this.expression() });
      }
    }
    return { name: t.text, elements };
  }

  colonValue(raw: string): Value {
    const n = this.peek();
    if (!n || n.kind === 'pipe' || n.kind === 'semicolon' || n.kind === 'param') {
      throw syntax(`Missing an argument after '${raw}'. Give the value right after the colon, for example ${raw}$true.`, 'ParameterRequiresArgument');
    }
    return this.expression();
  }

  /** A primary, or several joined by commas into an array, as `a.com,b.com` is in PowerShell. */
  expression(): Value {
    const first = this.primary();
    if (this.peek()?.kind !== 'comma') return first;
    const items = [first];
    while (this.peek()?.kind === 'comma') {
      this.next();
      const n = this.peek();
      if (!n || n.kind === 'pipe' || n.kind === 'param' || n.kind === 'semicolon' || n.kind === 'hashEnd' || n.kind === 'parenEnd') {
        throw syntax("Missing expression after ','.", 'MissingExpressionAfterToken');
      }
      items.push(this.primary());
    }
    return { kind: 'list', items };
  }

  primary(): Value {
    const t = this.next();
    switch (t?.kind) {
      case 'word': return { kind: 'text', text: t.text, quoted: false };
      case 'string': return { kind: 'text', text: t.text, quoted: true };
      case 'variable': return { kind: 'variable', name: t.name };
      case 'hashStart': return this.nested(() => this.hash());
      case 'parenStart': return this.nested(() => this.paren());
      default: throw syntax(`Unexpected token '${describe(t)}' in expression or statement.`, 'UnexpectedToken');
    }
  }

  /** A line nested deeper than MAX_NESTING is a syntax error, not a stack overflow (found by parser.fuzz.test.ts). */
  nested(parse: () => Value): Value {
    if (++this.#depth > MAX_NESTING) throw syntax(`The line nests parentheses or @{…} more than ${MAX_NESTING} deep.`, 'NestingTooDeep');
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  hash(): Value {
    const entries: { key: string; value: Value }[] = [];
    for (;;) {
      const t = this.next();
      if (!t) throw syntax("Missing closing '}' in statement block or type definition.", 'MissingEndCurlyBrace');
      if (t.kind === 'hashEnd') return { kind: 'hash', entries };
      if (t.kind === 'semicolon') continue;
      if (t.kind !== 'word' && t.kind !== 'string') throw syntax('Missing key before \'=\' in hash literal.', 'MissingEqualsInHashLiteral');
      if (this.next()?.kind !== 'equals') throw syntax("Missing '=' operator after key in hash literal.", 'MissingEqualsInHashLiteral');
      entries.push({ key: t.text, value: this.expression() });
    }
  }

  paren(): Value {
    const t = this.peek();
    // `(ConvertTo-SecureString …)` runs a command; `("a","b")` is just a grouped value.
    const isCommand = t?.kind === 'word' && /^[A-Za-z]+-[A-Za-z]+$/.test(t.text);
    const value: Value = isCommand ? { kind: 'subexpression', pipeline: this.pipeline(true) } : this.expression();
    if (this.next()?.kind !== 'parenEnd') throw syntax("Missing closing ')' in expression.", 'MissingEndParenthesisInExpression');
    return value;
  }
}

function describe(t: Token | undefined): string {
  if (!t) return 'end of line';
  switch (t.kind) {
    case 'word': case 'string': return t.text;
    case 'variable': return `$${t.name}`;
    case 'param': return t.raw;
    default: return ({ comma: ',', pipe: '|', semicolon: ';', hashStart: '@{', hashEnd: '}', equals: '=', parenStart: '(', parenEnd: ')' } as const)[t.kind];
  }
}
