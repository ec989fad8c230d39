// `domsec adapter check SPEC`: the test-kit a shim author runs while writing an adapter (docs/adapter-contract.md).
import { DomsecError } from '../errors.js';
import { shimFromSpec } from '../peers/adapter-spec.js';
import { checkAdapter } from '../peers/adapter-check.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { isAddress } from './lab-client.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

export async function adapterCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    println(sub === undefined ? io.stderr : io.stdout, USAGE['adapter check']);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub !== 'check') throw new DomsecError('ERR_USAGE', `domsec adapter: "${sub}" is not a subcommand; the one there is: check. Run "domsec adapter check --help".`);
  const { values, positionals } = parseOptions('adapter check', rest, {
    from: { type: 'string', short: 'f' }, to: { type: 'string', short: 't' }, mailbox: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' },
  }, 100);
  if (values.help) {
    println(io.stdout, USAGE['adapter check']);
    return EXIT.ok;
  }
  // The spec may be one quoted word or the rest of the line: `adapter check cmd:python3 shim.py etc`.
  const spec = positionals.join(' ');
  if (spec.trim() === '') throw new DomsecError('ERR_USAGE', 'domsec adapter check: give the adapter: cmd:PATH [ARGS] or http://HOST:PORT/BASE.');
  if ((values.from === undefined) !== (values.to === undefined)) throw new DomsecError('ERR_USAGE', 'domsec adapter check: --from and --to go together (they make the message submit sends).');
  for (const a of [values.from, values.to, values.mailbox]) if (a !== undefined && !isAddress(a)) throw new DomsecError('ERR_USAGE', `domsec adapter check: "${a}" is not an e-mail address.`);
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout) * 1000;
  if (timeoutMs !== undefined && !(timeoutMs >= 100 && timeoutMs <= 600_000)) throw new DomsecError('ERR_USAGE', `domsec adapter check: --timeout ${values.timeout} is not a number of seconds from 0.1 to 600.`);
  const shim = shimFromSpec(spec, { cwd: io.cwd, timeoutMs });
  if (!shim) {
    println(io.stdout, 'The manual adapter answers nothing beyond SMTP: every call is not observable, and every receive rule still runs.');
    return EXIT.ok;
  }
  const message = values.from && values.to ? { from: values.from, to: [values.to], subject: 'domsec adapter check', body: 'Sent by domsec adapter check.' } : undefined;
  const checks = await checkAdapter(shim, { message, mailbox: values.mailbox ?? values.to });
  const bad = checks.filter((c) => c.status === 'malformed' || c.status === 'failed');
  if (values.json) println(io.stdout, JSON.stringify({ adapter: spec, calls: checks }, null, 2));
  else {
    println(io.stdout, `Adapter ${spec}`);
    for (const c of checks) println(io.stdout, `  ${c.call.padEnd(13)} ${c.status.padEnd(15)} ${c.detail}${c.status === 'skipped' ? '' : ` (${c.ms} ms)`}`);
    const answered = checks.filter((c) => c.status === 'answered').length;
    println(io.stdout, bad.length === 0
      ? `${answered} of ${checks.length} calls answered; the rest are not observable (never a pass).`
      : `${plural(bad.length)} answered wrongly or failed: fix the shim (docs/adapter-contract.md); a run would count ${bad.length === 1 ? 'it' : 'them'} as not observable.`);
  }
  return bad.length === 0 ? EXIT.ok : EXIT.failures;
}

const plural = (n: number) => `${n} call${n === 1 ? '' : 's'}`;
