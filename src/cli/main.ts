// The `domsec` command: picks the subcommand, runs it, and turns every error into a sentence and a meaningful exit status.
import { isDomsecError } from '../errors.js';
import { type CliIo, println, processIo } from './cli-io.js';
import { doctorCommand } from './doctor-command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { labCommand } from './lab-command.js';
import { labMailboxCommand } from './lab-mailbox-command.js';
import { labSendCommand } from './lab-send-command.js';
import { labUpCommand } from './lab-up-command.js';
import { runCommand } from './run-command.js';
import { shellCommand } from './shell-command.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIo) => Promise<ExitCode>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  lab: labCommand,
  'lab up': labUpCommand,
  'lab send': labSendCommand,
  'lab mailbox': labMailboxCommand,
  doctor: doctorCommand,
  shell: shellCommand,
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    println(first === undefined ? io.stderr : io.stdout, USAGE.main);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  const sub = first === 'lab' && (second === 'up' || second === 'send' || second === 'mailbox') ? `lab ${second}` : first;
  const command = COMMANDS[sub];
  if (!command) {
    println(io.stderr, `domsec: "${first}" is not a command. Commands: run, lab, lab up, lab send, doctor, shell. Run "domsec --help".`);
    return EXIT.usage;
  }
  const args = sub.includes(' ') ? rest : [second, ...rest].filter((a): a is string => a !== undefined);
  try {
    return await command(args, io);
  } catch (e) {
    if (isDomsecError(e)) {
      // Errors with a code are the user's to fix (options, files, configuration): say what and exit 2.
      println(io.stderr, `domsec ${sub}: ${e.message.replace(/^domsec [a-z ]+: /, '')} [${e.code}]`);
      return EXIT.usage;
    }
    println(io.stderr, `domsec ${sub}: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.failures;
  }
}
