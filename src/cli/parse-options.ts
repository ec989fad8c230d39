// Command-line options through node:util parseArgs, with its errors turned into ERR_USAGE sentences a user can act on.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DomsecError } from '../errors.js';
import { didYouMean } from '../suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every spelling the command accepts (`--profile`, `-p`), for "Did you mean …?". */
function spellings(options: Options): string[] {
  return Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
}

export function parseOptions<O extends Options>(command: string, args: string[], options: O, maxPositionals = 0) {
  let parsed;
  const all = { help: { type: 'boolean', short: 'h' }, ...options } as const;
  try {
    parsed = parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    const unknown = /^Unknown option '(-{1,2}[^'=]+)/.exec(msg)?.[1];
    const hint = unknown ? didYouMean(unknown, spellings(all).filter((s) => s.startsWith('--') === unknown.startsWith('--'))) : '';
    throw new DomsecError('ERR_USAGE', `domsec ${command}: ${msg}${hint} Run "domsec ${command} --help" for the options.`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new DomsecError('ERR_USAGE', `domsec ${command}: unexpected argument "${parsed.positionals[maxPositionals]}". Run "domsec ${command} --help" for the usage.`);
  }
  return parsed;
}

/** A required option, or a usage error naming it. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new DomsecError('ERR_USAGE', `domsec ${command}: --${name} is required.`);
  return value;
}
