// The `domsec` command: picks the subcommand, runs it, and turns every error into a sentence and a meaningful exit status.
import { readFileSync } from 'node:fs';
import { isDomsecError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { type CliIo, println, processIo } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIo) => Promise<ExitCode>;

/**
 * Each command's module, loaded only when that command runs: importing them all would load the simulation, TLS, SMTP
 * and certificate libraries for `--version`, `--help` or `lab send` (start-up budget ≤ 150 ms, docs/cli.md). Usage,
 * help, version and suggestions need only this table's keys and usage.ts.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run-command.js')).runCommand,
  lab: async () => (await import('./lab-command.js')).labCommand,
  'lab up': async () => (await import('./lab-up-command.js')).labUpCommand,
  'lab send': async () => (await import('./lab-send-command.js')).labSendCommand,
  'lab down': async () => (await import('./lab-down-command.js')).labDownCommand,
  'lab status': async () => (await import('./lab-down-command.js')).labStatusCommand,
  'lab mailbox': async () => (await import('./lab-mailbox-command.js')).labMailboxCommand,
  doctor: async () => (await import('./doctor-command.js')).doctorCommand,
  cert: async () => (await import('./cert-command.js')).certCommand,
  shell: async () => (await import('./shell-command.js')).shellCommand,
  rules: async () => (await import('./rules-command.js')).rulesCommand,
  report: async () => (await import('./report-merge-command.js')).reportCommand,
  adapter: async () => (await import('./adapter-command.js')).adapterCommand,
};

const LAB_SUBCOMMANDS = Object.keys(COMMANDS).filter((c) => c.startsWith('lab ')).map((c) => c.slice(4));

/** The version in package.json: the one number a bug report needs. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function notACommand(io: CliIo, word: string): ExitCode {
  const hint = didYouMean(word, [...Object.keys(COMMANDS), 'help']);
  println(io.stderr, `domsec: "${word}" is not a command.${hint} Commands: ${Object.keys(COMMANDS).join(', ')}. Run "domsec --help".`);
  return EXIT.usage;
}

/** `domsec help [command…]`: the main usage, or one command's. */
function help(words: string[], io: CliIo): ExitCode {
  if (words.length === 0 || (words.length === 1 && words[0] === 'help')) {
    println(io.stdout, USAGE.main);
    return EXIT.ok;
  }
  const name = words.join(' ');
  if (USAGE[name] && name !== 'main') {
    println(io.stdout, USAGE[name]);
    return EXIT.ok;
  }
  return notACommand(io, name);
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    println(first === undefined ? io.stderr : io.stdout, USAGE.main);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    println(io.stdout, `domsec ${version()}`);
    return EXIT.ok;
  }
  if (first === 'help') return help(argv.slice(1), io);
  const sub = first === 'lab' && second !== undefined && LAB_SUBCOMMANDS.includes(second) ? `lab ${second}` : first;
  const load = COMMANDS[sub];
  if (!load) return notACommand(io, first);
  const args = sub.includes(' ') ? rest : [second, ...rest].filter((a): a is string => a !== undefined);
  try {
    const command = await load();
    return await command(args, io);
  } catch (e) {
    if (isDomsecError(e)) {
      // Errors with a code are the user's to fix (options, files, configuration): say what and exit 2.
      let message = e.message.replace(/^domsec [a-z ]+: /, '');
      // `domsec lab stauts`: the word is taken as a lab name; say which subcommand it was close to.
      if (sub === 'lab' && e.code === 'ERR_LAB_FILE' && second !== undefined && !second.startsWith('-') && !message.includes('Did you mean')) {
        message += didYouMean(second, LAB_SUBCOMMANDS.map((s) => s)).replace(/"([a-z]+)"/g, '"lab $1"');
      }
      println(io.stderr, `domsec ${sub}: ${message} [${e.code}]`);
      return EXIT.usage;
    }
    println(io.stderr, `domsec ${sub}: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.failures;
  }
}
