// `domsec lab send`: injects a message into the lab running in --dir through its control channel and prints the outcome.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { callLab } from './lab-control.js';
import type { Endpoints } from './lab-export.js';
import { isAddress } from './lab-file.js';
import { type MessageOutcome, formatOutcome, isDelivered } from './lab-outcome.js';
import { DEFAULT_LAB_DIR } from './lab-up-command.js';
import { parseOptions, required } from './parse-options.js';
import { USAGE } from './usage.js';

export function readEndpoints(dir: string): Endpoints {
  const file = join(dir, 'endpoints.json');
  if (!existsSync(file)) throw new DomsecError('ERR_USAGE', `No lab is running in ${dir} (no endpoints.json): start one with "domsec lab up --dir ${dir}".`);
  let e: Partial<Endpoints>;
  try {
    e = JSON.parse(readFileSync(file, 'utf8')) as Partial<Endpoints>;
  } catch (err) {
    throw new DomsecError('ERR_USAGE', `${file} is not readable JSON (${(err as Error).message}); restart the lab with "domsec lab up --dir ${dir}".`);
  }
  const c = e?.control;
  if (!c || typeof c.host !== 'string' || typeof c.port !== 'number' || typeof c.token !== 'string') {
    throw new DomsecError('ERR_USAGE', `${file} has no control host, port and token; restart the lab with "domsec lab up --dir ${dir}".`);
  }
  return e as Endpoints;
}

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
