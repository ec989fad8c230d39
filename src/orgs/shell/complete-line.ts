// Owns tab completion for the interactive shell: command names at the start of a pipeline stage, a command's parameters
// after "-", and the allowed values of an enum or Boolean parameter. Pure, so the terminal wiring stays a one-liner.
import type { Cmdlet } from './cmdlet.js';

type Command = Pick<Cmdlet, 'name' | 'aliases' | 'params'>;

/** The text of the pipeline stage being typed: after the last `|` or `;` outside quotes. */
function currentStage(line: string): string {
  let quote = '';
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) { if (ch === quote) quote = ''; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '|' || ch === ';') start = i + 1;
  }
  return line.slice(start);
}

const startsWith = (word: string) => (name: string) => name.toLowerCase().startsWith(word.toLowerCase());

/** Node readline's completer contract: the candidates that replace `word`, and `word` (the text being completed). */
export function completeLine(line: string, commands: readonly Command[]): [string[], string] {
  const stage = currentStage(line).replace(/^\s+/, '');
  const tokens = stage.split(/\s+/);
  const word = tokens[tokens.length - 1];
  if (tokens.length === 1) {
    // The command position: names first; an alias (fl, gcm) completes to itself only when typed as such.
    const names = commands.map((c) => c.name).filter(startsWith(word));
    const aliases = commands.flatMap((c) => c.aliases ?? []).filter(startsWith(word));
    return [[...new Set([...names, ...(names.length === 0 ? aliases : [])])].sort(), word];
  }
  const cmd = commands.find((c) => c.name.toLowerCase() === tokens[0].toLowerCase() || c.aliases?.some((a) => a.toLowerCase() === tokens[0].toLowerCase()));
  if (!cmd) return [[], word];
  if (word.startsWith('-')) {
    const given = new Set(tokens.slice(1, -1).filter((t) => t.startsWith('-')).map((t) => t.slice(1).replace(/:.*$/, '').toLowerCase()));
    const params = cmd.params.map((p) => p.name).filter((n) => !given.has(n.toLowerCase())).map((n) => `-${n}`);
    return [params.filter(startsWith(word)), word];
  }
  // A value right after an enum or Boolean parameter: its allowed values.
  const prev = tokens[tokens.length - 2];
  const spec = prev.startsWith('-') ? cmd.params.find((p) => p.name.toLowerCase() === prev.slice(1).toLowerCase()) : undefined;
  const values = spec?.type.t === 'enum' || spec?.type.t === 'flags' ? [...spec.type.values] : spec?.type.t === 'bool' ? ['$true', '$false'] : [];
  return [values.filter(startsWith(word)), word];
}
