// Owns Get-Help and Get-Command: what the shell can do, from the cmdlets' own parameter specs, so help never drifts from binding.
import type { Cmdlet, ParamSpec, ShellObject } from './cmdlet.js';
import { SYNOPSIS } from './help-text.js';
import { type ParamType, T, typeName } from './parameter-types.js';
import { bindingErrors } from './ps-error.js';
import { didYouMean } from './suggest-name.js';
import { hasWildcard, wildcardMatcher } from './wildcard.js';

/** Commands the shell handles itself (formatters, the -Password helper): not Cmdlet objects, but Get-Help knows them. */
export const BUILTIN_COMMANDS: readonly Pick<Cmdlet, 'name' | 'aliases' | 'params'>[] = [
  { name: 'Format-List', aliases: ['fl'], params: [{ name: 'Property', type: T.strings, position: 0 }] },
  { name: 'Format-Table', aliases: ['ft'], params: [{ name: 'Property', type: T.strings, position: 0 }] },
  { name: 'ConvertTo-SecureString', params: [{ name: 'String', type: T.string, position: 0, mandatory: true }, { name: 'AsPlainText', type: T.switch }, { name: 'Force', type: T.switch }] },
];

type Command = Pick<Cmdlet, 'name' | 'aliases' | 'params'>;

/** Short type names as Get-Help prints them (`<String>`, `<Boolean>`, `<SwitchParameter>` is left out). */
function shortType(p: ParamType): string {
  const full = typeName(p);
  return full.replace(/^.*\./, '');
}

function syntax(c: Command): string {
  const parts = [...c.params].sort((a, b) => (a.position ?? 99) - (b.position ?? 99)).map((p) => {
    const name = p.position !== undefined ? `[-${p.name}]` : `-${p.name}`;
    const value = p.type.t === 'switch' ? name : `${name} <${shortType(p.type)}>`;
    return p.mandatory ? value : `[${value}]`;
  });
  return [c.name, ...parts].join(' ');
}

function describeParam(p: ParamSpec): string[] {
  const facts = [
    p.mandatory ? 'required' : 'optional',
    p.position !== undefined ? `position ${p.position}` : 'named',
    ...(p.aliases?.length ? [`aliases ${p.aliases.map((a) => `-${a}`).join(', ')}`] : []),
    ...(p.fromPipeline ? [`from a piped object's ${p.fromPipeline}`] : []),
  ];
  const values = p.type.t === 'enum' || p.type.t === 'flags' ? [`        Values: ${p.type.values.join(', ')}`] : [];
  return [`    -${p.name}${p.type.t === 'switch' ? '' : ` <${shortType(p.type)}>`}`, `        ${facts.join('; ')}`, ...values];
}

/** `Get-Help Set-SendConnector`: NAME, SYNOPSIS, SYNTAX, ALIASES, PARAMETERS, as PowerShell lays its help out. */
export function helpText(c: Command, parameter?: string): string {
  if (parameter !== undefined) {
    const match = wildcardMatcher(parameter.replace(/^-/, ''));
    const ps = c.params.filter((p) => match(p.name));
    if (ps.length === 0) {
      throw bindingErrors.helpParameter(c.name, parameter, didYouMean(parameter.replace(/^-/, ''), c.params.map((p) => p.name), '-').trim());
    }
    return ps.flatMap(describeParam).join('\n');
  }
  return [
    'NAME', `    ${c.name}`, '',
    'SYNOPSIS', `    ${SYNOPSIS[c.name] ?? '(no synopsis)'}`, '',
    'SYNTAX', `    ${syntax(c)}`, '',
    ...(c.aliases?.length ? ['ALIASES', `    ${c.aliases.join(', ')}`, ''] : []),
    'PARAMETERS',
    ...(c.params.length > 0 ? c.params.flatMap(describeParam) : ['    (none)']),
    '',
    'REMARKS',
    `    "Get-Help ${c.name} -Parameter <name>" shows one parameter; "Get-Command" lists every command.`,
  ].join('\n');
}

/** The names a user may type for a command: its name and aliases. */
export function commandNames(commands: readonly Command[]): string[] {
  return commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
}

function lookup(commands: readonly Command[], name: string): Command {
  const n = name.toLowerCase();
  const c = commands.find((x) => x.name.toLowerCase() === n || x.aliases?.some((a) => a.toLowerCase() === n));
  if (!c) throw bindingErrors.unknownCmdlet(name, didYouMean(name, commandNames(commands)).trim());
  return c;
}

const HELP_OVERVIEW = [
  'Exchange Management Shell (simulated by domsec). Commands for Domain Security:',
  '',
  '    Get-Command                  every command this shell knows (Get-Command *Connector*)',
  '    Get-Help <command>           synopsis, syntax and parameters (Get-Help Set-ReceiveConnector)',
  '    <command> | fl [props]       all properties, or some: | fl Name,*Domain*',
  '',
  'Tab completes command and parameter names in an interactive shell.',
].join('\n');

/** Get-Help and Get-Command over `all()`: the shell's cmdlets plus these two and the built-ins. */
export function helpCmdlets(all: () => readonly Command[]): Cmdlet[] {
  const text = (t: string): ShellObject => ({ type: 'HelpInfo', props: { Text: t }, text: t });
  return [
    {
      name: 'Get-Help',
      aliases: ['help'],
      // `Get-Command *-Queue | Get-Help` binds each command's Name from the pipeline, as PowerShell does.
      params: [{ name: 'Name', type: T.string, position: 0, fromPipeline: 'Name' }, { name: 'Parameter', type: T.string }, { name: 'Full', type: T.switch }, { name: 'Detailed', type: T.switch }],
      run: (a) => {
        if (a.Name === undefined) return [text(HELP_OVERVIEW)];
        return [text(helpText(lookup(all(), String(a.Name)), a.Parameter as string | undefined))];
      },
    },
    {
      name: 'Get-Command',
      aliases: ['gcm'],
      params: [{ name: 'Name', type: T.string, position: 0 }, { name: 'Verb', type: T.string }, { name: 'Noun', type: T.string }],
      run: (a) => {
        const name = a.Name as string | undefined;
        const byName = name === undefined ? () => true : hasWildcard(name) ? wildcardMatcher(name) : (n: string) => n.toLowerCase() === name.toLowerCase();
        const verb = a.Verb === undefined ? () => true : wildcardMatcher(String(a.Verb));
        const noun = a.Noun === undefined ? () => true : wildcardMatcher(String(a.Noun));
        const found = [...all()]
          .filter((c) => (byName(c.name) || c.aliases?.some(byName)) && verb(c.name.split('-')[0]) && noun(c.name.split('-').slice(1).join('-')))
          .sort((x, y) => x.name.localeCompare(y.name));
        // A plain name that matches nothing is an error, as in PowerShell; a pattern that matches nothing is just empty.
        if (found.length === 0 && name !== undefined && !hasWildcard(name)) lookup(all(), name);
        return found.map((c) => ({
          type: 'CmdletInfo',
          props: { CommandType: 'Cmdlet', Name: c.name, Synopsis: SYNOPSIS[c.name] ?? '' },
          table: ['CommandType', 'Name', 'Synopsis'],
        }));
      },
    },
  ];
}
