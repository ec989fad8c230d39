// `domsec lab send`: injects a message into the lab running in --dir through its control channel and prints the outcome.
import { resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { DEFAULT_LAB_DIR, callLab, isAddress, readEndpoints } from './lab-client.js';
import { type MessageOutcome, formatOutcome, isDelivered } from './lab-outcome-format.js';
import { parseOptions, required } from './parse-options.js';
import { USAGE } from './usage.js';

export { readEndpoints } from './lab-client.js';

export async function labSendCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseOptions('lab send', args, {
    dir: { type: 'string', short: 'd' }, from: { type: 'string', short: 'f' }, to: { type: 'string', short: 't', multiple: true },
    subject: { type: 'string', short: 's' }, body: { type: 'string', short: 'b' }, json: { type: 'boolean' },
  });
  if (values.help) {
    println(io.stdout, USAGE['lab send']);
    return EXIT.ok;
  }
  const from = required('lab send', 'from', values.from);
  const to = (values.to ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  if (to.length === 0) throw new DomsecError('ERR_USAGE', 'domsec lab send: --to is required (one or more addresses, comma-separated or repeated).');
  for (const a of [from, ...to]) if (!isAddress(a)) throw new DomsecError('ERR_USAGE', `domsec lab send: "${a}" is not an e-mail address.`);
  const dir = resolve(io.cwd, values.dir ?? DEFAULT_LAB_DIR);
  const endpoints = readEndpoints(dir);
  const outcome = await callLab<MessageOutcome>(endpoints.control, 'POST', '/send', {
    from, to, ...(values.subject !== undefined ? { subject: values.subject } : {}), ...(values.body !== undefined ? { body: values.body } : {}),
  });
  if (values.json) println(io.stdout, JSON.stringify(outcome, null, 2));
  else {
    for (const line of formatOutcome(outcome)) println(io.stdout, line);
    if (!isDelivered(outcome)) println(io.stdout, `Run "domsec doctor --lab ${values.dir ?? DEFAULT_LAB_DIR}" for the cause and the fix.`);
  }
  return isDelivered(outcome) ? EXIT.ok : EXIT.failures;
}
