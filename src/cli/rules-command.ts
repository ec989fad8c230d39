// `domsec rules [ID]`: the DS rule catalogue (src/rules) as a list, or one rule with its statement, sources and observable signs.
import { DomsecError } from '../errors.js';
import { didYouMean } from '../orgs/shell/suggest-name.js';
import { describeSource, findRule, type Rule, RULES, ruleSection } from '../rules/catalogue.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

/** Wraps a paragraph at `width` columns with an indent, for the terminal. */
function wrap(text: string, indent: string, width = 100): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

export function ruleDetail(r: Rule): string[] {
  const s = ruleSection(r.id);
  return [
    `${r.id}  ${r.title}`,
    ...(s ? [`  Section ${s.number}: ${s.title}`] : []),
    '',
    ...wrap(r.statement, '  '),
    '',
    '  Observable:',
    ...wrap(r.observable, '    '),
    '',
    '  Sources:',
    ...r.sources.flatMap((x) => wrap(describeSource(x), '    ')),
  ];
}

export function ruleList(): string[] {
  const out: string[] = [];
  let family = '';
  for (const r of RULES) {
    const s = ruleSection(r.id);
    if (s && s.family !== family) {
      if (out.length > 0) out.push('');
      out.push(`${s.number}. ${s.title}`);
      family = s.family;
    }
    out.push(`  ${r.id.padEnd(12)} ${r.title}`);
  }
  out.push('', `${RULES.length} rules. "domsec rules <ID>" shows one with its statement, sources and what is observable.`);
  return out;
}

export async function rulesCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOptions('rules', args, { json: { type: 'boolean' } }, 1);
  if (values.help) {
    println(io.stdout, USAGE.rules);
    return EXIT.ok;
  }
  const id = positionals[0];
  if (id === undefined) {
    println(io.stdout, values.json ? JSON.stringify(RULES, null, 2) : ruleList().join('\n'));
    return EXIT.ok;
  }
  const rule = findRule(id);
  if (!rule) {
    // "DS-RECV-4" and "recv-04" are common slips: compare against the IDs with and without the DS- prefix.
    const guess = (/^ds-/i.test(id) ? id : `DS-${id}`).replace(/-(\d)$/, '-0$1');
    const hint = findRule(guess) ? ` Did you mean ${findRule(guess)!.id}?` : didYouMean(guess, RULES.map((r) => r.id));
    throw new DomsecError('ERR_RULE_UNKNOWN', `domsec rules: no DS rule "${id}".${hint} Run "domsec rules" for the list.`);
  }
  println(io.stdout, values.json ? JSON.stringify(rule, null, 2) : ruleDetail(rule).join('\n'));
  return EXIT.ok;
}
