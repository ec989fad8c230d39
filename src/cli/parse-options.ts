// Command-line options through node:util parseArgs, with its errors turned into ERR_USAGE sentences a user can act on.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DomsecError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<O extends Options>(command: string, args: string[], options: O, maxPositionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    throw new DomsecError('ERR_USAGE', `domsec ${command}: ${msg} Run "domsec ${command} --help" for the options.`);
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
